// See UprobeSymbols.h.
#include "UprobeSymbols.h"

#include "bt/Target/ElfSymbols.h"

namespace bt::rt {

Result<uint64_t> UprobeSymbols::fileOffset(const std::string &path, const std::string &symbol) {
  auto it = binaries_.find(path);
  if (it == binaries_.end()) {
    Binary b;
    if (auto functions = elfFunctions(path)) {
      for (const ElfFunction &f : *functions)
        if (f.fileOffset)
          b.offsets.emplace(f.name, *f.fileOffset); // the first definition of a name wins
    } else {
      b.error = functions.error();
    }
    it = binaries_.emplace(path, std::move(b)).first;
  }
  if (!it->second.error.empty())
    return Error(it->second.error);
  auto sym = it->second.offsets.find(symbol);
  if (sym == it->second.offsets.end())
    return Error("no function '" + symbol + "' in " + path);
  return sym->second;
}

} // namespace bt::rt
