// The OCI media types and annotation an image layout of an object uses.
#ifndef BT_OCI_MEDIATYPES_H
#define BT_OCI_MEDIATYPES_H

namespace bt::oci {

inline constexpr const char *kIndexType = "application/vnd.oci.image.index.v1+json";
inline constexpr const char *kManifestType = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char *kConfigType = "application/vnd.oci.image.config.v1+json";
inline constexpr const char *kLayerType = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char *kRefName = "org.opencontainers.image.ref.name";
/// A cosign signature's layer (its payload) and the annotation holding the signature.
inline constexpr const char *kSimpleSigningType = "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr const char *kCosignSignatureAnnotation = "dev.cosignproject.cosign/signature";

} // namespace bt::oci

#endif
