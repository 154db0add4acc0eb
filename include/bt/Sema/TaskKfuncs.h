// Which probe kinds' programs the kernel lets call bpf_task_from_pid and
// bpf_task_release (lib/Sema/MiscFunctions2.cpp): comm(pid) calls them there, and walks
// the kernel's threads with the task iterator kfuncs in the others (lib/Lower).
#pragma once

#include "bt/Basic/Builtins.h"

namespace bt::sema {

bool mayCallTaskKfuncs(ProbeType t);

} // namespace bt::sema
