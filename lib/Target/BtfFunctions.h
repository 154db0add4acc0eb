// Kernel functions from BTF, for kprobe/fentry wildcards where the target's
// available_filter_functions cannot be read. Private to lib/Target.
#pragma once

#include "bt/Target/Target.h"

namespace bt::target {

// Every BTF_KIND_FUNC of the BTF file at `path`, each name once, sorted. A superset of what can be traced: BTF also lists functions that
// are notrace, inlined at every call site, or in .init text. A module's BTF is split
// from the kernel's: `base` names that file, and only the module's own functions count.
OrError<std::vector<std::string>> btfFunctions(const std::string &path,
                                               const std::string &base = "");

} // namespace bt::target
