// The 8 bytes of a kstack or ustack value, as btc lays them out and btrun reads them
// (docs/OBJECT.md): shared by lib/Lower and lib/Runtime.
#pragma once

#include <cstdint>

namespace bt::obj {

// The 8 bytes of a kstack or ustack value: the stack id (an s32, negative: none) in
// bits 0-31, a ustack's tgid in bits 32-55, and, when the script takes len() of a stack
// it holds, the stack's frame count in bits 56-63 (else 0, or a kstack's negative id's
// sign).
constexpr unsigned kStackFrameCountShift = 56;
constexpr uint64_t kStackTgidMask = (uint64_t(1) << 24) - 1; // after shifting right by 32

} // namespace bt::obj
