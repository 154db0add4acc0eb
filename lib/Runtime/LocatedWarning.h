// A runtime warning at the script's location, laid out as bpftrace 0.17 logs one.
#pragma once
#include "bt/Runtime/Manifest.h"

#include <cstdint>
#include <string>

namespace bt::rt {

// "FILE:LINE:COL-END: WARNING: MESSAGE" with the source line and a `~` under the range
// after it, or "FILE:LINE-ENDLINE: WARNING: MESSAGE" alone for a range over several lines.
std::string locatedWarning(const Manifest &m, const EventSpec &e, const std::string &message);

// The same warning as a -f json line: {"type": "helper_error", "helper": ..., "retcode": ...,
// "line": ..., "col": ...}, as bpftrace 0.17 writes it.
std::string helperErrorJson(const std::string &helper, int64_t rc, int line, int col);

} // namespace bt::rt
