// Writing an image layout (btc); lib/Oci/Layout.cpp reads one.
#include "bt/Oci/Layout.h"
#include "bt/Basic/File.h"
#include "bt/Object/Integrity.h"

#include "MediaTypes.h"
#include "Tar.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sys/stat.h>

namespace bt::oci {
namespace {

using nlohmann::json;

struct Blob {
  std::string digest; // "sha256:HEX"
  size_t size = 0;
};

std::string errnoText() { return std::strerror(errno); }

bool makeDir(const std::string &path) { return mkdir(path.c_str(), 0755) == 0 || errno == EEXIST; }

std::string writeFile(const std::string &path, const uint8_t *data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
  out.close();
  return out ? "" : "cannot write '" + path + "': " + errnoText();
}

std::string writeBlob(const std::string &dir, const std::vector<uint8_t> &bytes, Blob &blob) {
  std::string hex = obj::sha256Hex(bytes.data(), bytes.size());
  blob = {"sha256:" + hex, bytes.size()};
  return writeFile(dir + "/blobs/sha256/" + hex, bytes.data(), bytes.size());
}

std::vector<uint8_t> bytesOf(const std::string &s) { return {s.begin(), s.end()}; }

json descriptor(const char *mediaType, const Blob &b) {
  return {{"mediaType", mediaType}, {"digest", b.digest}, {"size", b.size}};
}

std::string rfc3339(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}


} // namespace

std::string writeLayout(const std::string &dir, const std::string &tag,
                        const ImageContent &content, std::string *manifestDigest) {
  for (const std::string &d : {dir, dir + "/blobs", dir + "/blobs/sha256"})
    if (!makeDir(d))
      return "cannot create '" + d + "': " + errnoText();
  std::vector<uint8_t> tar, layer;
  if (auto e = writeTar(content.objectName, content.object, content.created, tar); !e.empty())
    return e;
  if (auto e = gzip(tar, layer); !e.empty())
    return e;
  Blob layerBlob, configBlob, manifestBlob;
  if (auto e = writeBlob(dir, layer, layerBlob); !e.empty())
    return e;

  json labels = json::object();
  for (const auto &[k, v] : content.labels)
    labels[k] = v;
  json config = {
      {"created", rfc3339(content.created)},
      {"architecture", "amd64"},
      {"os", "linux"},
      {"config", {{"Labels", labels}}},
      {"rootfs", {{"type", "layers"}, {"diff_ids", json::array({"sha256:" + obj::sha256Hex(tar.data(), tar.size())})}}},
  };
  if (auto e = writeBlob(dir, bytesOf(config.dump()), configBlob); !e.empty())
    return e;
  json manifest = {
      {"schemaVersion", 2},
      {"mediaType", kManifestType},
      {"config", descriptor(kConfigType, configBlob)},
      {"layers", json::array({descriptor(kLayerType, layerBlob)})},
  };
  if (auto e = writeBlob(dir, bytesOf(manifest.dump()), manifestBlob); !e.empty())
    return e;
  if (manifestDigest)
    *manifestDigest = manifestBlob.digest;
  json entry = descriptor(kManifestType, manifestBlob);
  entry["annotations"] = {{kRefName, tag}};
  json index = {{"schemaVersion", 2}, {"mediaType", kIndexType}, {"manifests", json::array({entry})}};
  std::string indexText = index.dump();
  std::string layoutText = R"({"imageLayoutVersion":"1.0.0"})";
  if (auto e = writeFile(dir + "/oci-layout", reinterpret_cast<const uint8_t *>(layoutText.data()),
                         layoutText.size());
      !e.empty())
    return e;
  return writeFile(dir + "/index.json", reinterpret_cast<const uint8_t *>(indexText.data()),
                   indexText.size());
}

std::string cosignPayload(const std::string &identity, const std::string &manifestDigest) {
  json payload = {
      {"critical",
       {{"identity", {{"docker-reference", identity}}},
        {"image", {{"docker-manifest-digest", manifestDigest}}},
        {"type", "cosign container image signature"}}},
      {"optional", json::object()},
  };
  return payload.dump();
}

std::string cosignSignatureTag(const std::string &manifestDigest) {
  std::string tag = manifestDigest;
  if (auto colon = tag.find(':'); colon != std::string::npos)
    tag[colon] = '-';
  return tag + ".sig";
}

std::string writeCosignSignature(const std::string &dir, const std::string &manifestDigest,
                                 const std::string &payload, const std::string &signatureBase64,
                                 int64_t created) {
  Blob payloadBlob, configBlob, manifestBlob;
  if (auto e = writeBlob(dir, bytesOf(payload), payloadBlob); !e.empty())
    return e;
  // cosign's own config: no platform, one "layer" (the payload) as its diff_id.
  json config = {
      {"architecture", ""},
      {"os", ""},
      {"created", rfc3339(created)},
      {"config", json::object()},
      {"rootfs", {{"type", "layers"}, {"diff_ids", json::array({payloadBlob.digest})}}},
  };
  if (auto e = writeBlob(dir, bytesOf(config.dump()), configBlob); !e.empty())
    return e;
  json layer = descriptor(kSimpleSigningType, payloadBlob);
  layer["annotations"] = {{kCosignSignatureAnnotation, signatureBase64}};
  json manifest = {
      {"schemaVersion", 2},
      {"mediaType", kManifestType},
      {"config", descriptor(kConfigType, configBlob)},
      {"layers", json::array({layer})},
  };
  if (auto e = writeBlob(dir, bytesOf(manifest.dump()), manifestBlob); !e.empty())
    return e;

  std::string indexText;
  if (readWholeFile(dir + "/index.json", indexText) != FileReadError::None)
    return "cannot read '" + dir + "/index.json': " + errnoText();
  json index = json::parse(indexText, nullptr, false);
  if (index.is_discarded() || !index.contains("manifests") || !index["manifests"].is_array())
    return "'" + dir + "/index.json' is not an image index";
  json entry = descriptor(kManifestType, manifestBlob);
  entry["annotations"] = {{kRefName, cosignSignatureTag(manifestDigest)}};
  index["manifests"].push_back(entry);
  indexText = index.dump();
  return writeFile(dir + "/index.json", reinterpret_cast<const uint8_t *>(indexText.data()),
                   indexText.size());
}

} // namespace bt::oci
