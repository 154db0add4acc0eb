// btrun --describe-host: this host as a target description (docs/TARGET.md), for
// `btc --target`. What btc cannot find out where it compiles, btrun finds here:
// tracepoint formats (tracefs), probe types (the PMUs, and a load for fentry/fexit),
// kernel functions and the kprobe blacklist (where debugfs is mounted), the kernel's BTF,
// and the directories bare names in uprobes resolve through (PATH, the loader's).
#include "bt/Runtime/HostDescription.h"
#include "bt/Runtime/Verify.h"
#include "bt/Target/SearchPaths.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/utsname.h>

namespace bt::rt {

namespace {

bool exists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::vector<std::string> probeTypes() {
  auto pmu = [](const char *name) {
    return exists(std::string("/sys/bus/event_source/devices/") + name);
  };
  // Only a load tells whether trampolines work; vfs_read is in every kernel.
  const bool have[] = {pmu("tracepoint"), pmu("software"), pmu("uprobe"), pmu("kprobe"),
                       hardwareEventLacks(0).empty() /* cpu-cycles */, pmu("breakpoint"),
                       exists("/sys/kernel/btf/vmlinux"), probeTracing("vfs_read", false).empty(),
                       probeTracing("vfs_read", true).empty()};
  // What each of `have` lets run, as one string: a table costs btrun-static less than code.
  static const char *const types[] = {"tracepoint rawtracepoint", "interval profile software",
                                      "uprobe uretprobe usdt", "kprobe kretprobe", "hardware",
                                      "watchpoint asyncwatchpoint", "iter", "fentry", "fexit"};
  std::vector<std::string> out;
  for (size_t i = 0; i < sizeof have; ++i)
    for (const char *t = types[i]; have[i] && *t;) {
      const char *space = std::strchr(t, ' ');
      size_t length = space ? size_t(space - t) : std::strlen(t);
      out.emplace_back(t, length);
      t += length + (space != nullptr);
    }
  return out;
}

// available_filter_functions: "name" or "name [module]", a name may repeat. Entries keep
// their module tag (kprobe:MODULE:fn* wildcards expand over a module's functions).
std::optional<std::vector<std::string>> functions() {
  std::ifstream in(std::string(kTracefs) + "/available_filter_functions");
  if (!in)
    return std::nullopt;
  std::set<std::string> entries;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != ' ')
      entries.insert(line);
  return std::vector<std::string>(entries.begin(), entries.end());
}

// read and write, not streams: a stream pair costs btrun-static a kilobyte.
Status copyFile(const std::string &from, const std::string &to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  char buffer[65536];
  ssize_t n = in < 0 || out < 0 ? -1 : 0;
  while (n >= 0 && (n = ::read(in, buffer, sizeof buffer)) > 0)
    n = ::write(out, buffer, n) == n ? n : -1;
  int err = errno;
  if (in >= 0)
    ::close(in);
  if (out >= 0 && ::close(out) != 0 && n == 0)
    n = -1, err = errno;
  if (n < 0)
    return Error("cannot copy " + from + " to " + to + ": " + std::strerror(err));
  return {};
}

} // namespace

Result<std::string> describeHost(const std::string &path) {
  auto priv = checkPrivileges();
  if (!priv)
    return priv.error();
  auto tracefs = ensureTracefs();
  if (!tracefs)
    return tracefs.error();
  struct utsname u;
  if (::uname(&u) != 0)
    return Error(std::string("uname: ") + std::strerror(errno));
  const Arch *arch = findArch(u.machine);
  if (!arch)
    return Error(std::string("cannot describe this host: its architecture '") + u.machine +
                 "' is not one btc knows (" + knownArchNames() + ")");
  TargetDescription d;
  d.arch = u.machine;
  d.kernelRelease = u.release;
  d.probeTypes = probeTypes();
  d.functions = functions();
  d.kprobeBlacklist = readKprobeBlacklist();
  for (const std::string &tp : tracefsEvents(kTracefs)) {
    auto colon = tp.find(':');
    auto fields = tracefsFormat(kTracefs, tp.substr(0, colon), tp.substr(colon + 1));
    if (fields)
      d.tracepoints.emplace_back(tp, std::move(*fields));
  }
  if (d.tracepoints.empty())
    return Error(std::string("cannot describe this host: no tracepoint formats in ") + kTracefs);
  // The BTF beside the description: FILE.json -> FILE.vmlinux.btf.
  const char *vmlinux = "/sys/kernel/btf/vmlinux";
  if (!path.empty() && path != "-" && exists(vmlinux)) {
    std::string base = path;
    if (base.size() > 5 && base.compare(base.size() - 5, 5, ".json") == 0)
      base.resize(base.size() - 5);
    std::string btf = base + ".vmlinux.btf";
    auto copied = copyFile(vmlinux, btf);
    if (!copied)
      return copied.error();
    auto slash = btf.rfind('/');
    d.vmlinuxBtf = slash == std::string::npos ? btf : btf.substr(slash + 1);
  }
  // Where uprobe:bash:fn and uprobe:libc:fn are on this host, as btrun's PATH and the
  // loader find them (run as root, as bpftrace would be).
  return writeTargetFile(d, hostSearchPaths(*arch));
}

} // namespace bt::rt
