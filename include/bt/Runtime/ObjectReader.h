// Reading a btc object: the ELF (libelf), its manifest section, its integrity digests.
#ifndef BT_RUNTIME_OBJECTREADER_H
#define BT_RUNTIME_OBJECTREADER_H

#include "bt/Object/Integrity.h"
#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bt::rt {

using obj::kManifestSection;

struct ElfSection {
  size_t index = 0;
  std::string name;
  uint32_t type = 0;          // SHT_*
  uint64_t offset = 0;        // sh_offset: where the bytes are in the file
  std::vector<uint8_t> bytes; // the section's bytes in the file (empty for SHT_NOBITS)
};

/// A btc object read into memory: its bytes, its sections and its raw manifest text.
struct ObjectFile {
  std::string path;
  std::vector<uint8_t> bytes;
  std::vector<ElfSection> sections; // without the null section
  std::string manifestText;         // trailing spaces and NULs trimmed
};

/// Where the objects named "SCHEME:..." come from (btrun registers "oci", docs/RUNTIME.md):
/// the object's bytes for the whole name, or a one-line error. readObject consults it.
using ObjectSource = Result<std::vector<uint8_t>> (*)(const std::string &name);
void registerObjectSource(const std::string &scheme, ObjectSource source);

/// Reads `path`, checks it is a relocatable little-endian ELF64 for EM_BPF and extracts
/// `.bt.manifest`. Does not parse the manifest.
Result<ObjectFile> readObject(const std::string &path);
/// The same for bytes already in memory; `path` is the name errors use.
Result<ObjectFile> readObjectBytes(const std::string &path, std::vector<uint8_t> bytes);

/// Recomputes the digest of every section except `.bt.manifest` and compares it with
/// the manifest. Lists every mismatch, missing and unexpected section.
Status verifyIntegrity(const ObjectFile &obj, const Manifest &manifest);

/// Recomputes the whole file's digest, with the digest and the signature in the
/// manifest zeroed, and compares it with integrity.file_sha256: this covers the
/// ELF and section headers and the manifest itself.
Status verifyFileDigest(const ObjectFile &obj, const Manifest &manifest);

/// Who signs the objects this host accepts (btrun --trust, --require-signature).
struct TrustPolicy {
  std::string publicKeyPath; // PEM Ed25519 public key; empty: signatures not checked
  bool requireSignature = false;
};

/// Checks the Ed25519 signature of the file digest against the trusted key.
Status verifySignature(const ObjectFile &obj, const Manifest &manifest, const TrustPolicy &trust);

/// readObject + parseManifest + the integrity and signature checks: every error
/// names the file.
struct LoadedObject {
  ObjectFile object;
  Manifest manifest;
};
Result<LoadedObject> openObject(const std::string &path, const TrustPolicy &trust = {});

} // namespace bt::rt

#endif
