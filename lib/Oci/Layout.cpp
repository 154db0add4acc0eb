#include "bt/Oci/Layout.h"

#include "bt/Basic/File.h"
#include "bt/Object/Integrity.h"
#include "bt/Object/Json.h"

#include "MediaTypes.h"
#include "Tar.h"

#include <cerrno>
#include <cstring>

namespace bt::oci {
namespace {

// The manifest reader's JSON type: btrun links one instantiation (bt/Object/Json.h).
using obj::Json;

std::string errnoText() { return std::strerror(errno); }

// Reads the blob a descriptor names and checks its digest and size.
std::string readBlob(const std::string &dir, const Json &desc, const char *what,
                     std::vector<uint8_t> &out) {
  if (!desc.is_object() || !desc.contains("digest") || !desc["digest"].is_string() ||
      !desc.contains("size") || !desc["size"].is_number_unsigned())
    return std::string("the ") + what + " descriptor has no digest or size";
  std::string digest = desc["digest"].get<std::string>();
  if (digest.rfind("sha256:", 0) != 0 || digest.size() != 7 + 64 ||
      digest.find_first_not_of("0123456789abcdef", 7) != std::string::npos)
    return std::string("the ") + what + " digest '" + digest + "' is not a sha256 digest";
  std::string path = dir + "/blobs/sha256/" + digest.substr(7);
  if (readWholeFile(path, out) != FileReadError::None)
    return std::string("cannot read the ") + what + " blob " + digest + ": " + errnoText();
  if (out.size() != desc["size"].get<uint64_t>())
    return std::string("the ") + what + " blob " + digest + " has " + std::to_string(out.size()) +
           " bytes, its descriptor says " + std::to_string(desc["size"].get<uint64_t>());
  std::string actual = "sha256:" + obj::sha256Hex(out.data(), out.size());
  if (actual != digest)
    return std::string("the ") + what + " blob " + digest + " does not match its digest (its content is " +
           actual + ")";
  return "";
}

std::string parseJson(const std::vector<uint8_t> &bytes, const char *what, Json &out) {
  out = obj::parseJson(std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()));
  if (out.is_discarded() || !out.is_object())
    return std::string("the ") + what + " is not a JSON object";
  return "";
}

std::string readImage(const std::string &dir, const std::string &tag, ImageContent &out) {
  std::vector<uint8_t> bytes;
  if (readWholeFile(dir + "/index.json", bytes) != FileReadError::None)
    return "cannot read index.json: " + errnoText();
  Json index;
  if (auto e = parseJson(bytes, "index.json", index); !e.empty())
    return e;
  if (!index.contains("manifests") || !index["manifests"].is_array())
    return "index.json has no manifests";
  const Json *chosen = nullptr;
  size_t images = 0;
  for (const auto &m : index["manifests"]) {
    if (!m.is_object() || m.value("mediaType", "") != kManifestType)
      continue;
    std::string name;
    if (m.contains("annotations") && m["annotations"].is_object())
      name = m["annotations"].value(kRefName, "");
    // A cosign signature beside the image is not a second image.
    if (tag.empty() && name.rfind("sha256-", 0) == 0 && name.size() > 4 &&
        name.compare(name.size() - 4, 4, ".sig") == 0)
      continue;
    ++images;
    if (tag.empty() ? images == 1 : name == tag)
      chosen = &m;
  }
  if (tag.empty() && images > 1)
    return "index.json holds " + std::to_string(images) + " images: name one (oci:DIR:TAG)";
  if (!chosen)
    return tag.empty() ? "index.json holds no image" : "index.json has no image tagged '" + tag + "'";

  Json manifest;
  if (auto e = readBlob(dir, *chosen, "manifest", bytes); !e.empty())
    return e;
  if (auto e = parseJson(bytes, "manifest", manifest); !e.empty())
    return e;
  if (!manifest.contains("layers") || !manifest["layers"].is_array() ||
      manifest["layers"].size() != 1 || !manifest["layers"][0].is_object() ||
      manifest["layers"][0].value("mediaType", "") != kLayerType)
    return std::string("the image is not a bytecode image: it must have exactly one ") + kLayerType +
           " layer";

  Json config;
  if (auto e = readBlob(dir, manifest.value("config", Json()), "config", bytes); !e.empty())
    return e;
  if (auto e = parseJson(bytes, "config", config); !e.empty())
    return e;
  const Json *labels = nullptr;
  if (config.contains("config") && config["config"].is_object() &&
      config["config"].contains("Labels") && config["config"]["Labels"].is_object())
    labels = &config["config"]["Labels"];
  for (const char *key : {kObjectDigestLabel, kManifestDigestLabel})
    if (!labels || !labels->contains(key) || !(*labels)[key].is_string())
      return std::string("not a btc image: the config has no label ") + key;
  out.labels.clear();
  for (const auto &[k, v] : labels->items())
    if (v.is_string())
      out.labels[k] = v.get<std::string>();

  if (auto e = readBlob(dir, manifest["layers"][0], "layer", bytes); !e.empty())
    return e;
  if (auto e = readSingleFileTarGz(bytes, out.objectName, out.object); !e.empty())
    return e;
  std::string objectDigest = obj::sha256Hex(out.object.data(), out.object.size());
  if (objectDigest != out.labels[kObjectDigestLabel])
    return "the object '" + out.objectName + "' has digest " + objectDigest + ", the label " +
           kObjectDigestLabel + " says " + out.labels[kObjectDigestLabel];
  return "";
}

} // namespace

std::string readLayout(const std::string &dir, const std::string &tag, ImageContent &out) {
  std::string e = readImage(dir, tag, out);
  return e.empty() ? e : "oci:" + dir + (tag.empty() ? "" : ":" + tag) + ": " + e;
}

} // namespace bt::oci
