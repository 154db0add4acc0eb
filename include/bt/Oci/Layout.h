// An object as an OCI image layout (docs/FLEET.md, "OCI image"): bpfman's bytecode-image
// form (one tar+gzip layer holding the object at its root, io.ebpf.* config labels) plus
// btc's labels. btc writes one; btrun reads one, re-hashing every blob it reads. No LLVM,
// libbpf or AST here: libarchive (tar, gzip through zlib), nlohmann/json and libmd.
#ifndef BT_OCI_LAYOUT_H
#define BT_OCI_LAYOUT_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bt::oci {

/// btc's config labels; btrun refuses an image without the first two.
inline constexpr const char *kObjectDigestLabel = "dev.btc.object.sha256";
inline constexpr const char *kManifestDigestLabel = "dev.btc.manifest.sha256";
inline constexpr const char *kVersionLabel = "dev.btc.version";
/// bpfman's labels: JSON strings mapping program name -> type and map name -> type.
inline constexpr const char *kProgramsLabel = "io.ebpf.programs";
inline constexpr const char *kMapsLabel = "io.ebpf.maps";

/// What goes into the image; `labels` holds every config label (btc's and bpfman's).
struct ImageContent {
  std::string objectName; // the file name in the layer, e.g. "prog.bto"
  std::vector<uint8_t> object;
  std::map<std::string, std::string> labels;
  int64_t created = 0; // seconds since the epoch: the layer's mtime and config.created
};

/// Writes `content` as an OCI image layout in `dir` (created if missing): blobs,
/// oci-layout, and an index.json holding this one image under `tag`. The same content
/// gives the same bytes. `manifestDigest`, when given, receives the image manifest's
/// digest ("sha256:HEX"). Returns "" or a one-line error.
std::string writeLayout(const std::string &dir, const std::string &tag,
                        const ImageContent &content, std::string *manifestDigest = nullptr);

/// A cosign-style signature (docs/FLEET.md, "Image signature"): the simple-signing
/// payload naming the image manifest `manifestDigest` as `identity` (a docker reference,
/// e.g. registry.example/tracing/syscount), and the tag cosign keeps it under,
/// "sha256-HEX.sig".
std::string cosignPayload(const std::string &identity, const std::string &manifestDigest);
std::string cosignSignatureTag(const std::string &manifestDigest);

/// Adds to the layout in `dir` the signature image tagged cosignSignatureTag(digest):
/// one simple-signing layer holding `payload`, annotated with `signatureBase64`, the
/// signature over it. `created` as ImageContent's. Returns "" or a one-line error.
std::string writeCosignSignature(const std::string &dir, const std::string &manifestDigest,
                                 const std::string &payload, const std::string &signatureBase64,
                                 int64_t created);

/// Reads the image `tag` ("" when the index holds exactly one) from the layout in `dir`:
/// every blob's SHA-256 and size are checked against the descriptor that names it, the
/// config must carry btc's labels, the layer must hold exactly one regular file, whose
/// SHA-256 must be the object label's. Returns "" or a one-line error naming `dir`.
std::string readLayout(const std::string &dir, const std::string &tag, ImageContent &out);

} // namespace bt::oci

#endif
