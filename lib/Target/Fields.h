// Private to lib/Target: one line of a tracepoint format, as tracefs writes it
// ("field:const char * filename; offset:24; size:8; signed:0;"), made a field.
// The host and description files share it, so both read a declaration alike.
#pragma once

#include "bt/Target/Target.h"

namespace bt::target {

// True for the fields every event starts with (struct trace_entry).
bool isCommonField(const std::string &declaration);

// `declaration` is the text after "field:" ("__data_loc char[] filename").
TracepointField makeField(std::string declaration, unsigned offset, unsigned size,
                          bool isSigned);

} // namespace bt::target
