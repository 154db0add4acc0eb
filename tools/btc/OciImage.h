// btc --oci-layout: the compiled object as an OCI image layout (docs/FLEET.md).
#ifndef BTC_OCIIMAGE_H
#define BTC_OCIIMAGE_H

#include <string>
#include <vector>

namespace bt {

/// Writes `object` (a btc object, signed or not) as image `tag` in the OCI layout `dir`,
/// its layer holding it as `objectName`, labelled for bpfman (io.ebpf.programs,
/// io.ebpf.maps) and for btrun (btc's version, the object's and its manifest's SHA-256).
/// Times come from SOURCE_DATE_EPOCH when set. With `identity` (a docker reference), also
/// a cosign-style signature of the image for that reference, made with the Ed25519 key
/// `signingKeyPem`. Returns "" or a one-line error.
std::string writeOciImage(const std::vector<char> &object, const std::string &dir,
                          const std::string &tag, const std::string &objectName,
                          const std::string &signingKeyPem, const std::string &identity);

} // namespace bt

#endif
