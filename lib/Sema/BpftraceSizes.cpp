// bpftrace 0.17's sizes, measured with its sizeof: ((int8)1, X) and (X, (int8)1) give
// X's size and alignment. Integers keep their declared width in its tuples; strings
// align to 1; the structs it builds for usym, strftime, cgroup_path, ntop and buf to 4
// (((int8)1, usym(1)) is 20); a C struct to 1 (((int8)1, *curtask) is one byte more
// than the struct); the 8-byte ids and addresses (stacks, ksym, username, strerror)
// and 0.17's booleans, which are int64, to 8.
#include "BpftraceSizes.h"
#include "SemaInternal.h"

#include "bt/Object/Layout.h"

#include <algorithm>

namespace bt::sema {

namespace {

constexpr unsigned kByteRecordAlign = 4;
} // namespace

std::optional<BpftraceExtent> bpftraceExtent(const TypeTable &types, TypeId id) {
  const Type &t = types.get(id);
  switch (t.kind) {
  case TypeKind::Int: {
    unsigned width = t.tupleWidth ? t.tupleWidth : t.size;
    return BpftraceExtent{width, width};
  }
  case TypeKind::Bool:
  case TypeKind::Pointer:
  case TypeKind::KernelStack:
  case TypeKind::UserStack:
  case TypeKind::KernelSymbol:
  case TypeKind::ErrorText:
  case TypeKind::UserName:
    return BpftraceExtent{8, 8};
  case TypeKind::String: // macaddr()'s text is its 6 bytes to bpftrace
    return BpftraceExtent{t.bpftraceSize ? t.bpftraceSize : t.size, 1};
  case TypeKind::Array: {
    auto element = bpftraceExtent(types, t.element);
    if (!element)
      return std::nullopt;
    return BpftraceExtent{element->size * t.count, element->align, element->growsBy,
                          element->relocatable};
  }
  case TypeKind::Buffer: // 0.17's length is one byte, btc's eight
    return BpftraceExtent{t.size - obj::kBufferDataOffset + 1, kByteRecordAlign};
  case TypeKind::UserSymbol:
  case TypeKind::Timestamp:
  case TypeKind::CgroupPath:
    return BpftraceExtent{16, kByteRecordAlign};
  case TypeKind::InetAddress:
    return BpftraceExtent{24, kByteRecordAlign};
  case TypeKind::Record: {
    if (t.origin != RecordOrigin::Tuple)
      // A kernel struct's size may change by any number of bytes (its alignment as the type
      // table has it is not the running kernel's C alignment).
      return BpftraceExtent{t.size, 1, t.origin == RecordOrigin::Btf ? 1u : 0u};
    BpftraceExtent tuple;
    // Rounding a size that grows by multiples of growsBy up to a bigger alignment
    // would add padding that depends on the running kernel's sizes.
    auto roundTo = [&](unsigned align) {
      if (tuple.growsBy && align > tuple.growsBy)
        tuple.relocatable = false;
      tuple.size = roundUp(tuple.size, align);
    };
    for (const RecordField &f : t.fields) {
      auto e = bpftraceExtent(types, f.type);
      if (!e)
        return std::nullopt;
      roundTo(e->align);
      tuple.size += e->size;
      tuple.align = std::max(tuple.align, e->align);
      if (e->growsBy)
        tuple.growsBy = tuple.growsBy ? std::min(tuple.growsBy, e->growsBy) : e->growsBy;
      tuple.relocatable = tuple.relocatable && e->relocatable;
    }
    roundTo(tuple.align);
    return tuple;
  }
  case TypeKind::None:
  case TypeKind::TracepointArgs:
  case TypeKind::Aggregation:
  case TypeKind::SyscallName:
    return std::nullopt;
  }
  return std::nullopt;
}

} // namespace bt::sema
