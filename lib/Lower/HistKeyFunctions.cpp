// delete() and has_key() of one key of a hist() or lhist() map, which is one hash element
// per bucket (the key's bytes, then the bucket index at bucketOffset: docs/OBJECT.md).
// bpf_loop visits the buckets with the key copied onto the stack beside a "found" word:
// delete removes every bucket's element and is 1 when it removed any (bpftrace 0.17
// removes the key's whole histogram); has_key stops at the first bucket there.
// Sema's MapFunctions.cpp bounds the key's size (the stack holds it).
#include "Callback.h"
#include "ProbeLowering.h"

#include "bt/Object/Layout.h"

namespace bt::lower {

using namespace llvm;

Value ProbeLowering::histKeyCall(const ast::CallExpr *c, bool remove) {
  auto *m = ast::as<ast::MapRef>(c->args[0].get());
  const MapLayout &ml = lc.mapLayout(m->name);
  const MapInfo &mi = *ml.info;
  uint64_t buckets = mi.agg == AggKind::Hist
                         ? obj::histBuckets(unsigned(std::max(mi.histBits, 0)))
                         : uint64_t((mi.lhistMax - mi.lhistMin) / mi.lhistStep + 2);
  if (remove)
    mapWritten(m->name);
  llvm::Value *key = buildKey(ml, keysOf(c));
  // On the stack whatever on_stack_limit says: bpf_loop takes its context only there.
  constexpr unsigned kKeyAt = 8; // after the found word
  llvm::Value *context = stackTemp(kKeyAt + ml.keySize, "hist_key." + m->name);
  B.CreateStore(B.getInt64(0), context);
  B.CreateMemCpy(B.CreateConstGEP1_32(lc.i8(), context, kKeyAt), MaybeAlign(8), key,
                 MaybeAlign(8), ml.keySize);

  std::string name = fnName + (remove ? "_delete_hist_key" : "_has_hist_key") +
                     std::to_string(histKeyWalks++);
  Function *step = createCallback(lc, name, {{"bucket", false}, {"context", true}}, c->range);
  {
    IRBuilderBase::InsertPointGuard outer(B);
    enterCallback(B, lc, step, c->range);
    llvm::Value *found = step->getArg(1);
    llvm::Value *stepKey = B.CreateConstGEP1_32(lc.i8(), found, kKeyAt);
    B.CreateStore(step->getArg(0), B.CreateConstGEP1_32(lc.i8(), stepKey, ml.bucketOffset));
    auto *there = BasicBlock::Create(lc.ctx, "hist_key_there", step);
    auto *next = BasicBlock::Create(lc.ctx, "hist_key_next", step);
    llvm::Value *hit =
        remove ? B.CreateICmpEQ(lc.callHelper(MapDeleteElem, lc.i64(), {ml.global, stepKey}),
                                B.getInt64(0))
               : B.CreateICmpNE(lc.callHelper(MapLookupElem, lc.ptr(), {ml.global, stepKey}),
                                ConstantPointerNull::get(lc.ptr()));
    B.CreateCondBr(hit, there, next);
    B.SetInsertPoint(there);
    B.CreateStore(B.getInt64(1), found);
    // has_key has its answer; delete goes on through the other buckets.
    B.CreateRet(B.getInt64(remove ? 0 : 1));
    B.SetInsertPoint(next);
    B.CreateRet(B.getInt64(0));
    lc.DI->finalizeSubprogram(step->getSubprogram());
  }
  lc.callHelper(BpfLoop, lc.i64(), {B.getInt64(buckets), step, context, B.getInt64(0)});
  return {lc.sema.typeOf(c), B.CreateLoad(lc.i64(), context, remove ? "deleted" : "has_key")};
}

} // namespace bt::lower
