// btrun-static's user symbolizer: the function symbols of the ELF files a process maps,
// read by libelf (which libbpf links in anyway) through the walk uprobes attach by
// (bt/Target/ElfSymbols.h: .symtab, .dynsym, and a stripped file's separate debug file
// found by build id). libdw, which btrun names them with, would take btrun-static past its
// 3 MB (docs/FLEET.md, "Small runner"). As btrun's libdwfl symbolizer, it reads a process's
// mappings when its first address is named and keeps them for the run, and each file's
// symbols once. An address is placed in its file by file offset (the mapping's offset plus
// the address's distance into it), where ElfFunction places each symbol too: no load bias
// to work out. Of the symbols around it, the one libdwfl picks: the closest start whose
// size covers the address; at one start, a global name before a weak one before a local
// one, then the first the file lists (libc's write is `__write`, as btrun names it).
// Symbols without a size (libdwfl's fallback for hand-written assembly) name nothing.
#include "bt/Runtime/UserStacks.h"
#include "bt/Target/ElfSymbols.h"

#include <elf.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

namespace bt::rt {

namespace {

// How libdwfl ranks names at one address: global, weak, local.
int bindingRank(const ElfFunction &f) {
  return f.binding == STB_GLOBAL ? 3 : f.binding == STB_WEAK ? 2 : f.binding == STB_LOCAL ? 1 : 0;
}

struct Mapping {
  uint64_t start = 0, end = 0, offset = 0;
  std::string path;
};

// The file-backed mappings in /proc/PID/maps ("START-END PERMS OFFSET DEV INODE PATH");
// empty when the process is gone.
std::vector<Mapping> readMappings(uint32_t pid) {
  std::vector<Mapping> out;
  char name[32];
  std::snprintf(name, sizeof name, "/proc/%" PRIu32 "/maps", pid);
  FILE *maps = std::fopen(name, "re");
  if (!maps)
    return out;
  char *line = nullptr;
  size_t capacity = 0;
  while (::getline(&line, &capacity, maps) > 0) {
    Mapping m;
    int path = 0;
    if (std::sscanf(line, "%" SCNx64 "-%" SCNx64 " %*s %" SCNx64 " %*s %*s %n", &m.start, &m.end,
                    &m.offset, &path) < 3 ||
        path == 0 || line[path] != '/')
      continue;
    m.path = line + path;
    if (!m.path.empty() && m.path.back() == '\n')
      m.path.pop_back();
    out.push_back(std::move(m));
  }
  std::free(line);
  std::fclose(maps);
  return out;
}

class ElfUserSymbols : public UserSymbolizer {
public:
  std::optional<Symbol> find(uint32_t pid, uint64_t address) override {
    auto process = processes_.find(pid);
    if (process == processes_.end())
      process = processes_.emplace(pid, readMappings(pid)).first;
    for (const Mapping &m : process->second)
      if (address >= m.start && address < m.end)
        return named(m, address - m.start + m.offset);
    return std::nullopt;
  }

  const char *limitation() const override { return ""; }

private:
  // The function of the mapped file at file offset `offset`.
  std::optional<Symbol> named(const Mapping &m, uint64_t offset) {
    const std::vector<ElfFunction> &functions = functionsOf(m.path);
    auto after = std::upper_bound(functions.begin(), functions.end(), offset,
                                  [](uint64_t o, const ElfFunction &f) { return o < *f.fileOffset; });
    const ElfFunction *best = nullptr;
    for (auto it = after; it != functions.begin();) {
      const ElfFunction &f = *--it;
      if (best && *f.fileOffset < *best->fileOffset)
        break;
      // Walking back, an equal rank is an earlier name: it wins.
      if (offset - *f.fileOffset < f.size && (!best || bindingRank(f) >= bindingRank(*best)))
        best = &f;
    }
    if (!best)
      return std::nullopt;
    return Symbol{best->name, offset - *best->fileOffset, m.path};
  }

  // The file's functions that a loadable segment places, by file offset; read once.
  const std::vector<ElfFunction> &functionsOf(const std::string &path) {
    auto [it, inserted] = files_.try_emplace(path);
    if (!inserted)
      return it->second;
    if (auto functions = elfFunctions(path)) {
      for (ElfFunction &f : *functions)
        if (f.fileOffset && f.size)
          it->second.push_back(std::move(f));
      std::stable_sort(it->second.begin(), it->second.end(),
                       [](const ElfFunction &a, const ElfFunction &b) {
                         return *a.fileOffset < *b.fileOffset;
                       });
    }
    return it->second;
  }

  std::unordered_map<uint32_t, std::vector<Mapping>> processes_;
  std::unordered_map<std::string, std::vector<ElfFunction>> files_;
};

} // namespace

std::unique_ptr<UserSymbolizer> makeUserSymbolizer() { return std::make_unique<ElfUserSymbols>(); }

} // namespace bt::rt
