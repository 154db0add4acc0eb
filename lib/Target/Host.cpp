// The build host as the target: tracefs for tracepoints and their formats,
// uname for the arch and release, /sys/kernel/btf/vmlinux, PATH for binaries.
// What the host cannot tell without privileges (probe types, kernel functions)
// is Unknown: btrun checks those where the object runs.
#include "Fields.h"
#include "HostLibrary.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace bt {

namespace {

class HostTarget : public TargetInfo {
public:
  HostTarget(const Arch &arch, std::string release) : arch_(arch), release_(std::move(release)) {
    // A root that is not there says nothing; one we may not enter is why.
    for (const char *root : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
      struct stat st;
      std::string events = std::string(root) + "/events";
      if (::stat(events.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        root_ = root;
        return;
      }
      if (errno != ENOENT && unreadable_.empty())
        unreadable_ = "tracefs cannot be read (" + events + ": " + std::strerror(errno) +
                      "): run btc as root, or compile for a target description with --target FILE";
    }
    if (unreadable_.empty())
      unreadable_ = "tracefs is not mounted (/sys/kernel/tracing): mount it, or compile for a "
                    "target description with --target FILE";
  }

  std::string name() const override { return "the host"; }
  const Arch &arch() const override { return arch_; }
  std::string kernelRelease() const override { return release_; }

  std::vector<std::string> tracepoints() const override {
    std::vector<std::string> out;
    if (root_.empty())
      return out;
    std::ifstream in(root_ + "/available_events");
    std::string line;
    while (std::getline(in, line))
      if (!line.empty())
        out.push_back(line);
    return out;
  }

  std::optional<std::vector<TracepointField>>
  tracepointFormat(const std::string &category, const std::string &name) const override {
    if (root_.empty())
      return std::nullopt;
    std::ifstream in(root_ + "/events/" + category + "/" + name + "/format");
    if (!in)
      return std::nullopt;
    std::vector<TracepointField> fields;
    static const std::regex fieldRe(
        R"(^\s*field:(.*);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);)");
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, fieldRe) || target::isCommonField(m[1]))
        continue;
      fields.push_back(target::makeField(m[1], std::stoul(m[2]), std::stoul(m[3]), m[4] == "1"));
    }
    return fields;
  }

  std::string tracepointsUnknownReason() const override {
    return root_.empty() ? unreadable_ : "";
  }

  std::optional<std::string> btfPath() const override {
    const char *vmlinux = "/sys/kernel/btf/vmlinux";
    if (::access(vmlinux, R_OK) == 0)
      return std::string(vmlinux);
    return std::nullopt;
  }

  // uprobe:bash:readline resolves "bash" through PATH, as bpftrace does on the
  // host it runs on; a name found nowhere is kept as written.
  OrError<std::string> resolveBinary(const std::string &path) const override {
    if (path.find('/') != std::string::npos)
      return path;
    const char *env = std::getenv("PATH");
    std::string dirs = env ? env : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
      size_t end = dirs.find(':', start);
      if (end == std::string::npos)
        end = dirs.size();
      std::string cand = dirs.substr(start, end - start) + "/" + path;
      if (::access(cand.c_str(), X_OK) == 0)
        return cand;
      start = end + 1;
    }
    return path;
  }

  // bpftrace finds a library name through the loader's paths: LD_LIBRARY_PATH, then
  // the multiarch and standard directories (lib/Target/HostLibrary.cpp).
  OrError<std::string> resolveLibrary(const std::string &name) const override {
    return findHostLibrary(name, arch_);
  }

  // available_filter_functions lists what kprobes can attach to (root only).
  OrError<std::vector<std::string>> functions() const override {
    using Result = OrError<std::vector<std::string>>;
    if (root_.empty())
      return Result::failure(unreadable_);
    std::string file = root_ + "/available_filter_functions";
    std::ifstream in(file);
    if (!in)
      return Result::failure("cannot read " + file + " (" + std::strerror(errno) +
                             "): compile for a target description that lists functions "
                             "(docs/TARGET.md)");
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
      // "vfs_read" or "fn [module]"; ftrace lists a name once per static definition.
      auto name = line.substr(0, line.find(' '));
      if (!name.empty() && name.find("__ftrace_invalid_address__") == std::string::npos)
        out.push_back(std::move(name));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

private:
  const Arch &arch_;
  std::string release_;
  std::string root_;       // the tracefs mount, "" when none can be read
  std::string unreadable_; // why root_ is ""
};

} // namespace

OrError<std::unique_ptr<TargetInfo>> makeHostTarget() {
  struct utsname u;
  if (::uname(&u) != 0)
    return OrError<std::unique_ptr<TargetInfo>>::failure(std::string("uname: ") +
                                                          std::strerror(errno));
  const Arch *arch = findArch(u.machine);
  if (!arch)
    return OrError<std::unique_ptr<TargetInfo>>::failure(
        std::string("the host's architecture '") + u.machine + "' is not one btc knows (" +
        knownArchNames() + "): compile for a target description with --target FILE");
  return std::unique_ptr<TargetInfo>(std::make_unique<HostTarget>(*arch, u.release));
}

} // namespace bt
