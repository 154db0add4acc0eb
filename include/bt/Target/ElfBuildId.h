// A binary's GNU build id: btc records the one whose DWARF typed a uprobe's `args`, and
// btrun refuses a file with another, whose parameters may lie elsewhere.
#pragma once

#include "bt/Target/Target.h"

#include <string>

typedef struct Elf Elf; // libelf's handle, as <libelf.h> declares it

namespace bt {

// The NT_GNU_BUILD_ID note of an ELF file in lower-case hex, "" when it has none; or why
// the file cannot be read.
OrError<std::string> elfBuildId(const std::string &path);

// The same of an ELF file libelf has open.
std::string elfBuildId(Elf *elf);

} // namespace bt
