#include "OciImage.h"

#include "bt/Lower/Signing.h"
#include "bt/Object/Integrity.h"
#include "bt/Oci/Layout.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/Base64.h"
#include "llvm/Support/Error.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <ctime>

namespace bt {
namespace {

// bpfman's program types: a return probe is its probe kind with a flag.
std::string bpfmanType(const std::string &manifestType) {
  if (manifestType == "kretprobe")
    return "kprobe";
  if (manifestType == "uretprobe")
    return "uprobe";
  return manifestType;
}

std::string manifestSection(const std::vector<char> &object, std::string &text) {
  auto elf = llvm::object::ELF64LEFile::create(llvm::StringRef(object.data(), object.size()));
  if (!elf)
    return llvm::toString(elf.takeError());
  auto sections = elf->sections();
  if (!sections)
    return llvm::toString(sections.takeError());
  for (const auto &sh : *sections) {
    auto name = elf->getSectionName(sh);
    if (!name || *name != obj::kManifestSection)
      continue;
    auto contents = elf->getSectionContents(sh);
    if (!contents)
      return llvm::toString(contents.takeError());
    text = std::string(obj::manifestText(
        std::string_view(reinterpret_cast<const char *>(contents->data()), contents->size())));
    return "";
  }
  return "internal error: no manifest section";
}

// The signature goes into the layout beside the image, so that `skopeo copy` of its tag
// carries it to a registry where cosign-style verifiers look for it.
std::string signImage(const std::string &dir, const std::string &manifestDigest,
                      const std::string &identity, const std::string &signingKeyPem,
                      int64_t created) {
  std::string payload = oci::cosignPayload(identity, manifestDigest);
  auto hex = lower::signEd25519(
      signingKeyPem, llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(payload.data()),
                                             payload.size()));
  if (!hex)
    return llvm::toString(hex.takeError());
  return oci::writeCosignSignature(dir, manifestDigest, payload,
                                   llvm::encodeBase64(llvm::fromHex(*hex)), created);
}

} // namespace

std::string writeOciImage(const std::vector<char> &object, const std::string &dir,
                          const std::string &tag, const std::string &objectName,
                          const std::string &signingKeyPem, const std::string &identity) {
  oci::ImageContent image;
  image.objectName = objectName;
  image.object.assign(object.begin(), object.end());
  image.created = std::time(nullptr);
  if (const char *epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char *end = nullptr;
    long long t = std::strtoll(epoch, &end, 10);
    if (!*epoch || *end || t < 0)
      return "SOURCE_DATE_EPOCH='" + std::string(epoch) + "' is not a number of seconds";
    image.created = t;
  }

  std::string text;
  if (auto e = manifestSection(object, text); !e.empty())
    return e;
  auto manifest = nlohmann::json::parse(text, nullptr, false);
  if (manifest.is_discarded())
    return "internal error: the manifest is not JSON";
  nlohmann::json programs = nlohmann::json::object(), maps = nlohmann::json::object();
  for (const auto &probe : manifest.value("probes", nlohmann::json::array()))
    for (const auto &a : probe.value("attachments", nlohmann::json::array()))
      programs[a.value("program", "")] = bpfmanType(probe.value("type", ""));
  for (const auto &m : manifest.value("maps", nlohmann::json::array()))
    maps[m.value("bpf_name", "")] = m.value("bpf_type", "");
  if (auto ringbuf = manifest.value("ringbuf", std::string()); !ringbuf.empty())
    maps[ringbuf] = "ringbuf";

  image.labels[oci::kProgramsLabel] = programs.dump();
  image.labels[oci::kMapsLabel] = maps.dump();
  image.labels[oci::kVersionLabel] = BT_VERSION_STRING;
  image.labels[oci::kObjectDigestLabel] = obj::sha256Hex(image.object.data(), image.object.size());
  image.labels[oci::kManifestDigestLabel] =
      obj::sha256Hex(reinterpret_cast<const uint8_t *>(text.data()), text.size());
  std::string manifestDigest;
  auto e = oci::writeLayout(dir, tag, image, &manifestDigest);
  if (e.empty() && !identity.empty())
    e = signImage(dir, manifestDigest, identity, signingKeyPem, image.created);
  return e.empty() ? e : "--oci-layout " + dir + ": " + e;
}

} // namespace bt
