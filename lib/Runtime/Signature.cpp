// Ed25519 verification through a table of libcrypto functions, filled in one of two ways.
//
// btrun (dynamic) opens libcrypto.so.3 with dlopen when it first checks a signature: a run
// without --trust neither maps nor relocates OpenSSL, the largest library btrun would
// otherwise load, and never initialises it (bench/ANALYSIS.md, figure 1).
// btrun-static is linked with -static, where glibc's dlopen would need the build host's
// glibc at run time: it compiles this file with BT_LIBCRYPTO_LINKED and takes the
// functions from libcrypto.a. Everything after the table is the same code.
#include "Signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#ifndef BT_LIBCRYPTO_LINKED
#include <dlfcn.h>
#endif

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace bt::rt {

namespace {

// Every libcrypto function verification calls: one list, so that the name dlsym looks up
// and the type it is called with cannot disagree.
#define BT_LIBCRYPTO_FUNCTIONS(F)                                                           \
  F(OPENSSL_init_crypto)                                                                    \
  F(PEM_read_PUBKEY)                                                                        \
  F(EVP_PKEY_get_id)                                                                        \
  F(EVP_PKEY_free)                                                                          \
  F(EVP_MD_CTX_new)                                                                         \
  F(EVP_MD_CTX_free)                                                                        \
  F(EVP_DigestVerifyInit)                                                                   \
  F(EVP_DigestVerify)

struct Libcrypto {
#define BT_LIBCRYPTO_MEMBER(name) decltype(&::name) name = nullptr;
  BT_LIBCRYPTO_FUNCTIONS(BT_LIBCRYPTO_MEMBER)
#undef BT_LIBCRYPTO_MEMBER
};

#ifdef BT_LIBCRYPTO_LINKED

Result<Libcrypto> libcrypto() {
  Libcrypto fns;
#define BT_LIBCRYPTO_LINK(name) fns.name = &::name;
  BT_LIBCRYPTO_FUNCTIONS(BT_LIBCRYPTO_LINK)
#undef BT_LIBCRYPTO_LINK
  return fns;
}

#else

Result<Libcrypto> libcrypto() {
  // Never closed: libcrypto keeps global state and exit handlers for the whole process.
  void *handle = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return Error(std::string("cannot load libcrypto.so.3 (OpenSSL 3), needed to check "
                             "signatures: ") +
                 dlerror());
  Libcrypto fns;
#define BT_LIBCRYPTO_RESOLVE(name)                                                          \
  fns.name = reinterpret_cast<decltype(fns.name)>(dlsym(handle, #name));                    \
  if (!fns.name)                                                                            \
    return Error("libcrypto.so.3 has no " #name ": not OpenSSL 3");
  BT_LIBCRYPTO_FUNCTIONS(BT_LIBCRYPTO_RESOLVE)
#undef BT_LIBCRYPTO_RESOLVE
  return fns;
}

#endif

} // namespace

Result<bool> verifyEd25519(const std::string &publicKeyPath, const std::vector<uint8_t> &message,
                           const std::vector<uint8_t> &signature) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(publicKeyPath.c_str(), "r"),
                                                           std::fclose);
  if (!file)
    return Error("--trust " + publicKeyPath + ": " + std::strerror(errno));
  auto crypto = libcrypto();
  if (!crypto)
    return std::move(crypto).error().prefix("--trust " + publicKeyPath + ": ");
  // btrun needs no OpenSSL configuration: skipping openssl.cnf shortens start-up.
  if (crypto->OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) != 1)
    return Error("--trust " + publicKeyPath + ": OpenSSL initialisation failed");

  std::unique_ptr<EVP_PKEY, decltype(crypto->EVP_PKEY_free)> key(
      crypto->PEM_read_PUBKEY(file.get(), nullptr, nullptr, nullptr), crypto->EVP_PKEY_free);
  if (!key)
    return Error("--trust " + publicKeyPath + ": not a PEM public key");
  if (crypto->EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
    return Error("--trust " + publicKeyPath + ": not an Ed25519 key");
  std::unique_ptr<EVP_MD_CTX, decltype(crypto->EVP_MD_CTX_free)> ctx(crypto->EVP_MD_CTX_new(),
                                                                     crypto->EVP_MD_CTX_free);
  return ctx &&
         crypto->EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
         crypto->EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                                  message.size()) == 1;
}

} // namespace bt::rt
