// The raw tracepoints of a target, which rawtracepoint:NAME and tp_btf:NAME attach to:
// for their wildcards and btc -l.
#pragma once

#include "bt/Target/Target.h"

#include <string>
#include <vector>

namespace bt {

// Each name once, sorted: the btf_trace_NAME typedefs of the target's BTF (every raw
// tracepoint, those without a tracefs event too); without BTF, its tracepoints' names
// past the category, less the per-syscall events (syscalls:sys_enter_*, sys_exit_*),
// which are no raw tracepoints. Several targets: what every one has.
OrError<std::vector<std::string>> rawTracepoints(const TargetInfo &target);

} // namespace bt
