// Kernel functions from BTF, for kprobe/fentry wildcards where the target's
// available_filter_functions cannot be read. Private to lib/Target.
#pragma once

#include "bt/Target/Target.h"

namespace bt::target {

// Every BTF_KIND_FUNC of the BTF file at `path`, each name once, sorted. A superset of what can be traced: BTF also lists functions that
// are notrace, inlined at every call site, or in .init text.
OrError<std::vector<std::string>> btfFunctions(const std::string &path);

} // namespace bt::target
