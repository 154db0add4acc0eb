// Ed25519 verification with libsodium, linked in statically by both btruns: far smaller
// than OpenSSL's libcrypto, which btrun-static used to carry (docs/FLEET.md, "Small
// runner"), and nothing to load or initialise unless a signature is checked.
#include "Signature.h"

#include "bt/Basic/File.h"

#include <sodium.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace bt::rt {

namespace {

constexpr const char kPemBegin[] = "-----BEGIN PUBLIC KEY-----";
constexpr const char kPemEnd[] = "-----END PUBLIC KEY-----";

// An Ed25519 SubjectPublicKeyInfo (what `openssl pkey -pubout` writes) is always these 12
// DER bytes — SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33 bytes) } — then the
// 32-byte key (RFC 8410, section 4): comparing with them is all the DER there is to read.
constexpr unsigned char kEd25519SpkiPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

} // namespace

Result<std::vector<uint8_t>> readEd25519PublicKey(const std::string &path) {
  std::string text;
  if (readWholeFile(path, text) != FileReadError::None)
    return Error("--trust " + path + ": " + std::strerror(errno));
  size_t begin = text.find(kPemBegin);
  size_t end = begin == std::string::npos ? begin : text.find(kPemEnd, begin);
  if (end == std::string::npos)
    return Error("--trust " + path + ": not a PEM public key");
  begin += sizeof kPemBegin - 1;
  std::vector<uint8_t> der(end - begin);
  size_t derLen = 0;
  const char *last = nullptr;
  if (sodium_base642bin(der.data(), der.size(), text.data() + begin, end - begin, " \t\r\n",
                        &derLen, &last, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      last != text.data() + end)
    return Error("--trust " + path + ": not a PEM public key");
  if (derLen != sizeof kEd25519SpkiPrefix + crypto_sign_ed25519_PUBLICKEYBYTES ||
      std::memcmp(der.data(), kEd25519SpkiPrefix, sizeof kEd25519SpkiPrefix) != 0)
    return Error("--trust " + path + ": not an Ed25519 key");
  return std::vector<uint8_t>(der.begin() + sizeof kEd25519SpkiPrefix, der.begin() + derLen);
}

Result<bool> verifyEd25519(const std::string &publicKeyPath, const std::vector<uint8_t> &message,
                           const std::vector<uint8_t> &signature) {
  auto key = readEd25519PublicKey(publicKeyPath);
  if (!key)
    return std::move(key).error();
  return signature.size() == crypto_sign_ed25519_BYTES &&
         crypto_sign_ed25519_verify_detached(signature.data(), message.data(), message.size(),
                                             key->data()) == 0;
}

} // namespace bt::rt

// As libsodium's own (with no handler set): misuse of its API ends the process.
extern "C" void sodium_misuse(void) { std::abort(); }
