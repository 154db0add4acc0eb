// See UprobeSymbols.h.
#include "UprobeSymbols.h"

#include "bt/Basic/Glob.h"
#include "bt/Target/ElfSymbols.h"

#include <algorithm>
#include <cstdio>

namespace bt::rt {

UprobeSymbols::Binary &UprobeSymbols::binary(const std::string &path, bool withDebugFile) {
  Binary &b = binaries_[path];
  if (b.read && (b.debugFileRead || !withDebugFile))
    return b;
  // The debug file (libc's static functions) only when the binary's own tables lack a
  // name or address: reading it costs a run about 10 ms and 1 MB for libc.
  if (auto functions = elfFunctions(path, withDebugFile)) {
    for (const ElfFunction &f : *functions)
      if (f.fileOffset) // the first definition of a name wins
        b.functions.emplace(f.name, Function{*f.fileOffset, f.size, f.address});
  } else {
    b.error = functions.error();
  }
  b.read = true;
  b.debugFileRead = withDebugFile;
  return b;
}

const std::pair<const std::string, UprobeSymbols::Function> *
UprobeSymbols::Binary::holding(uint64_t address) const {
  for (const auto &named : functions) {
    const Function &f = named.second;
    if (address >= f.address && address < f.address + std::max<uint64_t>(f.size, 1))
      return &named;
  }
  return nullptr;
}

namespace {

Error notAtEntry(const std::string &symbol, uint64_t offset) {
  return Error("a uretprobe cannot be attached at an offset into a function (" + symbol + "+" +
               std::to_string(offset) + "): only at its entry is the word on top of the "
               "stack the return address it replaces");
}

} // namespace

Result<uint64_t> UprobeSymbols::fileOffset(const std::string &path, const std::string &symbol,
                                           uint64_t offset, bool entryOnly) {
  const Binary *b = &binary(path, false);
  if (!b->error.empty())
    return Error(b->error);
  auto sym = b->functions.find(symbol);
  if (sym == b->functions.end()) {
    b = &binary(path, true);
    sym = b->functions.find(symbol);
  }
  if (sym == b->functions.end())
    return Error("no function '" + symbol + "' in " + path);
  if (entryOnly && offset != 0)
    return notAtEntry(symbol, offset);
  // A symbol of size 0 (hand-written assembly) has no known end to check against.
  if (offset != 0 && sym->second.size != 0 && offset >= sym->second.size)
    return Error("offset " + std::to_string(offset) + " is outside function '" + symbol +
                 "' (its size is " + std::to_string(sym->second.size) + " bytes)");
  return sym->second.offset + offset;
}

Result<uint64_t> UprobeSymbols::addressOffset(const std::string &path, uint64_t address,
                                              bool entryOnly) {
  const Binary &b = binary(path, false);
  if (!b.error.empty())
    return Error(b.error);
  auto *held = b.holding(address);
  if (!held)
    held = binary(path, true).holding(address);
  if (!held) {
    char hex[32];
    snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(address));
    return Error(std::string("could not resolve address ") + hex + ": no function of " + path +
                 " holds it");
  }
  uint64_t into = address - held->second.address;
  if (entryOnly && into != 0)
    return notAtEntry(held->first, into);
  return held->second.offset + into;
}

std::vector<std::string> UprobeSymbols::functionsMatching(const std::string &path,
                                                          const std::string &pattern) {
  std::vector<std::string> names;
  for (const auto &[name, f] : binary(path, false).functions)
    if (globMatches(pattern, name))
      names.push_back(name);
  return names;
}

} // namespace bt::rt
