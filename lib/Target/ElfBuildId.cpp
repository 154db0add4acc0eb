#include "bt/Target/ElfBuildId.h"

#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bt {

std::string elfBuildId(Elf *elf) {
  std::string id;
  for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn && id.empty(); scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
      continue;
    Elf_Data *data = elf_getdata(scn, nullptr);
    GElf_Nhdr nh;
    size_t nameAt = 0, descAt = 0;
    for (size_t at = 0; data && (at = gelf_getnote(data, at, &nh, &nameAt, &descAt)) > 0;) {
      if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
          std::memcmp(static_cast<const char *>(data->d_buf) + nameAt, "GNU", 4) != 0)
        continue;
      static const char digits[] = "0123456789abcdef";
      const auto *bytes = static_cast<const unsigned char *>(data->d_buf) + descAt;
      for (size_t i = 0; i < nh.n_descsz; ++i)
        id += {digits[bytes[i] >> 4], digits[bytes[i] & 15]};
      break;
    }
  }
  return id;
}

OrError<std::string> elfBuildId(const std::string &path) {
  if (elf_version(EV_CURRENT) == EV_NONE)
    return OrError<std::string>::failure("libelf is out of date");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return OrError<std::string>::failure("cannot open '" + path + "': " + std::strerror(errno));
  Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
  if (!elf || elf_kind(elf) != ELF_K_ELF) {
    if (elf)
      elf_end(elf);
    ::close(fd);
    return OrError<std::string>::failure("'" + path + "' is not an ELF file");
  }
  std::string id = elfBuildId(elf);
  elf_end(elf);
  ::close(fd);
  return id;
}

} // namespace bt
