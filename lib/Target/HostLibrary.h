// Private to lib/Target: a library name found on the build host.
#pragma once

#include "bt/Target/Target.h"

namespace bt {

// "libc" or "c" -> "/lib/x86_64-linux-gnu/libc.so.6": the first ELF file named
// lib<name>.so or lib<name>.so.* in LD_LIBRARY_PATH, then the multiarch and standard
// library directories, as the dynamic loader would search them.
OrError<std::string> findHostLibrary(const std::string &name, const Arch &arch);

} // namespace bt
