// Private to lib/Target: syscall argument declarations from a table generated from
// tracefs (scripts/make-syscall-args.py), for a host whose tracefs cannot be read
// and whose BTF lacks the syscall's __do_sys_ function.
#pragma once

#include "bt/Target/Arch.h"

#include <optional>
#include <string>
#include <vector>

namespace bt::target {

// The declarations of syscall `name`'s arguments on `arch` ("int dfd",
// "const char * filename", ...), or nullopt when the table has no such syscall.
std::optional<std::vector<std::string>> syscallArguments(const Arch &arch,
                                                         const std::string &name);

} // namespace bt::target
