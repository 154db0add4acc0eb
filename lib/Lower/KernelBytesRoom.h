// The room a struct held as the running kernel's bytes gets (a variable's per-CPU copy,
// KernelCopies.cpp; a map value, Maps.cpp): structs over kMaxMemberCopy bytes are held
// so, smaller ones copied member by member (Sema's MemberCopies.cpp).
#pragma once

#include "bt/Sema/Types.h"

#include <algorithm>

namespace bt::lower {

constexpr unsigned kMaxMemberCopy = 512;
// The kernel refuses a per-CPU value over 32 KiB (PCPU_MIN_UNIT_SIZE).
constexpr unsigned kMaxPercpuValue = 32768;

// Room for the struct on a kernel where it is bigger than in the compile-time BTF
// (task_struct is some 3 KiB on a small configuration, near 10 KiB on a distribution's):
// twice its size, at least 16 KiB. On a kernel where it is bigger still, the copy's
// size is over the room and the verifier refuses the program at load, rather than a
// member being read past it.
inline unsigned kernelBytesRoom(unsigned size) {
  return std::min(kMaxPercpuValue, std::max(2 * size, 16384u));
}

// A named kernel struct or union: its size is the running kernel's, from a CO-RE
// type-size relocation.
inline bool hasRelocatedSize(const Type &t) {
  return t.isRecord() && t.origin == RecordOrigin::Btf && !t.name.empty();
}

// Whether a value of type t is held as the running kernel's bytes: a named kernel struct
// or union, or an array of them, over kMaxMemberCopy bytes (by size, not by Sema's
// member lists: a small struct copied member by member elsewhere may be the element of
// an array held this way); or a tuple whose last element is held so (a for loop's element).
bool heldAsKernelBytes(const TypeTable &types, TypeId t);

} // namespace bt::lower
