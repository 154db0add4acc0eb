// See UprobeSymbols.h.
#include "UprobeSymbols.h"

#include "bt/Target/ElfSymbols.h"

#include <algorithm>
#include <cstdio>

namespace bt::rt {

const UprobeSymbols::Binary &UprobeSymbols::binary(const std::string &path) {
  auto it = binaries_.find(path);
  if (it == binaries_.end()) {
    Binary b;
    if (auto functions = elfFunctions(path)) {
      for (const ElfFunction &f : *functions)
        if (f.fileOffset) // the first definition of a name wins
          b.functions.emplace(f.name, Function{*f.fileOffset, f.size});
    } else {
      b.error = functions.error();
    }
    it = binaries_.emplace(path, std::move(b)).first;
  }
  return it->second;
}

Result<uint64_t> UprobeSymbols::fileOffset(const std::string &path, const std::string &symbol,
                                           uint64_t offset) {
  const Binary &b = binary(path);
  if (!b.error.empty())
    return Error(b.error);
  auto sym = b.functions.find(symbol);
  if (sym == b.functions.end())
    return Error("no function '" + symbol + "' in " + path);
  // A symbol of size 0 (hand-written assembly) has no known end to check against.
  if (offset != 0 && sym->second.size != 0 && offset >= sym->second.size)
    return Error("offset " + std::to_string(offset) + " is outside function '" + symbol +
                 "' (its size is " + std::to_string(sym->second.size) + " bytes)");
  return sym->second.offset + offset;
}

Result<uint64_t> UprobeSymbols::addressOffset(const std::string &path, uint64_t offset) {
  const Binary &b = binary(path);
  if (!b.error.empty())
    return Error(b.error);
  for (const auto &[name, f] : b.functions)
    if (offset >= f.offset && offset < f.offset + std::max<uint64_t>(f.size, 1))
      return offset;
  char hex[32];
  snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(offset));
  return Error(std::string("could not resolve address ") + hex + ": no function of " + path +
               " holds it");
}

} // namespace bt::rt
