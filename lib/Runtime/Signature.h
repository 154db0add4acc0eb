// Ed25519 signature checks for btrun --trust, with libsodium.
#ifndef BT_RUNTIME_SIGNATURE_H
#define BT_RUNTIME_SIGNATURE_H

#include "bt/Runtime/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bt::rt {

/// The 32-byte Ed25519 key of a PEM public key file (`openssl pkey -pubout`'s form).
Result<std::vector<uint8_t>> readEd25519PublicKey(const std::string &path);

/// Whether `signature` is an Ed25519 signature of `message` by the PEM public key in the
/// file `publicKeyPath`. An unreadable key or a key that is not Ed25519 is an error; a
/// signature that does not verify is false.
Result<bool> verifyEd25519(const std::string &publicKeyPath, const std::vector<uint8_t> &message,
                           const std::vector<uint8_t> &signature);

} // namespace bt::rt

#endif
