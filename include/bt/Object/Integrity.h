// What an object's integrity block covers, and under which keys (docs/OBJECT.md):
// btc computes it, btrun recomputes it, both through these functions. The hash
// itself is each side's own (LLVM's SHA256 in btc, libmd in btrun).
#ifndef BT_OBJECT_INTEGRITY_H
#define BT_OBJECT_INTEGRITY_H

#include "bt/Object/Manifest.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bt::obj {

/// The ELF section that holds the manifest (and is not digested per section).
inline constexpr const char *kManifestSection = ".bt.manifest";
/// The manifest's text in the `.bt.manifest` section's bytes: without the trailing
/// padding (spaces, NULs, line ends). Its SHA-256 is an OCI image's manifest label.
std::string_view manifestText(std::string_view section);

/// Lowercase hex lengths of the file digest (SHA-256) and the signature (Ed25519).
inline constexpr size_t kFileDigestHexSize = 64;
inline constexpr size_t kSignatureHexSize = 128;

/// An ELF section as the integrity block sees it: its header index and name.
struct SectionName {
  size_t index = 0;
  std::string name;
};

/// The integrity.sections key of each section, in the order given: the section's
/// name, or "name#index" for every section whose name is held by more than one;
/// "" for the sections that are not digested (the null section, index 0, and
/// `.bt.manifest`).
std::vector<std::string> sectionDigestKeys(const std::vector<SectionName> &sections);

/// Sets the file digest (and, when `signedObject`, the signature) to the ASCII zeros
/// the file is digested with: the values are written over them afterwards.
void setIntegrityPlaceholders(Integrity &integrity, bool signedObject);

/// Overwrites with ASCII zeros the first occurrence of `hex` in bytes [begin, end) of
/// `file`: undoes the writing of a digest or a signature before the file is
/// digested again. False when `hex` is not there; an empty `hex` is a no-op.
bool zeroHexValue(std::vector<uint8_t> &file, size_t begin, size_t end, std::string_view hex);

/// Where, in the manifest text (compact JSON, as writeManifest makes it), the zero
/// placeholder of key `key` ("file_sha256" or "value") begins: btc writes the value
/// there once the file is digested. nullopt when it is not there.
std::optional<size_t> placeholderOffset(std::string_view manifest, std::string_view key,
                                        size_t hexSize);

/// Lowercase hex SHA-256 of `data`, by libmd: btrun's digests and lib/Oci's blobs (btc's
/// integrity digests are LLVM's, lib/Lower).
std::string sha256Hex(const uint8_t *data, size_t size);

/// Lowercase hex of bytes, and the bytes of hex (pairs of hex digits; stops at the first
/// pair that is not one).
std::string toHex(const uint8_t *data, size_t size);
std::vector<uint8_t> fromHex(std::string_view hex);

} // namespace bt::obj

#endif
