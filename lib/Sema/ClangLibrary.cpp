#include "ClangLibrary.h"

namespace bt::sema {

bool ClangLibrary::bind(const SharedLibrary &library, std::string &error) {
#define BT_CLANG_BIND(name) library.bind(name, #name, error) &&
  return BT_CLANG_FUNCTIONS(BT_CLANG_BIND) true;
#undef BT_CLANG_BIND
}

} // namespace bt::sema
