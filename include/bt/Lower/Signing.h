// btc --sign: Ed25519 signatures with a PEM private key (OpenSSL). Emission.cpp signs the
// object's file digest; tools/btc signs an OCI image's cosign payload with the same key.
#ifndef BT_LOWER_SIGNING_H
#define BT_LOWER_SIGNING_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace bt::lower {

/// The Ed25519 signature (hex) of `message`, with the PEM private key at `keyPath`.
llvm::Expected<std::string> signEd25519(const std::string &keyPath,
                                        llvm::ArrayRef<uint8_t> message);

} // namespace bt::lower

#endif
