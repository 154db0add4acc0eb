// See UprobeSymbols.h.
#include "UprobeSymbols.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bt::rt {
namespace {

// A symbol's address as a file offset, through the PT_LOAD segment that holds it.
bool toFileOffset(Elf *elf, uint64_t addr, uint64_t &offset) {
  size_t n = 0;
  if (elf_getphdrnum(elf, &n) != 0)
    return false;
  for (size_t i = 0; i < n; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf, static_cast<int>(i), &ph) && ph.p_type == PT_LOAD &&
        addr >= ph.p_vaddr && addr < ph.p_vaddr + ph.p_filesz) {
      offset = addr - ph.p_vaddr + ph.p_offset;
      return true;
    }
  }
  return false;
}

std::string readSymbols(const std::string &path, std::map<std::string, uint64_t> &out) {
  if (elf_version(EV_CURRENT) == EV_NONE)
    return "libelf is out of date";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return "cannot open '" + path + "': " + std::strerror(errno);
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  std::string error;
  if (!elf || elf_kind(elf) != ELF_K_ELF) {
    error = "'" + path + "' is not an ELF file";
  } else {
    for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
      GElf_Shdr sh;
      if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
          sh.sh_entsize == 0)
        continue;
      Elf_Data *data = elf_getdata(scn, nullptr);
      size_t count = data ? sh.sh_size / sh.sh_entsize : 0;
      for (size_t i = 0; i < count; ++i) {
        GElf_Sym sym;
        uint64_t offset = 0;
        if (!gelf_getsym(data, static_cast<int>(i), &sym))
          continue;
        int type = GELF_ST_TYPE(sym.st_info);
        if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
            sym.st_value == 0 || !toFileOffset(elf, sym.st_value, offset))
          continue;
        const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
        if (name && *name)
          out.emplace(name, offset); // the first definition of a name wins
      }
    }
  }
  if (elf)
    elf_end(elf);
  ::close(fd);
  return error;
}

} // namespace

Result<uint64_t> UprobeSymbols::fileOffset(const std::string &path, const std::string &symbol) {
  auto it = binaries_.find(path);
  if (it == binaries_.end()) {
    Binary b;
    b.error = readSymbols(path, b.offsets);
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
