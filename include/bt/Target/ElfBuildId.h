// A binary's GNU build id: btc records the one whose DWARF typed a uprobe's `args`, and
// btrun refuses a file with another, whose parameters may lie elsewhere.
#pragma once

#include "bt/Target/Target.h"

#include <string>

namespace bt {

// The NT_GNU_BUILD_ID note of an ELF file in lower-case hex, "" when it has none; or why
// the file cannot be read.
OrError<std::string> elfBuildId(const std::string &path);

} // namespace bt
