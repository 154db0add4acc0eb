// Ed25519 signature checks for btrun --trust, with OpenSSL's libcrypto (Signature.cpp
// says how each btrun reaches it).
#ifndef BT_RUNTIME_SIGNATURE_H
#define BT_RUNTIME_SIGNATURE_H

#include "bt/Runtime/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bt::rt {

/// Whether `signature` is an Ed25519 signature of `message` by the PEM public key in the
/// file `publicKeyPath`. An unreadable key, a key that is not Ed25519 or a libcrypto that
/// cannot be loaded is an error; a signature that does not verify is false.
Result<bool> verifyEd25519(const std::string &publicKeyPath, const std::vector<uint8_t> &message,
                           const std::vector<uint8_t> &signature);

} // namespace bt::rt

#endif
