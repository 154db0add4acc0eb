// Types of the language, interned in a TypeTable and named by a TypeId: a 32-bit
// index, so two types are the same type exactly when their ids are equal. The
// table belongs to the analysis (SemaResult) of one script.
#pragma once

#include "bt/Object/Schema.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace bt {

enum class AggKind { None, Count, Sum, Min, Max, Avg, Stats, Hist, Lhist, Tseries };
const char *aggName(AggKind k);

class TypeTable;

class TypeId {
public:
  TypeId() = default; // the type of nothing (TypeTable::none())
  uint32_t index() const { return index_; }
  friend bool operator==(TypeId a, TypeId b) { return a.index_ == b.index_; }
  friend bool operator!=(TypeId a, TypeId b) { return a.index_ != b.index_; }

private:
  friend class TypeTable;
  explicit TypeId(uint32_t index) : index_(index) {}
  uint32_t index_ = 0;
};

enum class TypeKind {
  None, Int, Bool, String, Pointer, Array, Record, TracepointArgs, Aggregation,
  KernelStack, KernelSymbol, Timestamp, ErrorText, InetAddress, UserStack, UserSymbol,
  UserName, Buffer,
  CgroupPath, SyscallName,
};

// Variable: a script variable's own bytes (`&$x`: the probe's stack or its per-CPU
// scratch), kernel memory that lives only while the probe runs.
enum class AddressSpace { Kernel, User, Variable };

// Where a record's fields come from: a tuple of the script (laid out by
// layoutOf), a kernel struct from BTF or a C definition (laid out as defined).
enum class RecordOrigin { Tuple, Btf, C };

struct RecordField {
  std::string name; // "" in a tuple
  TypeId type;
  unsigned offset = 0;
};

// One interned type. Fields that do not apply to its kind are zero.
class Type {
public:
  TypeKind kind = TypeKind::None;
  // Bytes the value occupies: Int 1, 2, 4 or 8; String its buffer with the NUL;
  // Bool 1; Pointer 8; Array and Record their whole size; the printed kinds 8
  // (a stack id, an address, nanoseconds), but a usym 16 (an address and a pid) and
  // an inet 24 (a family and an address).
  unsigned size = 0;
  unsigned align = 0;
  bool isSigned = false;       // Int; Aggregation: a sum() of a signed argument
  // Int held in a tuple (8 bytes, like every integer btc stores): the width the script
  // gave it, which bpftrace keeps in its tuples and so reports as sizeof (0 elsewhere).
  unsigned tupleWidth = 0;
  // String holding a value bpftrace keeps in fewer bytes than its text: the size it
  // reports for it (sizeof, its tuples' layout), btc's `size` being the text's. 0 elsewhere.
  unsigned bpftraceSize = 0;
  TypeId pointee;              // Pointer
  // Pointer: where it points. Record from BTF or C: where the value was copied from,
  // so where the pointers read out of it point (TypeTable::recordIn).
  AddressSpace addressSpace = AddressSpace::Kernel;
  TypeId element;              // Array
  unsigned count = 0;          // Array
  RecordOrigin origin = RecordOrigin::Tuple; // Record
  std::string name;            // Record: the struct's name ("" for a tuple)
                               // Int: "enum NAME" for a kernel enum ("" otherwise)
  bool isUnion = false;        // Record from BTF or C: a union
  uint32_t btfId = 0;          // Record from BTF: its id in the target's BTF
  std::vector<RecordField> fields; // Record
  AggKind agg = AggKind::None; // Aggregation: the value of count(), hist(), ...
  unsigned frames = 0;         // KernelStack, UserStack: frames kept
  obj::StackMode stackMode = obj::StackMode::Bpftrace; // KernelStack, UserStack: its layout
  std::string timeFormat;      // Timestamp: strftime's format
  std::string hierarchyFilter; // CgroupPath: the hierarchies it names (a wildcard)

  bool isNone() const { return kind == TypeKind::None; }
  bool isInt() const { return kind == TypeKind::Int; }
  bool isBool() const { return kind == TypeKind::Bool; }
  bool isString() const { return kind == TypeKind::String; }
  bool isPointer() const { return kind == TypeKind::Pointer; }
  bool isArray() const { return kind == TypeKind::Array; }
  bool isRecord() const { return kind == TypeKind::Record; }
  // A script's record value, `(a=1, b=2)`: a tuple with named fields.
  bool isNamedTuple() const {
    return isRecord() && origin == RecordOrigin::Tuple && !fields.empty() && !fields[0].name.empty();
  }
  bool isAggregation() const { return kind == TypeKind::Aggregation; }
  bool isKernelStack() const { return kind == TypeKind::KernelStack; }
  // ksym(addr): an address printed as the kernel symbol it lies in.
  bool isKernelSymbol() const { return kind == TypeKind::KernelSymbol; }
  // strftime(fmt, ns): nanoseconds of bpf_ktime_get_ns printed as wall-clock time.
  bool isTimestamp() const { return kind == TypeKind::Timestamp; }
  // Values btrun turns into text with what the host knows (stack frames and symbols
  // from kallsyms, the wall clock): map keys and printf %s arguments only.
  // strerror(n): an errno printed as its message; ntop(addr): an address printed by
  // inet_ntop(3).
  bool isErrorText() const { return kind == TypeKind::ErrorText; }
  bool isInetAddress() const { return kind == TypeKind::InetAddress; }
  // ustack: a stack id and the process's tgid; usym(addr): an address and the tgid,
  // named from that process's ELF files by btrun (bt/Runtime/UserStacks.h).
  bool isUserStack() const { return kind == TypeKind::UserStack; }
  bool isUserSymbol() const { return kind == TypeKind::UserSymbol; }
  bool isStack() const { return isKernelStack() || isUserStack(); }
  // username: a uid printed as the run host's name for it.
  bool isUserName() const { return kind == TypeKind::UserName; }
  // buf(p, n): a u64 length, then up to `size - 8` bytes, printed by %r and %rx.
  bool isBuffer() const { return kind == TypeKind::Buffer; }
  // cgroup_path(id): a cgroup id printed as its paths in the run host's hierarchies;
  // syscall_name(nr): a system call's number printed as its name on the run host's arch.
  bool isCgroupPath() const { return kind == TypeKind::CgroupPath; }
  bool isSyscallName() const { return kind == TypeKind::SyscallName; }
  bool isHostText() const {
    return isKernelStack() || isKernelSymbol() || isTimestamp() || isErrorText() ||
           isInetAddress() || isUserStack() || isUserSymbol() || isUserName() ||
           isCgroupPath() || isSyscallName();
  }
  // As diagnostics spell it: "uint64", "string[16]", "kstack(perf, 8)", ...
  std::string str() const;

private:
  friend class TypeTable;
  const TypeTable *table_ = nullptr; // to spell the types this one refers to
};

class TypeTable {
public:
  TypeTable();
  // A copy interns on its own (lib/Sema/UserFunctions.cpp types in a copy of the
  // analysis): the same ids for the types so far, later ones its own.
  TypeTable(const TypeTable &other);
  TypeTable &operator=(const TypeTable &other) = delete;
  TypeTable(TypeTable &&other);
  TypeTable &operator=(TypeTable &&other);

  TypeId none() const { return TypeId(); }
  TypeId integer(unsigned bytes, bool isSigned);
  TypeId boolean();
  TypeId string(unsigned size);
  TypeId pointer(TypeId pointee, AddressSpace space);
  TypeId array(TypeId element, unsigned count);
  // The fields at the offsets layoutOf gives them; a record (upstream's `(a=1, b=2)`)
  // is a tuple whose fields have names.
  TypeId tuple(const std::vector<TypeId> &elements, const std::vector<std::string> &names = {});
  // A struct from BTF or C: fields, size and alignment as its definition gives them.
  TypeId record(RecordOrigin origin, std::string name, std::vector<RecordField> fields,
                unsigned size, unsigned align, bool isUnion = false);
  // A struct or union of the target's BTF, named by its id there; its members are
  // looked up in the BTF when a script names them (lib/Sema/KernelTypes.h).
  TypeId btfRecord(uint32_t btfId, std::string name, bool isUnion, unsigned size,
                   unsigned align);
  // A struct or union from BTF or C as a value copied out of memory in `space`: the
  // same layout and members, but pointers read out of it point into `space` (bpftrace
  // gives a value the address space it was read from). A record in kernel memory is the
  // record as declared; tuples and other types come back as they are.
  TypeId recordIn(TypeId record, AddressSpace space);
  // The record as declared of one recordIn made (it names the struct for the layouts,
  // members and CO-RE relocations kept per struct); any other type as it is.
  TypeId declared(TypeId id) const;
  // A kernel enum: an integer that keeps the enum's name for CO-RE.
  TypeId enumeration(std::string name, unsigned bytes, bool isSigned);
  // An integer held in a tuple that remembers `width`, its bytes in bpftrace's tuple.
  TypeId tupleInteger(TypeId stored, unsigned width);
  // macaddr()'s value: its "AA:BB:CC:DD:EE:FF" text, which bpftrace holds as the 6 bytes.
  TypeId macAddressText();
  // isSigned: a sum()'s, min()'s or max()'s, as its argument's type (bpftrace's sum_t and
  // usum_t, min_t and umin_t, ...); ignored for the other aggregations.
  TypeId aggregation(AggKind agg, bool isSigned = true);
  TypeId kernelStack(unsigned frames, obj::StackMode mode);
  TypeId kernelSymbol();
  TypeId userStack(unsigned frames, obj::StackMode mode);
  TypeId userSymbol();
  TypeId timestamp(std::string format);
  TypeId errorText();
  TypeId userName();
  TypeId cgroupPath(std::string hierarchyFilter);
  TypeId syscallName();
  TypeId inetAddress();
  TypeId buffer(unsigned capacity);
  TypeId tracepointArgs(); // `args` of a tracepoint: its fields differ per attach point

  // Stays valid while the table lives: interning more types moves none.
  const Type &get(TypeId id) const { return types_[id.index()]; }
  std::string str(TypeId id) const { return get(id).str(); }
  size_t size() const { return types_.size(); }

private:
  TypeId intern(Type t);
  std::deque<Type> types_;
  std::unordered_map<std::string, uint32_t> index_; // by a canonical spelling
  std::unordered_map<uint32_t, TypeId> declared_;    // recordIn's records in user memory
};

// How a value is stored in a map key or value, an event record or a variable
// (an aggregation's per-CPU value is laid out by bt/Object/Layout.h):
// `size` bytes (an integer is held as 8, a string in its whole buffer), in a slot
// of `slotSize` bytes at an `align`-aligned offset.
struct StorageLayout {
  unsigned size = 0, slotSize = 0, align = 0;
};
StorageLayout storageOf(const TypeTable &types, TypeId t);

// Values side by side, each in its slot, after `start` bytes (an event's id): a
// map key, a map value, an event record, a tuple.
struct RecordLayout {
  std::vector<unsigned> offsets;
  unsigned size = 0;  // `start` included; a multiple of align
  unsigned align = 1;
};
RecordLayout layoutOf(const TypeTable &types, const std::vector<TypeId> &fields,
                      unsigned start = 0);

// The field of tuple `t` that a value's field matches: by name in a record, else the
// one at `index`; none when `t` has no such field.
std::optional<size_t> tupleFieldIndex(const Type &t, const std::string &name, size_t index);

} // namespace bt
