// Attach-point resolution that every target shares: library names and kernel function
// lists (a binary's function symbols: ElfSymbols.cpp).
#include "bt/Target/Target.h"

namespace bt {

OrError<std::string> TargetInfo::resolveLibrary(const std::string &name) const {
  return OrError<std::string>::failure("'" + name + "' is not an absolute path, and " + this->name() +
                                       " has no library paths to search");
}

OrError<std::vector<std::string>> TargetInfo::functions() const {
  return OrError<std::vector<std::string>>::failure(name() + " lists no kernel functions");
}

} // namespace bt
