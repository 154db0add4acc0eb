// btc --sign: Ed25519 signatures (OpenSSL).
#include "bt/Lower/Signing.h"

#include "llvm/ADT/StringExtras.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace bt::lower {

using namespace llvm;

Expected<std::string> signEd25519(const std::string &keyPath, ArrayRef<uint8_t> message) {
  auto fail = [&](const std::string &what) {
    return createStringError(inconvertibleErrorCode(), "--sign " + keyPath + ": " + what);
  };
  std::FILE *f = std::fopen(keyPath.c_str(), "r");
  if (!f)
    return fail(std::strerror(errno));
  EVP_PKEY *key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!key)
    return fail("not a PEM private key");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> keyOwner(key, EVP_PKEY_free);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519)
    return fail("not an Ed25519 key (make one with: openssl genpkey -algorithm ed25519)");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char sig[64];
  size_t sigLen = sizeof sig;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &sigLen, message.data(), message.size()) != 1 || sigLen != 64)
    return fail("signing failed");
  return toHex(ArrayRef<uint8_t>(sig, sigLen), true);
}

} // namespace bt::lower
