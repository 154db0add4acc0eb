// Library names in uprobes (uprobe:libc:malloc), found on the build host.
#include "HostLibrary.h"

#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace bt {
namespace {

bool isElf(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::memcmp(magic, "\x7f" "ELF", 4) == 0;
}

std::vector<std::string> searchDirs(const Arch &arch) {
  std::vector<std::string> dirs;
  if (const char *env = std::getenv("LD_LIBRARY_PATH")) {
    std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = list.find(':', start);
      if (end == std::string::npos)
        end = list.size();
      if (end > start)
        dirs.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  std::string multiarch = arch.name + "-linux-gnu";
  for (const std::string &d : {"/lib/" + multiarch, "/usr/lib/" + multiarch, std::string("/lib64"),
                               std::string("/usr/lib64"), std::string("/lib"),
                               std::string("/usr/lib"), std::string("/usr/local/lib")})
    dirs.push_back(d);
  return dirs;
}

} // namespace

OrError<std::string> findHostLibrary(const std::string &name, const Arch &arch) {
  std::string base = name.rfind("lib", 0) == 0 ? name : "lib" + name;
  std::string so = base + ".so";
  // A versioned soname (uprobe:libssl.so.3:fn) names the file itself, as upstream reads it.
  bool soname = name.find(".so") != std::string::npos;
  for (const std::string &dir : searchDirs(arch)) {
    if (soname && isElf(dir + "/" + name))
      return dir + "/" + name;
    // lib<name>.so first (a linker script there is no library), then lib<name>.so.N, lowest first.
    if (isElf(dir + "/" + so))
      return dir + "/" + so;
    DIR *d = ::opendir(dir.c_str());
    if (!d)
      continue;
    std::vector<std::string> versioned;
    while (dirent *e = ::readdir(d))
      if (std::strncmp(e->d_name, (so + ".").c_str(), so.size() + 1) == 0)
        versioned.emplace_back(e->d_name);
    ::closedir(d);
    std::sort(versioned.begin(), versioned.end());
    for (const std::string &v : versioned)
      if (isElf(dir + "/" + v))
        return dir + "/" + v;
  }
  return OrError<std::string>::failure("no library '" + name + "' (" + so +
                                       "*) in LD_LIBRARY_PATH or the standard library "
                                       "directories of the host");
}

} // namespace bt
