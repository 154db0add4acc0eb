// The one walk over an ELF file's function symbols (libelf): btc matches uprobe wildcards
// against their names, btrun attaches uprobes at their file offsets.
#include "bt/Target/ElfSymbols.h"
#include "bt/Target/ElfBuildId.h"

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

// An ELF file open for reading, closed with it.
class OpenElf {
public:
  explicit OpenElf(const std::string &path) {
    if (elf_version(EV_CURRENT) == EV_NONE) {
      error_ = "libelf is out of date";
      return;
    }
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      error_ = "cannot open '" + path + "': " + std::strerror(errno);
      return;
    }
    elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
    if (!elf_ || elf_kind(elf_) != ELF_K_ELF)
      error_ = "'" + path + "' is not an ELF file";
  }
  ~OpenElf() {
    if (elf_)
      elf_end(elf_);
    if (fd_ >= 0)
      ::close(fd_);
  }
  OpenElf(const OpenElf &) = delete;
  OpenElf &operator=(const OpenElf &) = delete;
  Elf *elf() const { return error_.empty() ? elf_ : nullptr; }
  const std::string &error() const { return error_; }

private:
  int fd_ = -1;
  Elf *elf_ = nullptr;
  std::string error_;
};

// Calls `visit(symbol, name)` for each named symbol of the file's symbol tables.
template <typename Visit> void forEachSymbol(Elf *elf, Visit visit) {
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
        visit(sym, name);
    }
  }
}

bool isFunction(const GElf_Sym &sym) {
  int type = GELF_ST_TYPE(sym.st_info);
  return (type == STT_FUNC || type == STT_GNU_IFUNC) && sym.st_shndx != SHN_UNDEF &&
         sym.st_value != 0;
}

// What libdwfl's dwfl_module_addrsym names an address by: any defined symbol but a
// section's, a file's or a thread-local one (assembly's NOTYPE labels, OBJECTs).
bool namesAddress(const GElf_Sym &sym) {
  int type = GELF_ST_TYPE(sym.st_info);
  return type != STT_SECTION && type != STT_FILE && type != STT_TLS &&
         sym.st_shndx != SHN_UNDEF && sym.st_value != 0;
}

OrError<std::vector<ElfFunction>> symbolsOf(const std::string &path, bool withDebugFile,
                                            bool (*wanted)(const GElf_Sym &)) {
  OpenElf file(path);
  if (!file.elf())
    return OrError<std::vector<ElfFunction>>::failure(file.error());
  std::vector<ElfFunction> functions;
  forEachSymbol(file.elf(), [&](const GElf_Sym &sym, const char *name) {
    if (wanted(sym))
      functions.push_back({name, sym.st_value, elfFileOffset(file.elf(), sym.st_value), sym.st_size,
                           static_cast<unsigned char>(GELF_ST_BIND(sym.st_info))});
  });
  // The static functions a stripped binary keeps in its separate debug file (libc's
  // malloc_consolidate), found by build id where distributions install it, as bpftrace
  // (bcc) finds them. Its addresses are the binary's; the binary's segments place them.
  std::string id = withDebugFile ? elfBuildId(file.elf()) : "";
  if (id.size() > 2) {
    OpenElf debug("/usr/lib/debug/.build-id/" + id.substr(0, 2) + "/" + id.substr(2) + ".debug");
    if (debug.elf() && elfBuildId(debug.elf()) == id)
      forEachSymbol(debug.elf(), [&](const GElf_Sym &sym, const char *name) {
        if (wanted(sym))
          functions.push_back({name, sym.st_value, elfFileOffset(file.elf(), sym.st_value), sym.st_size,
                           static_cast<unsigned char>(GELF_ST_BIND(sym.st_info))});
      });
  }
  return functions;
}

} // namespace

OrError<std::vector<ElfFunction>> elfFunctions(const std::string &path, bool withDebugFile) {
  return symbolsOf(path, withDebugFile, isFunction);
}

OrError<std::vector<ElfFunction>> elfAddressNames(const std::string &path) {
  return symbolsOf(path, true, namesAddress);
}

OrError<std::optional<ElfSymbol>> elfSymbol(const std::string &path, const std::string &name) {
  OpenElf file(path);
  if (!file.elf())
    return OrError<std::optional<ElfSymbol>>::failure(file.error());
  std::optional<ElfSymbol> found;
  forEachSymbol(file.elf(), [&](const GElf_Sym &sym, const char *symName) {
    if (!found && sym.st_shndx != SHN_UNDEF && sym.st_value != 0 && name == symName)
      found = ElfSymbol{sym.st_value, sym.st_size};
  });
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
