// USDT: SystemTap SDT notes (https://sourceware.org/systemtap/wiki/UserSpaceProbeImplementation).
// Each probe site is an ELF note of type 3 owned by "stapsdt" in .note.stapsdt; its
// descriptor holds three addresses (pc, the link-time address of .stapsdt.base, the
// semaphore) of the ELF class's size, then "provider\0name\0arguments\0". When the
// binary was moved after linking (prelink), .stapsdt.base's actual address differs from
// the note's and the addresses move by the difference.
#include "Usdt.h"

#include "bt/Target/ElfSymbols.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace bt::rt {
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

std::string noUsdtProbeMessage(const std::string &path, const std::string &provider,
                               const std::string &name) {
  return "no USDT probe " + (provider.empty() ? name : provider + ":" + name) + " in " + path;
}

Result<std::vector<UsdtSite>> findUsdtSites(const std::string &path, const std::string &provider,
                                            const std::string &name) {
  if (elf_version(EV_CURRENT) == EV_NONE)
    return Error("libelf is out of date");
  ElfFile f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0)
    return Error("cannot open '" + path + "': " + std::strerror(errno));
  f.elf = elf_begin(f.fd, ELF_C_READ, nullptr);
  if (!f.elf || elf_kind(f.elf) != ELF_K_ELF)
    return Error("'" + path + "' is not an ELF file");
  int cls = gelf_getclass(f.elf);
  size_t addrSize = cls == ELFCLASS32 ? 4 : 8;
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(f.elf, &shstrndx) != 0)
    return Error("'" + path + "': " + elf_errmsg(-1));

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

  std::vector<UsdtSite> sites;
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
        return Error("'" + path + "': malformed .note.stapsdt note (too short)");
      UsdtSite s;
      s.pc = readAddress(desc, addrSize);
      uint64_t noteBase = readAddress(desc + addrSize, addrSize);
      s.semaphore = readAddress(desc + 2 * addrSize, addrSize);
      // provider\0name\0args\0, all within the descriptor.
      const char *strs = desc + 3 * addrSize, *end = desc + size;
      const char *provEnd = static_cast<const char *>(std::memchr(strs, 0, end - strs));
      const char *nameEnd =
          provEnd ? static_cast<const char *>(std::memchr(provEnd + 1, 0, end - provEnd - 1)) : nullptr;
      if (!nameEnd)
        return Error("'" + path + "': malformed .note.stapsdt note (unterminated names)");
      s.provider.assign(strs, provEnd);
      s.name.assign(provEnd + 1, nameEnd);
      if (s.name != name || (!provider.empty() && s.provider != provider))
        continue;
      if (baseAddr && noteBase) {
        s.pc += *baseAddr - noteBase;
        if (s.semaphore)
          s.semaphore += *baseAddr - noteBase;
      }
      auto pcOff = elfFileOffset(f.elf, s.pc);
      if (!pcOff)
        return Error("'" + path + "': USDT probe " + s.provider + ":" + s.name +
                     " is at an address outside every loaded segment");
      s.offset = *pcOff;
      if (s.semaphore) {
        auto semOff = elfFileOffset(f.elf, s.semaphore);
        if (!semOff)
          return Error("'" + path + "': the semaphore of USDT probe " + s.provider + ":" +
                       s.name + " is outside every loaded segment");
        s.semaphoreOffset = *semOff;
      }
      sites.push_back(std::move(s));
    }
  }
  return sites;
}

} // namespace bt::rt
