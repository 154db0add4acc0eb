// btrun --describe-host: this host as a target description (docs/TARGET.md), for
// `btc --target`. What btc cannot find out where it compiles, btrun finds here:
// tracepoint formats (tracefs), probe types (the PMUs, and a load for fentry/fexit),
// kernel functions and the kprobe blacklist (where debugfs is mounted), the kernel's BTF.
#include "bt/Runtime/HostDescription.h"
#include "bt/Runtime/Verify.h"
#include "bt/Target/Target.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sys/stat.h>
#include <sys/utsname.h>

namespace bt::rt {

namespace {

bool exists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::vector<std::string> probeTypes() {
  std::vector<std::string> out;
  auto pmu = [](const char *name) {
    return exists(std::string("/sys/bus/event_source/devices/") + name);
  };
  if (pmu("tracepoint"))
    out.insert(out.end(), {"tracepoint", "rawtracepoint"});
  if (pmu("software"))
    out.insert(out.end(), {"interval", "profile", "software"});
  if (pmu("uprobe"))
    out.insert(out.end(), {"uprobe", "uretprobe", "usdt"});
  if (pmu("kprobe"))
    out.insert(out.end(), {"kprobe", "kretprobe"});
  if (hardwareEventLacks(0).empty()) // cpu-cycles
    out.push_back("hardware");
  if (pmu("breakpoint"))
    out.insert(out.end(), {"watchpoint", "asyncwatchpoint"});
  if (exists("/sys/kernel/btf/vmlinux"))
    out.push_back("iter");
  // Only a load tells whether trampolines work; vfs_read is in every kernel.
  if (probeTracing("vfs_read", false).empty())
    out.push_back("fentry");
  if (probeTracing("vfs_read", true).empty())
    out.push_back("fexit");
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

Status copyFile(const std::string &from, const std::string &to) {
  std::ifstream in(from, std::ios::binary);
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  if (!in || !out || !(out << in.rdbuf()) || !out.flush())
    return Error("cannot copy " + from + " to " + to + ": " + std::strerror(errno));
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
  if (!findArch(u.machine))
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
  return writeTargetFile(d);
}

} // namespace bt::rt
