// An iterator program runs once per object and once more, with the object NULL, when
// the walk ends (the kernel's seq stop): that last run does nothing, as in bpftrace,
// so a script never sees a NULL ctx->task.
#include "ProbeLowering.h"

namespace bt::lower {

void ProbeLowering::skipIteratorEnd() {
  using namespace llvm;
  // struct bpf_iter__NAME { struct bpf_iter_meta *meta; OBJECT *obj; ... }: the object
  // is the context's second word, read directly (the verifier allows a tracing
  // program's context words).
  auto *slot = B.CreateConstGEP1_64(B.getInt8Ty(), ctxArg, 8, "iter_object_slot");
  auto *object = B.CreateLoad(lc.i64(), slot, "iter_object");
  auto *go = BasicBlock::Create(lc.ctx, "iter_object", fn);
  auto *stop = BasicBlock::Create(lc.ctx, "iter_end", fn);
  B.CreateCondBr(B.CreateICmpNE(object, B.getInt64(0)), go, stop);
  B.SetInsertPoint(stop);
  ret0();
  B.SetInsertPoint(go);
}

} // namespace bt::lower
