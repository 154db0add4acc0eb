// The one walk over an ELF file's function symbols (libelf): btc matches uprobe wildcards
// against their names, btrun attaches uprobes at their file offsets.
#include "bt/Target/ElfSymbols.h"

#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bt {

std::optional<uint64_t> elfFileOffset(Elf *elf, uint64_t address) {
  size_t n = 0;
  if (elf_getphdrnum(elf, &n) != 0)
    return std::nullopt;
  for (size_t i = 0; i < n; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf, static_cast<int>(i), &ph) && ph.p_type == PT_LOAD &&
        address >= ph.p_vaddr && address < ph.p_vaddr + ph.p_filesz)
      return address - ph.p_vaddr + ph.p_offset;
  }
  return std::nullopt;
}

namespace {

// Calls `visit(elf, symbol, name)` for each named symbol of the file's symbol tables;
// the error when the file cannot be read.
template <typename Visit>
std::optional<std::string> forEachSymbol(const std::string &path, Visit visit) {
  if (elf_version(EV_CURRENT) == EV_NONE)
    return std::string("libelf is out of date");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return "cannot open '" + path + "': " + std::strerror(errno);
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  if (!elf || elf_kind(elf) != ELF_K_ELF) {
    if (elf)
      elf_end(elf);
    ::close(fd);
    return "'" + path + "' is not an ELF file";
  }
  for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
        sh.sh_entsize == 0)
      continue;
    Elf_Data *data = elf_getdata(scn, nullptr);
    size_t count = data ? sh.sh_size / sh.sh_entsize : 0;
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym))
        continue;
      const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
      if (name && *name)
        visit(elf, sym, name);
    }
  }
  elf_end(elf);
  ::close(fd);
  return std::nullopt;
}

} // namespace

OrError<std::vector<ElfFunction>> elfFunctions(const std::string &path) {
  std::vector<ElfFunction> functions;
  auto failed = forEachSymbol(path, [&](Elf *elf, const GElf_Sym &sym, const char *name) {
    int type = GELF_ST_TYPE(sym.st_info);
    if ((type == STT_FUNC || type == STT_GNU_IFUNC) && sym.st_shndx != SHN_UNDEF &&
        sym.st_value != 0)
      functions.push_back({name, elfFileOffset(elf, sym.st_value), sym.st_size});
  });
  if (failed)
    return OrError<std::vector<ElfFunction>>::failure(*failed);
  return functions;
}

OrError<std::optional<ElfSymbol>> elfSymbol(const std::string &path, const std::string &name) {
  std::optional<ElfSymbol> found;
  auto failed = forEachSymbol(path, [&](Elf *, const GElf_Sym &sym, const char *symName) {
    if (!found && sym.st_shndx != SHN_UNDEF && sym.st_value != 0 && name == symName)
      found = ElfSymbol{sym.st_value, sym.st_size};
  });
  if (failed)
    return OrError<std::optional<ElfSymbol>>::failure(*failed);
  return found;
}

OrError<std::vector<std::string>> elfFunctionSymbols(const std::string &path) {
  auto functions = elfFunctions(path);
  if (!functions)
    return OrError<std::vector<std::string>>::failure(functions.error());
  std::vector<std::string> names;
  for (ElfFunction &f : *functions)
    names.push_back(std::move(f.name));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

} // namespace bt
