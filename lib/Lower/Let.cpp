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
  if (inMemory(declared))
    B.CreateMemSet(slot, B.getInt8(0), storageOf(lc.types(), declared).size, MaybeAlign(8));
  else
    B.CreateStore(B.getInt64(0), slot);
}

} // namespace bt::lower
