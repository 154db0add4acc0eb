#include "DwLibrary.h"

namespace bt::rt {

bool DwLibrary::bind(const SharedLibrary &library, std::string &error) {
#define BT_DWFL_BIND(name) library.bind(name, #name, error) &&
  return BT_DWFL_FUNCTIONS(BT_DWFL_BIND) true;
#undef BT_DWFL_BIND
}

} // namespace bt::rt
