// USDT: SystemTap SDT notes (https://sourceware.org/systemtap/wiki/UserSpaceProbeImplementation).
// Each probe site is an ELF note of type 3 owned by "stapsdt" in .note.stapsdt; its
// descriptor holds three addresses (pc, the link-time address of .stapsdt.base, the
// semaphore) of the ELF class's size, then "provider\0name\0arguments\0" (the last is
// absent in old notes). When the
// binary was moved after linking (prelink), .stapsdt.base's actual address differs from
// the note's and the addresses move by the difference.
#include "bt/Target/UsdtNotes.h"

#include "bt/Target/ElfSymbols.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bt {
namespace {

constexpr unsigned kStapsdtNoteType = 3;

struct ElfFile {
  int fd = -1;
  Elf *elf = nullptr;
  ~ElfFile() {
    if (elf)
      elf_end(elf);
    if (fd >= 0)
      ::close(fd);
  }
};

uint64_t readAddress(const char *p, size_t size) {
  if (size == 4) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

} // namespace

OrError<std::vector<UsdtNote>> usdtNotes(const std::string &path) {
  using Result = OrError<std::vector<UsdtNote>>;
  if (elf_version(EV_CURRENT) == EV_NONE)
    return Result::failure("libelf is out of date");
  ElfFile f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0)
    return Result::failure("cannot open '" + path + "': " + std::strerror(errno));
  f.elf = elf_begin(f.fd, ELF_C_READ, nullptr);
  if (!f.elf || elf_kind(f.elf) != ELF_K_ELF)
    return Result::failure("'" + path + "' is not an ELF file");
  size_t addrSize = gelf_getclass(f.elf) == ELFCLASS32 ? 4 : 8;
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(f.elf, &shstrndx) != 0)
    return Result::failure("'" + path + "': " + elf_errmsg(-1));

  // .stapsdt.base's address, and every .note.stapsdt section.
  std::optional<uint64_t> baseAddr;
  std::vector<Elf_Scn *> noteSections;
  for (Elf_Scn *scn = elf_nextscn(f.elf, nullptr); scn; scn = elf_nextscn(f.elf, scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh))
      continue;
    const char *sname = elf_strptr(f.elf, shstrndx, sh.sh_name);
    if (!sname)
      continue;
    if (std::strcmp(sname, ".stapsdt.base") == 0)
      baseAddr = sh.sh_addr;
    else if (sh.sh_type == SHT_NOTE && std::strcmp(sname, ".note.stapsdt") == 0)
      noteSections.push_back(scn);
  }

  std::vector<UsdtNote> notes;
  for (Elf_Scn *scn : noteSections) {
    Elf_Data *data = elf_getdata(scn, nullptr);
    if (!data)
      continue;
    GElf_Nhdr nh;
    size_t off = 0, nameOff = 0, descOff = 0, next = 0;
    while ((next = gelf_getnote(data, off, &nh, &nameOff, &descOff)) > 0) {
      off = next;
      const char *buf = static_cast<const char *>(data->d_buf);
      if (nh.n_type != kStapsdtNoteType || nh.n_namesz != sizeof "stapsdt" ||
          std::memcmp(buf + nameOff, "stapsdt", sizeof "stapsdt") != 0)
        continue;
      const char *desc = buf + descOff;
      size_t size = nh.n_descsz;
      if (size < 3 * addrSize)
        return Result::failure("'" + path + "': malformed .note.stapsdt note (too short)");
      UsdtNote n;
      n.pc = readAddress(desc, addrSize);
      uint64_t noteBase = readAddress(desc + addrSize, addrSize);
      n.semaphore = readAddress(desc + 2 * addrSize, addrSize);
      // provider\0name\0args\0, all within the descriptor.
      const char *strs = desc + 3 * addrSize, *end = desc + size;
      const char *provEnd = static_cast<const char *>(std::memchr(strs, 0, end - strs));
      const char *nameEnd =
          provEnd ? static_cast<const char *>(std::memchr(provEnd + 1, 0, end - provEnd - 1)) : nullptr;
      if (!nameEnd)
        return Result::failure("'" + path +
                               "': malformed .note.stapsdt note (unterminated names)");
      n.provider.assign(strs, provEnd);
      n.name.assign(provEnd + 1, nameEnd);
      const char *argsEnd =
          static_cast<const char *>(std::memchr(nameEnd + 1, 0, end - nameEnd - 1));
      n.arguments.assign(nameEnd + 1, argsEnd ? argsEnd : end);
      if (baseAddr && noteBase) {
        n.pc += *baseAddr - noteBase;
        if (n.semaphore)
          n.semaphore += *baseAddr - noteBase;
      }
      n.pcOffset = elfFileOffset(f.elf, n.pc);
      if (n.semaphore)
        n.semaphoreOffset = elfFileOffset(f.elf, n.semaphore);
      notes.push_back(std::move(n));
    }
  }
  return notes;
}

} // namespace bt
