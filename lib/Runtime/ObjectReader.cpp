// ELF reading with libelf (gelf); section digests with lib/Object's sha256Hex (libmd).
#include "bt/Runtime/ObjectReader.h"
#include "bt/Format/Text.h"

#include "Signature.h"

#include "bt/Basic/File.h"
#include "bt/Object/Integrity.h"

#include <algorithm>

#include <gelf.h>
#include <libelf.h>

#include <cerrno>
#include <unistd.h>
#include <cstring>
#include <map>
#include <memory>

namespace bt::rt {

namespace {

struct ElfCloser {
  void operator()(Elf *e) const { elf_end(e); }
};

Result<std::vector<uint8_t>> readFile(const std::string &path) {
  // Bounded: /dev/zero or a runaway pipe must not exhaust memory.
  std::vector<uint8_t> bytes;
  switch (readWholeFile(path, bytes, size_t(256) << 20)) {
  case FileReadError::None:
    return bytes;
  case FileReadError::Open:
    return Error(path + ": cannot open: " + std::strerror(errno));
  case FileReadError::Read:
    return Error(path + ": cannot read: " + std::strerror(errno));
  case FileReadError::TooLarge:
    break;
  }
  return Error(path + ": larger than 256 MiB: not a btc object");
}

/// A section name from the file as it may appear in a one-line message: bytes
/// outside printable ASCII as \xNN, at most 64 of them shown.
std::string printable(const std::string &name) {
  if (name.size() > 64)
    return format::escapeNonPrintable(std::string_view(name).substr(0, 64)) + "...";
  return format::escapeNonPrintable(name);
}

} // namespace

namespace {
std::map<std::string, ObjectSource> &objectSources() {
  static std::map<std::string, ObjectSource> sources;
  return sources;
}
} // namespace

void registerObjectSource(const std::string &scheme, ObjectSource source) {
  objectSources()[scheme] = source;
}

Result<ObjectFile> readObject(const std::string &path) {
  auto colon = path.find(':');
  if (colon != std::string::npos) {
    auto it = objectSources().find(path.substr(0, colon));
    if (it != objectSources().end()) {
      auto bytes = it->second(path);
      if (!bytes)
        return std::move(bytes).error();
      return readObjectBytes(path, std::move(*bytes));
    }
  }
  auto bytes = readFile(path);
  if (!bytes)
    return std::move(bytes).error();
  return readObjectBytes(path, std::move(*bytes));
}

Result<ObjectFile> readObjectBytes(const std::string &path, std::vector<uint8_t> bytes) {
  ObjectFile obj;
  obj.path = path;
  obj.bytes = std::move(bytes);

  if (elf_version(EV_CURRENT) == EV_NONE)
    return Error(path + ": libelf initialisation failed: " + elf_errmsg(-1));
  std::unique_ptr<Elf, ElfCloser> elf(
      elf_memory(reinterpret_cast<char *>(obj.bytes.data()), obj.bytes.size()));
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF)
    return Error(path + ": not an ELF file");

  GElf_Ehdr ehdr;
  if (!gelf_getehdr(elf.get(), &ehdr))
    return Error(path + ": not an ELF file: " + elf_errmsg(-1));
  if (gelf_getclass(elf.get()) != ELFCLASS64 || ehdr.e_ident[EI_DATA] != ELFDATA2LSB ||
      ehdr.e_machine != EM_BPF || ehdr.e_type != ET_REL)
    return Error(path + ": not a BPF object (expected a relocatable little-endian ELF64 for EM_BPF)");

  // libelf silently reads no section header past the end of the file: without this
  // check a truncated object read as one without a manifest.
  // e_shnum 0 with a table means the count is in section 0: at least that one.
  size_t shnum = ehdr.e_shnum ? ehdr.e_shnum : ehdr.e_shoff ? 1 : 0, tableSize = 0;
  if (ehdr.e_shoff > obj.bytes.size() ||
      __builtin_mul_overflow(shnum, size_t(ehdr.e_shentsize), &tableSize) ||
      tableSize > obj.bytes.size() - ehdr.e_shoff)
    return Error(path + ": truncated or malformed ELF: its " + std::to_string(shnum) +
                 " section headers at offset " + std::to_string(ehdr.e_shoff) +
                 " lie outside the " + std::to_string(obj.bytes.size()) + "-byte file");

  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf.get(), &shstrndx) != 0)
    return Error(path + ": malformed ELF: " + elf_errmsg(-1));

  bool haveManifest = false;
  for (Elf_Scn *scn = elf_nextscn(elf.get(), nullptr); scn; scn = elf_nextscn(elf.get(), scn)) {
    GElf_Shdr shdr;
    if (!gelf_getshdr(scn, &shdr))
      return Error(path + ": malformed ELF section header: " + elf_errmsg(-1));
    const char *name = elf_strptr(elf.get(), shstrndx, shdr.sh_name);
    if (!name)
      return Error(path + ": malformed ELF section name: " + elf_errmsg(-1));
    ElfSection s;
    s.index = elf_ndxscn(scn);
    s.name = name;
    s.type = shdr.sh_type;
    s.offset = shdr.sh_offset;
    if (shdr.sh_type != SHT_NOBITS && shdr.sh_size > 0) {
      Elf_Data *data = elf_rawdata(scn, nullptr);
      if (!data || (data->d_size > 0 && !data->d_buf))
        return Error(path + ": cannot read section '" + printable(s.name) + "': " + elf_errmsg(-1));
      auto *p = static_cast<const uint8_t *>(data->d_buf);
      s.bytes.assign(p, p + data->d_size);
    }
    if (s.name == kManifestSection) {
      if (haveManifest)
        return Error(path + ": more than one " + std::string(kManifestSection) + " section");
      haveManifest = true;
      obj.manifestText = std::string(bt::obj::manifestText(
          std::string_view(reinterpret_cast<const char *>(s.bytes.data()), s.bytes.size())));
    }
    obj.sections.push_back(std::move(s));
  }
  if (!haveManifest)
    return Error(path + ": not a btc object: no " + std::string(kManifestSection) + " section");
  if (obj.manifestText.empty())
    return Error(path + ": the " + std::string(kManifestSection) + " section is empty");
  return obj;
}

Status verifyIntegrity(const ObjectFile &obj, const Manifest &manifest) {
  std::vector<bt::obj::SectionName> names;
  for (const auto &s : obj.sections)
    names.push_back({s.index, s.name});
  std::vector<std::string> keys = bt::obj::sectionDigestKeys(names);
  const auto &digests = manifest.integrity.sections;
  Error err;
  std::map<std::string, bool> seen;
  for (size_t i = 0; i < obj.sections.size(); ++i) {
    const ElfSection &s = obj.sections[i];
    const std::string &key = keys[i];
    if (key.empty())
      continue;
    auto it = digests.find(key);
    if (it == digests.end()) {
      err.messages.push_back(obj.path + ": section '" + printable(key) +
                             "' has no digest in the manifest (object altered after compilation?)");
      continue;
    }
    seen[key] = true;
    std::string digest = obj::sha256Hex(s.bytes.data(), s.bytes.size());
    if (digest != it->second)
      err.messages.push_back(obj.path + ": section '" + printable(key) +
                             "' does not match its digest (object altered after compilation)");
  }
  for (const auto &[key, digest] : digests)
    if (!seen.count(key))
      err.messages.push_back(obj.path + ": section '" + key +
                             "' is listed in the manifest but missing from the object");
  if (!err.messages.empty())
    return err;
  return {};
}

Status verifyFileDigest(const ObjectFile &obj, const Manifest &manifest) {
  const ElfSection *ms = nullptr;
  for (const auto &s : obj.sections)
    if (s.name == kManifestSection)
      ms = &s;
  if (!ms || ms->offset + ms->bytes.size() > obj.bytes.size())
    return Error(obj.path + ": no manifest section to check the file digest in");
  const bt::obj::Integrity &in = manifest.integrity;
  std::vector<uint8_t> copy = obj.bytes;
  size_t begin = ms->offset, end = ms->offset + ms->bytes.size();
  if (!bt::obj::zeroHexValue(copy, begin, end, in.fileSha256) ||
      !bt::obj::zeroHexValue(copy, begin, end, in.signatureHex))
    return Error(obj.path + ": the manifest's integrity fields are not where they were written");
  if (obj::sha256Hex(copy.data(), copy.size()) != in.fileSha256)
    return Error(obj.path + ": the file does not match its digest (object altered after compilation)");
  return {};
}

Status verifySignature(const ObjectFile &obj, const Manifest &manifest, const TrustPolicy &trust) {
  if (manifest.integrity.signatureHex.empty()) {
    if (trust.requireSignature)
      return Error(obj.path + ": the object is not signed and a signature is required");
    // An unusable --trust key is an error even for an unsigned object: a mistyped
    // path must not pass unnoticed.
    if (!trust.publicKeyPath.empty() && ::access(trust.publicKeyPath.c_str(), R_OK) != 0)
      return Error("--trust " + trust.publicKeyPath + ": " + std::strerror(errno));
    return {};
  }
  if (trust.publicKeyPath.empty())
    return {};
  auto verified = verifyEd25519(trust.publicKeyPath, bt::obj::fromHex(manifest.integrity.fileSha256),
                                bt::obj::fromHex(manifest.integrity.signatureHex));
  if (!verified)
    return std::move(verified).error();
  if (!*verified)
    return Error(obj.path + ": the signature does not verify with the trusted key " +
                 trust.publicKeyPath);
  return {};
}

Result<LoadedObject> openObject(const std::string &path, const TrustPolicy &trust) {
  auto obj = readObject(path);
  if (!obj)
    return std::move(obj).error();
  auto manifest = parseManifest(obj->manifestText);
  if (!manifest)
    return std::move(manifest).error().prefix(path + ": ");
  auto st = verifyIntegrity(*obj, *manifest);
  if (!st)
    return std::move(st).error();
  st = verifyFileDigest(*obj, *manifest);
  if (!st)
    return std::move(st).error();
  st = verifySignature(*obj, *manifest, trust);
  if (!st)
    return std::move(st).error();
  return LoadedObject{std::move(*obj), std::move(*manifest)};
}

} // namespace bt::rt
