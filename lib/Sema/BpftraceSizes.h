// Private to lib/Sema: what bpftrace's sizeof answers for a value, which for a tuple
// is not btc's layout of it (btc holds every integer in 8 bytes and every element in
// an 8-byte-aligned slot; bpftrace lays a tuple out like a C struct).
#pragma once

#include "bt/Sema/Types.h"

#include <optional>

namespace bt::sema {

struct BpftraceExtent {
  unsigned size = 0;
  unsigned align = 1;
  // With kernel structs inside: the size grows by the running kernel's struct sizes less
  // the compiled-against ones, a multiple of `growsBy` (1: any number of bytes);
  // `relocatable` unless a later alignment would round that growth.
  unsigned growsBy = 0;
  bool relocatable = true;
};

// bpftrace 0.17's size and alignment of a value of type `t` as its tuples hold it;
// none for a kind 0.17 has no size for (syscall_name, aggregations, args).
std::optional<BpftraceExtent> bpftraceExtent(const TypeTable &types, TypeId t);

} // namespace bt::sema
