// `let $x [: type] [= e]`: the declaration's slot (ProbeLowering::varSlot) takes
// the value, or zero each time the statement runs, so a `let` in a loop body
// starts afresh on every iteration.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

void ProbeLowering::varDecl(const ast::VarDeclStmt *s) {
  TypeId declared = lc.sema.declarationOf(s->var.get()).type;
  const Type &vt = lc.type(declared);
  llvm::Value *slot = varSlot(s->var.get());
  if (kernelCopy(declared))
    return kernelCopyInto(s->value.get(), slot, declared);
  if (s->value) {
    if (copiedAsRecord(declared))
      return recordInto(s->value.get(), slot);
    if (vt.isArray()) {
      B.CreateStore(heldArray(s->value.get()), slot);
      return;
    }
    Value v = expr(s->value.get());
    if (vt.isString())
      copyString(slot, vt.size, v);
    else if (isTuple(declared))
      storeValue(slot, declared, v);
    else
      B.CreateStore(extendInt(v.v, declared), slot);
    return;
  }
  // An array of structs is the variable's own bytes (zeroed below); another its address.
  if (vt.isArray() && !copiedAsRecord(declared)) {
    B.CreateStore(zeroedArray(s->var.get(), vt.size), slot);
    return;
  }
  if (inMemory(declared))
    B.CreateMemSet(slot, B.getInt8(0), storageOf(lc.types(), declared).size, MaybeAlign(8));
  else
    B.CreateStore(B.getInt64(0), slot);
}

// `let $a: int8[4];`: zeroed bytes the variable holds the address of, as it holds any
// array's; in the per-CPU scratch map when they are over on_stack_limit.
llvm::Value *ProbeLowering::zeroedArray(const ast::Expr *var, unsigned size) {
  llvm::Value *at = size > lc.sema.options.onStackLimit
                        ? scratchCopy(var, size)
                        : entryAlloca(ArrayType::get(lc.i8(), size), "array.zero");
  B.CreateMemSet(at, B.getInt8(0), size, MaybeAlign(8));
  return at;
}

} // namespace bt::lower
