// The BPF instruction set btc's code needs, shared by btc (which picks it) and btrun
// (which checks the host takes it).
#ifndef BT_OBJECT_BPFISA_H
#define BT_OBJECT_BPFISA_H

#include <cstdint>

namespace bt::obj {

/// A max_strlen over this many bytes makes btc emit BPF CPU v4 code (kernel 6.6+): the
/// unrolled reads, copies and compares of bigger strings need its 32-bit jumps (gotol).
/// btrun checks that the host takes them before it loads such an object.
constexpr uint64_t kMaxCpuV3Strlen = 1024;

} // namespace bt::obj

#endif
