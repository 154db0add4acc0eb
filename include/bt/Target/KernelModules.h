// The kernel modules a target lists functions of, for wildcard modules in attach points
// (kprobe:mod*:fn, fentry:*:fn). A target that can say implements it beside TargetInfo
// (the host, a description, several combined); Sema asks for it by dynamic_cast, and a
// target without it cannot expand a wildcard module.
#pragma once

#include "bt/Target/Target.h"

#include <string>
#include <vector>

namespace bt {

class KernelModuleList {
public:
  virtual ~KernelModuleList() = default;
  // The modules whose functions TargetInfo::moduleFunctions names, sorted, "vmlinux"
  // (the kernel's own, which moduleFunctions("vmlinux") lists) not among them; or why
  // the target cannot say.
  virtual OrError<std::vector<std::string>> kernelModules() const = 0;
};

// The modules a function list tags ("fn [module]"), sorted; its untagged entries are
// the kernel's own, under "vmlinux" in byModule.
std::vector<std::string> taggedModules(const KernelFunctionList &list);

} // namespace bt
