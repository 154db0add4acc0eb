// Attach-point resolution that every target shares: library names, kernel function
// lists and the function symbols of a binary (libelf) for uprobe wildcards.
#include "bt/Target/Target.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bt {

OrError<std::string> TargetInfo::resolveLibrary(const std::string &name) const {
  return OrError<std::string>::failure("'" + name + "' is not an absolute path, and " + this->name() +
                                       " has no library paths to search");
}

OrError<std::vector<std::string>> TargetInfo::functions() const {
  return OrError<std::vector<std::string>>::failure(name() + " lists no kernel functions");
}

OrError<std::vector<std::string>> elfFunctionSymbols(const std::string &path) {
  using Result = OrError<std::vector<std::string>>;
  if (elf_version(EV_CURRENT) == EV_NONE)
    return Result::failure("libelf is out of date");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Result::failure("cannot open '" + path + "': " + std::strerror(errno));
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  if (!elf || elf_kind(elf) != ELF_K_ELF) {
    if (elf)
      elf_end(elf);
    ::close(fd);
    return Result::failure("'" + path + "' is not an ELF file");
  }
  std::vector<std::string> names;
  for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM) ||
        sh.sh_entsize == 0)
      continue;
    Elf_Data *data = elf_getdata(scn, nullptr);
    if (!data)
      continue;
    size_t count = sh.sh_size / sh.sh_entsize;
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym))
        continue;
      int type = GELF_ST_TYPE(sym.st_info);
      if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
          sym.st_value == 0)
        continue;
      const char *n = elf_strptr(elf, sh.sh_link, sym.st_name);
      if (n && *n)
        names.emplace_back(n);
    }
  }
  elf_end(elf);
  ::close(fd);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

} // namespace bt
