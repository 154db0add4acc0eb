// The build host as the target: tracefs for tracepoints and their formats (the
// kernel's BTF when tracefs cannot be read), uname for the arch and release,
// /sys/kernel/btf/vmlinux, PATH for binaries.
// What the host cannot tell without privileges (probe types, kernel functions)
// is Unknown: btrun checks those where the object runs.
#include "BtfFormats.h"
#include "BtfFunctions.h"
#include "Fields.h"
#include "bt/Target/KernelModules.h"
#include "bt/Target/SearchPaths.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <cstdio>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace bt {

namespace {

class HostTarget : public TargetInfo, public KernelModuleList {
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
        unreadable_ = "tracefs cannot be read (" + events + ": " + std::strerror(errno) + ")";
    }
    if (unreadable_.empty())
      unreadable_ = "tracefs is not mounted (/sys/kernel/tracing)";
  }

  // The release says which kernel "the host" was when the message was written.
  std::string name() const override {
    return release_.empty() ? "the host" : "the host (kernel " + release_ + ")";
  }
  const Arch &arch() const override { return arch_; }
  std::string kernelRelease() const override { return release_; }

  std::vector<std::string> tracepoints() const override {
    return root_.empty() ? std::vector<std::string>{} : tracefsEvents(root_);
  }

  std::optional<std::vector<TracepointField>>
  tracepointFormat(const std::string &category, const std::string &name) const override {
    if (root_.empty()) {
      const target::BtfFormats *btf = btfFormats();
      if (!btf)
        return std::nullopt;
      auto format = btf->format(category, name);
      if (!format)
        return std::nullopt;
      return std::move(format->fields);
    }
    return tracefsFormat(root_, category, name);
  }

  // Without tracefs, BTF gives formats by name; the list and the categories it lacks.
  OrError<TracepointFormat> findTracepoint(const std::string &category,
                                           const std::string &name) const override {
    if (!root_.empty() || !btfFormats())
      return TargetInfo::findTracepoint(category, name);
    auto format = btfFormats()->format(category, name);
    if (!format && !format.error().empty())
      return OrError<TracepointFormat>::failure("the format of tracepoint '" + category + ":" +
                                                name + "' is not known on " + this->name() + ": " +
                                                format.error());
    if (!format)
      return TargetInfo::findTracepoint(category, name);
    if (!format->unknownFields.empty())
      format->unknownFields += " and " + unreadable_ +
                               ": run btc as root, or compile for a target description with "
                               "--target FILE";
    return format;
  }

  std::string tracepointsUnknownReason() const override {
    if (!root_.empty())
      return "";
    return unreadable_ +
           (btfFormats() ? ", and the kernel's BTF has no list of tracepoints and no categories"
                         : "") +
           ": run btc as root, or compile for a target description with --target FILE";
  }

  std::string tracepointsNote() const override {
    if (!root_.empty() || !btfFormats())
      return "";
    return unreadable_ + ": tracepoint formats come from the kernel's BTF (" +
           btfFormats()->path() + "); categories are not checked (btrun checks them)";
  }

  std::optional<std::string> btfPath() const override {
    const char *vmlinux = "/sys/kernel/btf/vmlinux";
    if (::access(vmlinux, R_OK) == 0)
      return std::string(vmlinux);
    return std::nullopt;
  }

  // uprobe:bash:readline resolves "bash" through PATH, as bpftrace does on the
  // host it runs on; a name found nowhere is kept as written (lib/Target/SearchPaths.cpp).
  OrError<std::string> resolveBinary(const std::string &path) const override {
    if (path.find('/') != std::string::npos)
      return path;
    if (!executableDirs_)
      executableDirs_ = hostSearchDirectories(hostExecutablePath(), false);
    std::string found = findExecutable(path, *executableDirs_, true);
    return found.empty() ? path : found;
  }

  // bpftrace finds a library name through the loader's paths: LD_LIBRARY_PATH, then
  // the multiarch and standard directories.
  OrError<std::string> resolveLibrary(const std::string &name) const override {
    if (!libraryDirs_)
      libraryDirs_ = hostSearchDirectories(hostLibraryPath(arch_), true);
    return findLibrary(name, *libraryDirs_, "the host", true);
  }

  bool functionsFromBtf() const override {
    std::ifstream in(root_ + "/available_filter_functions");
    return root_.empty() || !in;
  }

  // available_filter_functions lists what kprobes can attach to (root only).
  OrError<std::vector<std::string>> functions() const override {
    auto list = filterFunctions();
    if (!list) {
      // Without the list (no tracefs, or a lockdown that refuses it even to root) the
      // kernel's BTF names its functions: more than can be traced (docs/TARGET.md).
      if (auto btf = btfPath())
        if (auto names = target::btfFunctions(*btf))
          return names;
      return OrError<std::vector<std::string>>::failure(
          list.error() + ", and the kernel has no BTF: compile for a target "
                         "description that lists functions (docs/TARGET.md)");
    }
    return std::move(list->all);
  }

  // ftrace tags a module's functions "fn [module]"; without its list, a loaded module's
  // BTF (/sys/kernel/btf/MODULE, split from vmlinux's) names them.
  OrError<std::vector<std::string>> moduleFunctions(const std::string &module) const override {
    auto list = filterFunctions();
    if (!list && module == "vmlinux")
      return functions();
    if (list) {
      auto it = list->byModule.find(module);
      return it == list->byModule.end() ? std::vector<std::string>{} : it->second;
    }
    std::string moduleBtf = "/sys/kernel/btf/" + module;
    auto vmlinux = btfPath();
    if (vmlinux && module.find('/') == std::string::npos && ::access(moduleBtf.c_str(), R_OK) == 0)
      return target::btfFunctions(moduleBtf, *vmlinux);
    return OrError<std::vector<std::string>>::failure(
        list.error() + ", and " + moduleBtf + " cannot be read (is the module loaded?)");
  }

  // The modules ftrace tags, or those with BTF beside the kernel's (/sys/kernel/btf).
  OrError<std::vector<std::string>> kernelModules() const override {
    if (auto list = filterFunctions())
      return taggedModules(*list);
    std::error_code ec;
    std::vector<std::string> out;
    // Advanced with the error_code overload: a range-for's ++ throws when reading the
    // directory fails part way, and btc reports errors, it does not throw them.
    std::filesystem::directory_iterator it("/sys/kernel/btf", ec), end;
    for (; !ec && it != end; it.increment(ec))
      if (std::string name = it->path().filename(); name != "vmlinux")
        out.push_back(name);
    if (ec)
      return OrError<std::vector<std::string>>::failure("cannot list /sys/kernel/btf (" +
                                                        ec.message() + ")");
    std::sort(out.begin(), out.end());
    return out;
  }

  // debugfs's list where it is mounted and readable (root); without it, nothing is known
  // blacklisted and btrun's attach reports the kernel's refusal.
  bool kprobeBlacklisted(const std::string &function) const override {
    if (!blacklistRead_) {
      blacklistRead_ = true;
      blacklist_ = readKprobeBlacklist();
    }
    return blacklist_ && std::binary_search(blacklist_->begin(), blacklist_->end(), function);
  }

private:
  // available_filter_functions, or why it cannot be read.
  OrError<KernelFunctionList> filterFunctions() const {
    std::string file = root_ + "/available_filter_functions";
    std::ifstream in;
    if (!root_.empty())
      in.open(file);
    if (!in)
      return OrError<KernelFunctionList>::failure(
          root_.empty() ? unreadable_ : "cannot read " + file + " (" + std::strerror(errno) + ")");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
      lines.push_back(std::move(line));
    return parseKernelFunctionList(lines);
  }

  // The kernel's BTF as a source of formats, opened the first time it is needed;
  // nullptr when tracefs can be read or BTF cannot.
  const target::BtfFormats *btfFormats() const {
    if (!btfTried_ && root_.empty()) {
      btfTried_ = true;
      if (auto path = btfPath())
        if (auto opened = target::BtfFormats::open(*path, arch_))
          btf_ = std::move(*opened);
    }
    return btf_.get();
  }

  const Arch &arch_;
  std::string release_;
  std::string root_;       // the tracefs mount, "" when none can be read
  std::string unreadable_; // why root_ is ""
  mutable bool btfTried_ = false;
  mutable bool blacklistRead_ = false;
  mutable std::optional<std::vector<std::string>> blacklist_; // sorted
  mutable std::unique_ptr<target::BtfFormats> btf_;
  // PATH and the loader's directories, listed when a uprobe first names a bare file.
  mutable std::optional<SearchDirectories> executableDirs_, libraryDirs_;
};

} // namespace

std::optional<std::vector<TracepointField>>
tracefsFormat(const std::string &root, const std::string &category, const std::string &name) {
  std::ifstream in(root + "/events/" + category + "/" + name + "/format");
  if (!in)
    return std::nullopt;
  std::vector<TracepointField> fields;
  std::string line;
  while (std::getline(in, line)) {
    // "\tfield:DECLARATION;\toffset:N;\tsize:N;\tsigned:N;"
    char decl[512];
    unsigned offset, size, isSigned;
    if (std::sscanf(line.c_str(), " field:%511[^;]; offset:%u; size:%u; signed:%u;", decl,
                    &offset, &size, &isSigned) != 4 ||
        target::isCommonField(decl))
      continue;
    fields.push_back(target::makeField(decl, offset, size, isSigned == 1));
  }
  return fields;
}

std::vector<std::string> tracefsEvents(const std::string &root) {
  std::vector<std::string> out;
  std::ifstream in(root + "/available_events");
  std::string line;
  while (std::getline(in, line))
    if (!line.empty())
      out.push_back(line);
  return out;
}

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
