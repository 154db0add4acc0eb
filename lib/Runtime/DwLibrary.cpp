#include "DwLibrary.h"

#include <dlfcn.h>

namespace bt::rt {

// libdw1's soname: the ABI the header above describes.
static constexpr const char *kLibdw = "libdw.so.1";

const DwLibrary *DwLibrary::get(std::string &error) {
  static std::string loadError;
  static const DwLibrary *library = []() -> const DwLibrary * {
    void *handle = dlopen(kLibdw, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char *why = dlerror();
      loadError = std::string("cannot load ") + kLibdw + " (" + (why ? why : "unknown") + ")";
      return nullptr;
    }
    static DwLibrary lib;
#define BT_DWFL_LOAD(name)                                                                 \
  lib.name = reinterpret_cast<decltype(lib.name)>(dlsym(handle, #name));                   \
  if (!lib.name) {                                                                         \
    loadError = std::string(kLibdw) + " lacks " #name;                                     \
    return nullptr;                                                                        \
  }
    BT_DWFL_FUNCTIONS(BT_DWFL_LOAD)
#undef BT_DWFL_LOAD
    return &lib;
  }();
  if (!library)
    error = loadError;
  return library;
}

} // namespace bt::rt
