#include "Cgroups.h"

#include <dirent.h>
#include <fcntl.h>
#include <mntent.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

namespace bt::rt {

namespace {

std::optional<uint64_t> handleId(const std::string &path) {
  // A cgroup's file handle is its 8-byte kernfs id.
  alignas(struct file_handle) unsigned char buf[sizeof(struct file_handle) + 8];
  auto *handle = reinterpret_cast<struct file_handle *>(buf);
  handle->handle_bytes = 8;
  int mountId = 0;
  if (::name_to_handle_at(AT_FDCWD, path.c_str(), handle, &mountId, 0) != 0)
    return std::nullopt;
  uint64_t id;
  std::memcpy(&id, handle->f_handle, 8);
  return id;
}

// Whether `name` matches `pattern`, whose `*` stands for any run of characters (a
// filter's wildcard, as bpftrace's; fnmatch(3) would cost btrun-static 10 KB).
bool wildcardMatch(const char *pattern, const char *name) {
  if (*pattern == '*')
    return wildcardMatch(pattern + 1, name) || (*name && wildcardMatch(pattern, name + 1));
  if (!*pattern)
    return !*name;
  return *pattern == *name && wildcardMatch(pattern + 1, name + 1);
}

// Whether `name` is a controller the kernel knows (/proc/cgroups' first column).
bool isController(const std::string &name) {
  FILE *f = std::fopen("/proc/cgroups", "re");
  if (!f)
    return false;
  char controller[64];
  bool found = false;
  while (!found && std::fscanf(f, "%63s%*[^\n]", controller) == 1)
    found = name == controller;
  std::fclose(f);
  return found;
}

// Mounted hierarchies, each as its name ("unified" for cgroup v2; a v1 one by its
// controllers or its name= option) and its first mount point: "unified" first, the
// others by name.
std::vector<std::pair<std::string, std::string>> hierarchies() {
  std::vector<std::pair<std::string, std::string>> mounts;
  FILE *f = ::setmntent("/proc/self/mounts", "re");
  if (!f)
    return mounts;
  struct mntent entry;
  char buf[4096];
  while (::getmntent_r(f, &entry, buf, sizeof buf)) {
    std::string type = entry.mnt_type, name;
    if (type == "cgroup2") {
      name = "unified";
    } else if (type == "cgroup") {
      char *save = nullptr;
      for (char *opt = ::strtok_r(entry.mnt_opts, ",", &save); opt;
           opt = ::strtok_r(nullptr, ",", &save)) {
        std::string o = opt;
        if (o.rfind("name=", 0) == 0)
          o = o.substr(5);
        else if (!isController(o))
          continue;
        name += (name.empty() ? "" : ",") + o;
      }
    }
    bool seen = false;
    for (const auto &m : mounts)
      seen = seen || m.first == name;
    if (!name.empty() && !seen)
      mounts.emplace_back(name, entry.mnt_dir);
  }
  ::endmntent(f);
  std::sort(mounts.begin(), mounts.end(), [](const auto &a, const auto &b) {
    return (a.first == "unified") != (b.first == "unified") ? a.first == "unified"
                                                             : a.first < b.first;
  });
  return mounts;
}

// The path below `dir` (`rel` from the hierarchy's root) of the cgroup with `id`.
// opendir, not std::filesystem, which would cost btrun-static more than it is worth.
std::optional<std::string> findBelow(const std::string &dir, const std::string &rel, uint64_t id) {
  DIR *d = ::opendir(dir.c_str());
  if (!d)
    return std::nullopt;
  std::optional<std::string> found;
  while (!found) {
    struct dirent *e = ::readdir(d);
    if (!e)
      break;
    std::string name = e->d_name;
    if (e->d_type != DT_DIR || name == "." || name == "..")
      continue;
    std::string path = dir + "/" + name;
    if (handleId(path) == id)
      found = rel + "/" + name;
    else
      found = findBelow(path, rel + "/" + name, id);
  }
  ::closedir(d);
  return found;
}

// The path under `root` of the cgroup with `id`, "/" for the root itself.
std::optional<std::string> findCgroup(const std::string &root, uint64_t id) {
  if (handleId(root) == id)
    return "/";
  return findBelow(root, "", id);
}

} // namespace

Result<uint64_t> cgroupIdOf(const std::string &path) {
  if (auto id = handleId(path))
    return *id;
  return Error("cgroupid(\"" + path + "\"): cannot get the cgroup's id on this host: " +
               std::strerror(errno));
}

std::string cgroupPathText(uint64_t id, const std::string &filter) {
  std::string text;
  for (const auto &[name, dir] : hierarchies()) {
    if (!wildcardMatch(filter.c_str(), name.c_str()))
      continue;
    if (auto path = findCgroup(dir, id))
      text += (text.empty() ? "" : ",") + name + ":" + *path;
  }
  return text;
}

} // namespace bt::rt
