#include "ClangLibrary.h"

#include <dlfcn.h>

namespace bt::sema {

const ClangLibrary *ClangLibrary::get(std::string &error) {
  static std::string loadError;
  static const ClangLibrary *library = [] () -> const ClangLibrary * {
    // RTLD_LOCAL: the LLVM libclang brings stays apart from the one linked into btc.
    void *handle = dlopen(BT_LIBCLANG_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      loadError = std::string("C definitions and #include need libclang (") + dlerror() + ")";
      return nullptr;
    }
    static ClangLibrary lib;
#define BT_CLANG_LOAD(name)                                                                \
  lib.name = reinterpret_cast<decltype(lib.name)>(dlsym(handle, #name));                   \
  if (!lib.name) {                                                                         \
    loadError = BT_LIBCLANG_PATH " lacks " #name;                                          \
    return nullptr;                                                                        \
  }
    BT_CLANG_FUNCTIONS(BT_CLANG_LOAD)
#undef BT_CLANG_LOAD
    return &lib;
  }();
  if (!library)
    error = loadError;
  return library;
}

} // namespace bt::sema
