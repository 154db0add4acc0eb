// btrun-static's user symbolizer: the symbols of the ELF files a process maps that
// libdwfl names addresses by (functions, assembly labels without a type, data objects),
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
// Where no sized symbol covers it, libdwfl's fallback for hand-written assembly: the
// closest symbol without a size (no `.size`, with or without a `.type`) in the address's own
// section, unless a sized symbol below the address ends above that symbol's start.
#include "bt/Runtime/UserStacks.h"
#include "bt/Target/ElfSymbols.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdint>
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

// The file-offset ranges of a file's allocated sections that have bytes in the file,
// sorted: a sizeless symbol names only addresses of its own section, as libdwfl's does.
std::vector<std::pair<uint64_t, uint64_t>> sectionRanges(const std::string &path) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return out;
  if (elf_version(EV_CURRENT) != EV_NONE)
    if (Elf *elf = elf_begin(fd, ELF_C_READ, nullptr)) {
      for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_ALLOC) && sh.sh_type != SHT_NOBITS &&
            sh.sh_size)
          out.emplace_back(sh.sh_offset, sh.sh_offset + sh.sh_size);
      }
      elf_end(elf);
    }
  ::close(fd);
  std::sort(out.begin(), out.end());
  return out;
}

// A mapped file's functions that a loadable segment places, each list by file offset.
struct FileSymbols {
  std::vector<ElfFunction> sized;
  std::vector<uint64_t> sizedEndSoFar; // the highest end of sized[0..i]
  std::vector<ElfFunction> sizeless;
  std::vector<std::pair<uint64_t, uint64_t>> sections;
};

bool byOffset(const ElfFunction &a, const ElfFunction &b) { return *a.fileOffset < *b.fileOffset; }

// Of `symbols` (by file offset) that start at or below `offset`, the one libdwfl picks:
// the closest start (of those whose size covers the offset, where `sized`), then by
// binding.
const ElfFunction *closest(const std::vector<ElfFunction> &symbols, uint64_t offset, bool sized) {
  auto after = std::upper_bound(symbols.begin(), symbols.end(), offset,
                                [](uint64_t o, const ElfFunction &f) { return o < *f.fileOffset; });
  const ElfFunction *best = nullptr;
  for (auto it = after; it != symbols.begin();) {
    const ElfFunction &f = *--it;
    if (best && *f.fileOffset < *best->fileOffset)
      break;
    // Walking back, an equal rank is an earlier name: it wins.
    if ((!sized || offset - *f.fileOffset < f.size) &&
        (!best || bindingRank(f) >= bindingRank(*best)))
      best = &f;
  }
  return best;
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
    const FileSymbols &file = symbolsOf(m.path);
    const ElfFunction *best = closest(file.sized, offset, true);
    if (!best)
      best = label(file, offset);
    if (!best)
      return std::nullopt;
    return Symbol{best->name, offset - *best->fileOffset, m.path};
  }

  // libdwfl's fallback: the closest sizeless symbol in the offset's section, unless a
  // sized symbol that starts at or below the offset ends above it.
  static const ElfFunction *label(const FileSymbols &file, uint64_t offset) {
    const ElfFunction *l = closest(file.sizeless, offset, false);
    if (!l)
      return nullptr;
    auto section = std::upper_bound(file.sections.begin(), file.sections.end(),
                                    std::make_pair(offset, UINT64_MAX));
    if (section == file.sections.begin() || offset >= (--section)->second ||
        *l->fileOffset < section->first)
      return nullptr;
    auto sizedAfter = std::upper_bound(
        file.sized.begin(), file.sized.end(), offset,
        [](uint64_t o, const ElfFunction &f) { return o < *f.fileOffset; });
    if (sizedAfter != file.sized.begin() &&
        file.sizedEndSoFar[sizedAfter - file.sized.begin() - 1] > *l->fileOffset)
      return nullptr;
    return l;
  }

  // The file's symbols and sections; read once.
  const FileSymbols &symbolsOf(const std::string &path) {
    auto [it, inserted] = files_.try_emplace(path);
    FileSymbols &file = it->second;
    if (!inserted)
      return file;
    if (auto functions = elfAddressNames(path)) {
      for (ElfFunction &f : *functions)
        if (f.fileOffset)
          (f.size ? file.sized : file.sizeless).push_back(std::move(f));
      std::stable_sort(file.sized.begin(), file.sized.end(), byOffset);
      std::stable_sort(file.sizeless.begin(), file.sizeless.end(), byOffset);
      uint64_t end = 0;
      for (const ElfFunction &f : file.sized)
        file.sizedEndSoFar.push_back(end = std::max(end, *f.fileOffset + f.size));
      if (!file.sizeless.empty())
        file.sections = sectionRanges(path);
    }
    return file;
  }

  std::unordered_map<uint32_t, std::vector<Mapping>> processes_;
  std::unordered_map<std::string, FileSymbols> files_;
};

} // namespace

std::unique_ptr<UserSymbolizer> makeUserSymbolizer() { return std::make_unique<ElfUserSymbols>(); }

} // namespace bt::rt
