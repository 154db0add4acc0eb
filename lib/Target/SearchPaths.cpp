// Bare names in uprobes and usdt probes (uprobe:bash:readline, uprobe:libc:malloc), found
// as bpftrace finds them on the machine it runs on: PATH for executables, then the
// loader's directories for libraries. The host lists its own directories; a description
// lists those of the host it was written on, by the same code; one rule reads both.
// btrun-static links the listing (--describe-host): the directory walk is plain C, no
// stream; the description's writer (File.cpp) turns it into JSON.
#include "bt/Target/SearchPaths.h"

#include <dirent.h>
#include <climits>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace bt {
namespace {

// Whether the search may pick the file at `path`, whose name is `name`: an executable
// regular file, or an ELF file whose name holds ".so" (a linker script named libc.so is
// no library). Without `checkFile`, whether its name may be one (the host checks the file
// only when a name matches: reading every library costs a compile a fifth of a second).
bool searchable(const char *path, const char *name, bool libraries, bool checkFile) {
  if (!libraries) {
    struct stat st;
    return name[0] != '.' && (!checkFile || (::stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
                                             ::access(path, X_OK) == 0));
  }
  const char *so = name;
  while ((so = std::strchr(so, '.')) && (so[1] != 's' || so[2] != 'o'))
    ++so;
  if (!so || !checkFile)
    return so != nullptr;
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  char magic[4] = {};
  bool elf = fd >= 0 && ::read(fd, magic, 4) == 4 && std::memcmp(magic, "\x7f" "ELF", 4) == 0;
  if (fd >= 0)
    ::close(fd);
  return elf;
}

bool searchableFile(const std::string &dir, const std::string &file, bool libraries) {
  return searchable((dir + "/" + file).c_str(), file.c_str(), libraries, true);
}

bool contains(const std::vector<std::string> &sorted, const std::string &name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

// forEachSearchable's `found` for a SearchDirectories: a directory's files after it, in
// directory order (a directory listed twice in the path is two entries).
void addFile(void *context, const char *dir, const char *file) {
  auto &dirs = *static_cast<SearchDirectories *>(context);
  if (dirs.empty() || dirs.back().first != dir)
    dirs.emplace_back(dir, std::vector<std::string>());
  dirs.back().second.emplace_back(file);
}

} // namespace

std::string hostExecutablePath() {
  const char *env = std::getenv("PATH");
  return env ? env : "/usr/bin:/bin";
}

std::string hostLibraryPath(const Arch &arch) {
  const char *env = std::getenv("LD_LIBRARY_PATH");
  std::string out = env ? env : "";
  for (const char *dir : {":/lib/", ":/usr/lib/"})
    out.append(dir).append(arch.name).append("-linux-gnu");
  return out.append(":/lib64:/usr/lib64:/lib:/usr/lib:/usr/local/lib");
}

void forEachSearchable(const std::string &dirList, bool libraries, bool checkFiles,
                       void *context,
                       void (*found)(void *context, const char *dir, const char *file)) {
  char path[PATH_MAX];
  for (const char *dir = dirList.c_str(); *dir;) {
    const char *colon = std::strchr(dir, ':');
    size_t length = colon ? colon - dir : std::strlen(dir);
    DIR *d = nullptr;
    if (length > 0 && length + 2 < sizeof path) { // an empty entry names no directory
      std::memcpy(path, dir, length);
      path[length] = 0;
      d = ::opendir(path);
    }
    while (dirent *e = d ? ::readdir(d) : nullptr) {
      size_t name = std::strlen(e->d_name);
      if (length + name + 2 > sizeof path)
        continue;
      path[length] = '/';
      std::memcpy(path + length + 1, e->d_name, name + 1);
      if (searchable(path, e->d_name, libraries, checkFiles)) {
        path[length] = 0;
        found(context, path, e->d_name);
      }
    }
    if (d)
      ::closedir(d);
    dir += length + (dir[length] == ':');
  }
}

SearchDirectories hostSearchDirectories(const std::string &dirList, bool libraries) {
  SearchDirectories out;
  forEachSearchable(dirList, libraries, false, &out, addFile);
  for (auto &[dir, files] : out)
    std::sort(files.begin(), files.end());
  return out;
}

SearchPaths hostSearchPaths(const Arch &arch) {
  SearchPaths out;
  forEachSearchable(hostExecutablePath(), false, true, &out.executables, addFile);
  forEachSearchable(hostLibraryPath(arch), true, true, &out.libraries, addFile);
  return out;
}

std::string findExecutable(const std::string &name, const SearchDirectories &dirs,
                           bool checkFiles) {
  for (const auto &[dir, files] : dirs)
    if (contains(files, name) && (!checkFiles || searchableFile(dir, name, false)))
      return dir + "/" + name;
  return "";
}

OrError<std::string> findLibrary(const std::string &name, const SearchDirectories &dirs,
                                 const std::string &where, bool checkFiles) {
  std::string base = name.rfind("lib", 0) == 0 ? name : "lib" + name;
  std::string so = base + ".so";
  // A versioned soname (uprobe:libssl.so.3:fn) names the file itself, as upstream reads it.
  bool soname = name.find(".so") != std::string::npos;
  for (const auto &[dir, files] : dirs) {
    auto library = [&, &dir = dir, &files = files](const std::string &file) {
      return contains(files, file) && (!checkFiles || searchableFile(dir, file, true));
    };
    if (soname && library(name))
      return dir + "/" + name;
    // lib<name>.so first, then lib<name>.so.N, lowest first (files are sorted).
    if (library(so))
      return dir + "/" + so;
    for (auto it = std::lower_bound(files.begin(), files.end(), so + ".");
         it != files.end() && it->compare(0, so.size() + 1, so + ".") == 0; ++it)
      if (library(*it))
        return dir + "/" + *it;
  }
  return OrError<std::string>::failure("no library '" + name + "' (" + so +
                                       "*) in LD_LIBRARY_PATH or the standard library "
                                       "directories of " + where);
}

} // namespace bt
