// Private to lib/Lower: the kernel structs and unions a script reads, as the
// debug-info and IR types that CO-RE relocations name. Each record lists only the
// members the script reads, under the kernel's names and at the compile-time
// BTF's offsets (sorted, as the kernel's BTF check wants): libbpf matches members
// by name against the running kernel's BTF and patches the offsets.
#pragma once

#include "bt/Sema/Sema.h"

#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/DerivedTypes.h"

#include <map>
#include <string>

namespace bt::lower {

class LowerContext;

class CoreTypes {
public:
  // Declares every record Sema's member accesses name, with their members.
  void declare(LowerContext &lc);
  bool empty() const { return records_.empty() && sequence_ == 0; }

  // What a relocated access to `m` needs.
  struct Access {
    llvm::StructType *ir = nullptr;
    llvm::DICompositeType *di = nullptr;
    unsigned index = 0; // of the member, in both
    bool isUnion = false;
  };
  Access access(const MemberAccess &m) const;
  // The debug-info type of a record (a type-size relocation names it), declared
  // without members when declare() did not meet it (an element type).
  llvm::DICompositeType *recordDi(LowerContext &lc, TypeId t);
  // A new sequence number for a type-info or enum-value intrinsic call, as clang
  // numbers its builtins: calls that differ only in metadata are never merged.
  unsigned nextSequence() { return sequence_++; }

private:
  struct Record {
    llvm::StructType *ir = nullptr;
    llvm::DICompositeType *di = nullptr;
    std::map<std::string, unsigned> index; // member name -> index
    bool isUnion = false;
  };
  llvm::DIType *diType(LowerContext &lc, TypeId t);
  llvm::Type *irType(LowerContext &lc, TypeId t);
  Record &record(LowerContext &lc, TypeId t);

  std::map<uint32_t, Record> records_; // by TypeId index
  unsigned sequence_ = 0;
};

} // namespace bt::lower
