#include "CDefinitionsKernelHeaders.h"

#include <sys/stat.h>

namespace bt::sema {

namespace {

bool exists(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// The kernel's name for the architecture's directory under arch/.
std::string archDirectory(const std::string &triple) {
  std::string arch = triple.substr(0, triple.find('-'));
  if (arch == "x86_64")
    return "x86";
  if (arch == "aarch64")
    return "arm64";
  return arch;
}

} // namespace

bool findKernelHeaders(const CDefinitions::Options &options,
                       std::optional<KernelHeaders> &headers, std::string &error) {
  headers.reset();
  KernelHeaders h;
  if (!options.kernelSource.empty() || !options.kernelBuild.empty()) {
    // The build tree alone is the source too, as a tree built in place is.
    h.source = options.kernelSource.empty() ? options.kernelBuild : options.kernelSource;
    h.build = options.kernelBuild.empty() ? h.source : options.kernelBuild;
    if (!exists(h.source + "/include/linux/kconfig.h")) {
      error = "kernel header tree '" + h.source +
              "' has no include/linux/kconfig.h: --kernel-source (or BPFTRACE_KERNEL_SOURCE) "
              "names the kernel's source or headers tree, e.g. /lib/modules/RELEASE/source";
      return false;
    }
    if (!exists(h.build + "/include/generated/autoconf.h")) {
      error = "kernel header tree '" + h.build +
              "' has no include/generated/autoconf.h: name the configured build tree with "
              "--kernel-build DIR (or BPFTRACE_KERNEL_BUILD), e.g. /lib/modules/RELEASE/build";
      return false;
    }
    headers = h;
    return true;
  }
  // Where bpftrace looks: the target's release, never the build host's.
  if (options.kernelRelease.empty())
    return true;
  std::string modules = "/lib/modules/" + options.kernelRelease;
  h.build = modules + "/build";
  h.source = exists(modules + "/source") ? modules + "/source" : h.build;
  if (exists(h.source + "/include/linux/kconfig.h") &&
      exists(h.build + "/include/generated/autoconf.h"))
    headers = h;
  return true;
}

std::vector<std::string> kernelHeaderArgs(const KernelHeaders &headers,
                                          const std::string &triple) {
  const std::string &src = headers.source, &obj = headers.build;
  std::string arch = "/arch/" + archDirectory(triple);
  std::vector<std::string> args;
  for (const std::string &dir :
       {src + arch + "/include", obj + arch + "/include/generated", src + "/include",
        obj + "/include", src + arch + "/include/uapi", obj + arch + "/include/generated/uapi",
        src + "/include/uapi", obj + "/include/generated/uapi"})
    args.push_back("-I" + dir);
  // autoconf.h through kconfig.h: the CONFIG_ macros the headers test.
  args.insert(args.end(), {"-include", src + "/include/linux/kconfig.h", "-D__KERNEL__",
                           "-D__BPF_TRACING__", "-DKBUILD_MODNAME=\"btc\""});
  return args;
}

} // namespace bt::sema
