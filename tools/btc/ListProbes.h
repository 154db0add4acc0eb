// btc -l PATTERN: the target's probes a pattern matches, as `bpftrace -l` lists them.
#pragma once

#include "bt/Target/Target.h"

#include <ostream>
#include <string>

namespace bt {

/// Writes the probes `pattern` ("tracepoint:sched:*") matches on `target`, sorted, one a
/// line; with `verbose`, each tracepoint's fields below it. Errors go to `errors`, located
/// in the pattern. Returns the exit status.
int listProbes(const std::string &pattern, bool verbose, const TargetInfo &target,
               std::ostream &out, std::ostream &errors);

} // namespace bt
