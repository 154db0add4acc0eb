// The type table (interning) and the one layout of stored values.
#include "bt/Sema/Types.h"
#include "bt/Object/Layout.h"
#include "SemaInternal.h"

#include <algorithm>

namespace bt {

namespace {

// A value held in 8 bytes that stands for something printed by btrun (an id, an
// address, nanoseconds): only its kind and extras differ.
Type handle(TypeKind kind) {
  Type t;
  t.kind = kind;
  t.size = t.align = 8;
  return t;
}

// "perf, " in kstack(perf, 127); nothing for the default layout.
std::string stackModePrefix(obj::StackMode mode) {
  return mode == obj::StackMode::Bpftrace ? "" : std::string(obj::toString(mode)) + ", ";
}

// Every slot is 8-byte aligned and a multiple of 8 bytes: what BPF needs of
// stack and map value accesses, and what the manifest promises btrun.
constexpr unsigned kSlotAlign = 8;

void appendText(std::string &key, const std::string &s) {
  key += std::to_string(s.size());
  key += ':';
  key += s;
}

// A spelling that differs whenever two types differ.
std::string canonicalKey(const Type &t) {
  std::string key;
  for (unsigned n : {(unsigned)t.kind, t.size, t.align, (unsigned)t.isSigned, t.tupleWidth,
                     t.bpftraceSize,
                     t.pointee.index(), (unsigned)t.addressSpace, t.element.index(), t.count,
                     (unsigned)t.origin, (unsigned)t.agg, t.frames, (unsigned)t.stackMode,
                     (unsigned)t.isUnion, (unsigned)t.btfId}) {
    key += std::to_string(n);
    key += ',';
  }
  appendText(key, t.name);
  appendText(key, t.timeFormat);
  appendText(key, t.hierarchyFilter);
  for (const RecordField &f : t.fields) {
    appendText(key, f.name);
    key += std::to_string(f.type.index()) + '@' + std::to_string(f.offset) + ',';
  }
  return key;
}

} // namespace

std::string Type::str() const {
  switch (kind) {
  case TypeKind::None: return "none";
  // A tuple's integer is named by the width the script gave it, not the 8 bytes it is
  // held in: `((int8)1, (int16)2)` is (int8, int16), as bpftrace names it.
  case TypeKind::Int:
    return (isSigned ? "int" : "uint") + std::to_string((tupleWidth ? tupleWidth : size) * 8);
  case TypeKind::Bool: return "bool";
  case TypeKind::String: // macaddr()'s text by bpftrace's name for it
    return bpftraceSize ? "mac_address" : "string[" + std::to_string(size) + "]";
  case TypeKind::Pointer:
    return (pointee.index() ? table_->str(pointee) : std::string("void")) +
           (addressSpace == AddressSpace::User ? " __user *" : " *");
  case TypeKind::Array: {
    // As C spells it: uint8[2][4] is two arrays of four, the outer count first.
    std::string counts = "[" + std::to_string(count) + "]";
    TypeId inner = element;
    for (; table_->get(inner).isArray(); inner = table_->get(inner).element)
      counts += "[" + std::to_string(table_->get(inner).count) + "]";
    return table_->str(inner) + counts;
  }
  case TypeKind::Record: {
    if (origin != RecordOrigin::Tuple)
      return (isUnion ? "union " : "struct ") + (name.empty() ? "(anonymous)" : name);
    std::string s = "(";
    for (size_t i = 0; i < fields.size(); ++i)
      s += (i ? ", " : "") + (fields[i].name.empty() ? "" : fields[i].name + "=") +
           table_->str(fields[i].type);
    return s + ")";
  }
  case TypeKind::TracepointArgs: return "args";
  case TypeKind::Aggregation: return std::string(aggName(agg)) + "()";
  case TypeKind::KernelStack:
    return "kstack(" + stackModePrefix(stackMode) + std::to_string(frames) + ")";
  case TypeKind::KernelSymbol: return "ksym";
  case TypeKind::UserStack:
    return "ustack(" + stackModePrefix(stackMode) + std::to_string(frames) + ")";
  case TypeKind::UserSymbol: return "usym";
  case TypeKind::Timestamp: return "strftime";
  case TypeKind::ErrorText: return "strerror";
  case TypeKind::UserName: return "username";
  case TypeKind::CgroupPath: return "cgroup_path";
  case TypeKind::SyscallName: return "syscall_name";
  case TypeKind::InetAddress: return "inet";
  case TypeKind::Buffer: return "buffer[" + std::to_string(size - obj::kBufferDataOffset) + "]";
  }
  return "?";
}

TypeTable::TypeTable() { intern(Type()); }

TypeTable::TypeTable(const TypeTable &other)
    : types_(other.types_), index_(other.index_), declared_(other.declared_) {
  for (Type &t : types_)
    t.table_ = this;
}

TypeTable::TypeTable(TypeTable &&other) { *this = std::move(other); }

TypeTable &TypeTable::operator=(TypeTable &&other) {
  types_ = std::move(other.types_);
  index_ = std::move(other.index_);
  declared_ = std::move(other.declared_);
  for (Type &t : types_)
    t.table_ = this;
  return *this;
}

TypeId TypeTable::intern(Type t) {
  t.table_ = this;
  auto [it, inserted] = index_.emplace(canonicalKey(t), (uint32_t)types_.size());
  if (inserted)
    types_.push_back(std::move(t));
  return TypeId(it->second);
}

TypeId TypeTable::integer(unsigned bytes, bool isSigned) {
  Type t;
  t.kind = TypeKind::Int;
  t.size = t.align = bytes;
  t.isSigned = isSigned;
  return intern(std::move(t));
}

TypeId TypeTable::tupleInteger(TypeId stored, unsigned width) {
  Type t = get(stored);
  t.tupleWidth = width;
  return intern(std::move(t));
}

TypeId TypeTable::boolean() {
  Type t;
  t.kind = TypeKind::Bool;
  t.size = t.align = 1;
  return intern(std::move(t));
}

TypeId TypeTable::string(unsigned size) {
  Type t;
  t.kind = TypeKind::String;
  t.size = size;
  t.align = 1;
  return intern(std::move(t));
}

TypeId TypeTable::macAddressText() {
  constexpr unsigned kMacBytes = 6;
  Type t = get(string(kMacBytes * 3)); // "AA:BB:CC:DD:EE:FF" and its NUL
  t.bpftraceSize = kMacBytes;
  return intern(std::move(t));
}

TypeId TypeTable::pointer(TypeId pointee, AddressSpace space) {
  Type t;
  t.kind = TypeKind::Pointer;
  t.size = t.align = 8;
  t.pointee = pointee;
  t.addressSpace = space;
  return intern(std::move(t));
}

TypeId TypeTable::array(TypeId element, unsigned count) {
  const Type &e = get(element);
  Type t;
  t.kind = TypeKind::Array;
  t.size = e.size * count;
  t.align = std::max(e.align, 1u);
  t.element = element;
  t.count = count;
  return intern(std::move(t));
}

TypeId TypeTable::tuple(const std::vector<TypeId> &elements,
                        const std::vector<std::string> &names) {
  RecordLayout layout = layoutOf(*this, elements);
  Type t;
  t.kind = TypeKind::Record;
  t.origin = RecordOrigin::Tuple;
  t.size = layout.size;
  t.align = layout.align;
  for (size_t i = 0; i < elements.size(); ++i)
    t.fields.push_back({i < names.size() ? names[i] : "", elements[i], layout.offsets[i]});
  return intern(std::move(t));
}

TypeId TypeTable::record(RecordOrigin origin, std::string name, std::vector<RecordField> fields,
                         unsigned size, unsigned align, bool isUnion) {
  Type t;
  t.kind = TypeKind::Record;
  t.origin = origin;
  t.isUnion = isUnion;
  t.name = std::move(name);
  t.fields = std::move(fields);
  t.size = size;
  t.align = align;
  return intern(std::move(t));
}

TypeId TypeTable::btfRecord(uint32_t btfId, std::string name, bool isUnion, unsigned size,
                            unsigned align) {
  Type t;
  t.kind = TypeKind::Record;
  t.origin = RecordOrigin::Btf;
  t.name = std::move(name);
  t.isUnion = isUnion;
  t.btfId = btfId;
  t.size = size;
  t.align = align;
  return intern(std::move(t));
}

TypeId TypeTable::recordIn(TypeId record, AddressSpace space) {
  TypeId asDeclared = declared(record);
  Type t = get(asDeclared);
  if (!t.isRecord() || t.origin == RecordOrigin::Tuple || space == AddressSpace::Kernel)
    return asDeclared;
  t.addressSpace = space;
  TypeId copied = intern(std::move(t));
  declared_.emplace(copied.index(), asDeclared);
  return copied;
}

TypeId TypeTable::declared(TypeId id) const {
  auto it = declared_.find(id.index());
  return it == declared_.end() ? id : it->second;
}

TypeId TypeTable::enumeration(std::string name, unsigned bytes, bool isSigned) {
  Type t;
  t.kind = TypeKind::Int;
  t.size = t.align = bytes;
  t.isSigned = isSigned;
  t.name = std::move(name);
  return intern(std::move(t));
}

TypeId TypeTable::aggregation(AggKind agg, bool isSigned) {
  Type t;
  t.kind = TypeKind::Aggregation;
  t.agg = agg;
  t.isSigned = (agg == AggKind::Sum || agg == AggKind::Min || agg == AggKind::Max) && isSigned;
  return intern(std::move(t));
}

TypeId TypeTable::kernelStack(unsigned frames, obj::StackMode mode) {
  Type t = handle(TypeKind::KernelStack);
  t.frames = frames;
  t.stackMode = mode;
  return intern(std::move(t));
}

TypeId TypeTable::userStack(unsigned frames, obj::StackMode mode) {
  Type t = handle(TypeKind::UserStack);
  t.frames = frames;
  t.stackMode = mode;
  return intern(std::move(t));
}

TypeId TypeTable::userSymbol() {
  Type t;
  t.kind = TypeKind::UserSymbol;
  t.size = 16;
  t.align = 8;
  return intern(std::move(t));
}

TypeId TypeTable::kernelSymbol() {
  return intern(handle(TypeKind::KernelSymbol));
}

TypeId TypeTable::timestamp(std::string format) {
  Type t = handle(TypeKind::Timestamp);
  t.timeFormat = std::move(format);
  return intern(std::move(t));
}

TypeId TypeTable::errorText() {
  return intern(handle(TypeKind::ErrorText));
}

TypeId TypeTable::userName() {
  return intern(handle(TypeKind::UserName));
}

TypeId TypeTable::cgroupPath(std::string hierarchyFilter) {
  Type t = handle(TypeKind::CgroupPath);
  t.hierarchyFilter = std::move(hierarchyFilter);
  return intern(std::move(t));
}

TypeId TypeTable::syscallName() {
  return intern(handle(TypeKind::SyscallName));
}

TypeId TypeTable::inetAddress() {
  Type t;
  t.kind = TypeKind::InetAddress;
  t.size = obj::kInetAddressSize;
  t.align = 8;
  return intern(std::move(t));
}

TypeId TypeTable::buffer(unsigned capacity) {
  Type t;
  t.kind = TypeKind::Buffer;
  t.size = obj::kBufferDataOffset + capacity;
  t.align = 8;
  return intern(std::move(t));
}

TypeId TypeTable::tracepointArgs() {
  Type t;
  t.kind = TypeKind::TracepointArgs;
  return intern(std::move(t));
}

StorageLayout storageOf(const TypeTable &types, TypeId id) {
  const Type &t = types.get(id);
  unsigned size = 0;
  switch (t.kind) {
  // An aggregation's per-CPU value is part of the contract with btrun
  // (bt/Object/Layout.h).
  case TypeKind::None:
  case TypeKind::TracepointArgs:
  case TypeKind::Aggregation:
    return {};
  // Integers and booleans are i64 values in IR; the printed kinds are 8-byte
  // ids, addresses or nanoseconds.
  case TypeKind::Int:
  case TypeKind::Bool:
  case TypeKind::Pointer:
  case TypeKind::KernelStack:
  case TypeKind::KernelSymbol:
  case TypeKind::Timestamp:
  case TypeKind::ErrorText:
  case TypeKind::UserStack:
  case TypeKind::UserName:
  case TypeKind::CgroupPath:
  case TypeKind::SyscallName:
    size = 8;
    break;
  case TypeKind::UserSymbol:  // the address, then the tgid
  case TypeKind::InetAddress: // the family, then the address's 16 bytes
  case TypeKind::Buffer:      // the length, then the bytes
  case TypeKind::String:
  case TypeKind::Array:
  case TypeKind::Record:
    size = t.size;
    break;
  }
  return {size, sema::roundUp(size, kSlotAlign), kSlotAlign};
}

std::optional<size_t> tupleFieldIndex(const Type &t, const std::string &name, size_t index) {
  if (name.empty())
    return index < t.fields.size() ? std::optional<size_t>(index) : std::nullopt;
  for (size_t i = 0; i < t.fields.size(); ++i)
    if (t.fields[i].name == name)
      return i;
  return std::nullopt;
}

RecordLayout layoutOf(const TypeTable &types, const std::vector<TypeId> &fields,
                      unsigned start) {
  RecordLayout layout;
  unsigned offset = start;
  for (TypeId f : fields) {
    StorageLayout s = storageOf(types, f);
    offset = sema::roundUp(offset, s.align ? s.align : 1);
    layout.offsets.push_back(offset);
    offset += s.slotSize;
    layout.align = std::max(layout.align, s.align);
  }
  layout.size = sema::roundUp(offset, layout.align);
  return layout;
}

} // namespace bt
