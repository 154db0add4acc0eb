// Which helper reads what an address points to, the user one or the kernel one: the
// string reads (ProbeLowering::readStringAt) and buf()'s byte reads choose alike.
#pragma once

#include "bt/Sema/Types.h"

namespace bt::lower {

// A typed pointer says where it points; an integer is the process's where the probe's
// untyped addresses are (`pointersAreUser`: ProbeLowering::pointersAreUser, uprobe
// arguments and syscall tracepoint fields), else the kernel's.
inline bool addressesUser(const Type &t, bool pointersAreUser) {
  return t.isPointer() ? t.addressSpace == AddressSpace::User : pointersAreUser;
}

} // namespace bt::lower
