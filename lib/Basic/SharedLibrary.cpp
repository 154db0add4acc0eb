#include "bt/Basic/SharedLibrary.h"

#include <dlfcn.h>

namespace bt {

bool SharedLibrary::open(const std::string &path, std::string &error) {
  path_ = path;
  handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) {
    const char *why = dlerror();
    error = why ? why : "unknown reason";
  }
  return handle_ != nullptr;
}

void *SharedLibrary::symbol(const char *name) const { return dlsym(handle_, name); }

} // namespace bt
