// One step of a string loop (StringLoops.cpp) being built: its context's slots, the
// bytes it reads and where it stops. Shared by the loops over strings of StringLoops.cpp
// and a literal globmatch's (GlobLiteral.cpp).
#ifndef BT_LOWER_STRINGSTEP_H
#define BT_LOWER_STRINGSTEP_H

#include "ProbeLowering.h"

namespace bt::lower {

// The context's u64 slots: the two strings' addresses and the result.
enum StringSlot : unsigned { kFirst, kSecond, kResult, kSlots };

struct ProbeLowering::StringStep {
  llvm::IRBuilder<> &B;
  LowerContext &lc;
  llvm::Function *callback;
  llvm::Value *index, *context;

  // Byte index + offset of the string in `slot`, of `size` bytes; 0 past its end. When
  // that may be past the end, the index is clamped before the read, so that the
  // verifier sees it in bounds on every path.
  llvm::Value *byte(StringSlot slot, unsigned size, unsigned offset, uint64_t count) {
    llvm::Value *base = B.CreateLoad(lc.ptr(), B.CreateConstGEP1_32(lc.i64(), context, slot));
    llvm::Value *at = offset ? B.CreateAdd(index, B.getInt64(offset)) : index;
    if (count + offset <= size)
      return B.CreateLoad(lc.i8(), B.CreateGEP(lc.i8(), base, at));
    llvm::Value *inside = B.CreateICmpULT(at, B.getInt64(size));
    llvm::Value *clamped = B.CreateSelect(inside, at, B.getInt64(0));
    llvm::Value *read = B.CreateLoad(lc.i8(), B.CreateGEP(lc.i8(), base, clamped));
    return B.CreateSelect(inside, read, B.getInt8(0));
  }
  // Where `decided` holds, the loop stops with `result` (none: the caller's initial one).
  void stopIf(llvm::Value *decided, llvm::Value *result, const char *name) {
    auto *stop = llvm::BasicBlock::Create(lc.ctx, name, callback);
    auto *next = llvm::BasicBlock::Create(lc.ctx, "str_step", callback);
    B.CreateCondBr(decided, stop, next);
    B.SetInsertPoint(stop);
    if (result)
      B.CreateStore(result, B.CreateConstGEP1_32(lc.i64(), context, kResult));
    B.CreateRet(B.getInt64(1));
    B.SetInsertPoint(next);
  }
};

} // namespace bt::lower

#endif
