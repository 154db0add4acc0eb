// Private to lib/Sema's C definitions: the target kernel's header tree, which the
// script's #include of kernel-internal headers (<linux/sched.h>'s TASK_RUNNING,
// <net/sock.h>) needs: /usr/include has only the kernel's UAPI. Found where bpftrace
// finds it, and read with the flags the kernel's own build gives its sources. Only
// macros and constants come from it: a struct the target's BTF has is the BTF's
// (CO-RE), as the tree may be another kernel version's than the target's.
#pragma once

#include "CDefinitions.h"

#include <optional>
#include <string>
#include <vector>

namespace bt::sema {

struct KernelHeaders {
  std::string source; // has include/linux/kconfig.h (Debian: linux-headers-R-common)
  std::string build;  // has include/generated/autoconf.h (Debian: linux-headers-R-amd64)
};

// The tree the options name, else /lib/modules/<kernelRelease>/{source,build} when
// there; nullopt when there is none. A named tree that is not one: false, `error`
// says why and which option names it.
bool findKernelHeaders(const CDefinitions::Options &options,
                       std::optional<KernelHeaders> &headers, std::string &error);

// clang's arguments that read the tree for the triple's architecture as Kbuild's
// LINUXINCLUDE does: arch and generated directories before the common ones, the
// kernel's configuration included first, __KERNEL__ defined.
std::vector<std::string> kernelHeaderArgs(const KernelHeaders &headers,
                                          const std::string &triple);

// The advice for a kernel header or name not found where no tree is in use.
constexpr const char *kKernelHeadersAdvice =
    "name the target kernel's header tree with --kernel-source DIR (or "
    "BPFTRACE_KERNEL_SOURCE)";

} // namespace bt::sema
