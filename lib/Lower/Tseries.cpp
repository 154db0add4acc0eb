// tseries(): each CPU's slot of the map value keeps one bucket per interval,
// indexed by epoch % intervals (layout: bt/Object/Layout.h). A bucket whose epoch
// is not the current one is stale, left from intervals ago: the first value of the
// new interval resets it. btrun combines the CPUs' buckets of each epoch. A keyed
// map's new key starts from zeros copied in from a zero-filled array (zeroMap).
#include "ProbeLowering.h"

#include "bt/Object/Layout.h"


namespace bt::lower {

using namespace llvm;

void ProbeLowering::tseriesAggregate(const ast::MapRef *m, const ast::CallExpr *call) {
  const MapLayout &ml = lc.mapLayout(m->name);
  const MapInfo &mi = *ml.info;
  mapWritten(m->name);
  llvm::Value *v = expr(call->args[0].get()).v;
  auto *now = lc.callHelper(KtimeGetTaiNs, lc.i64(), {});
  auto *epoch = B.CreateUDiv(now, B.getInt64(uint64_t(mi.tseriesIntervalNs)));
  llvm::Value *index = B.CreateURem(epoch, B.getInt64(uint64_t(mi.tseriesIntervals)));
  // The verifier tracks no bound through a modulo: bound the index again, through an
  // empty asm so that LLVM, which knows the bound holds, keeps the check. A second one
  // after the check keeps LLVM from computing the bucket's offset from the unchecked
  // index on both arms (the verifier then sees an unbounded offset): a power of two
  // intervals is an `and`, which the verifier bounds, so only other counts met it.
  index = opaque(index);
  auto *inRange = B.CreateICmpULT(index, B.getInt64(uint64_t(mi.tseriesIntervals)));
  index = B.CreateSelect(inRange, index, B.getInt64(0));
  index = opaque(index);

  auto *key = buildKey(ml, m, nullptr);
  llvm::Value *p = lookup(ml, key);
  auto *found = BasicBlock::Create(lc.ctx, "tseries_found", fn);
  auto *done = BasicBlock::Create(lc.ctx, "tseries_end", fn);
  auto isNull = [&](llvm::Value *q) { return B.CreateICmpEQ(q, ConstantPointerNull::get(lc.ptr())); };
  if (!ml.perCpuArray) {
    // A new key: insert zeros, then update them in place as an existing key's.
    auto *fresh = BasicBlock::Create(lc.ctx, "tseries_new", fn);
    auto *insert = BasicBlock::Create(lc.ctx, "tseries_insert", fn);
    auto *inserted = BasicBlock::Create(lc.ctx, "tseries_inserted", fn);
    BasicBlock *lookedUp = B.GetInsertBlock();
    B.CreateCondBr(isNull(p), fresh, found);
    B.SetInsertPoint(fresh);
    auto *zeroKey = temp(4, "zero_key");
    auto *zeros = lc.callHelper(MapLookupElem, lc.ptr(), {lc.zeroMap(ml.valueSize), zeroKey});
    B.CreateCondBr(isNull(zeros), done, insert);
    B.SetInsertPoint(insert);
    constexpr int64_t EEXIST_ = -17; // see Aggregation.cpp: the benign insert race
    updateMap(ml, key, zeros, EEXIST_);
    auto *again = lookup(ml, key);
    B.CreateCondBr(isNull(again), done, inserted);
    B.SetInsertPoint(inserted);
    B.CreateBr(found);
    B.SetInsertPoint(found);
    auto *phi = B.CreatePHI(lc.ptr(), 2);
    phi->addIncoming(p, lookedUp);
    phi->addIncoming(again, inserted);
    p = phi;
  } else {
    B.CreateCondBr(isNull(p), done, found);
    B.SetInsertPoint(found);
  }
  auto *latest = p;
  auto *updates = B.CreateConstGEP1_32(lc.i8(), p, 8);
  B.CreateStore(B.CreateAdd(B.CreateLoad(lc.i64(), updates), B.getInt64(1)), updates);
  auto *prevLatest = B.CreateLoad(lc.i64(), latest);
  B.CreateStore(B.CreateSelect(B.CreateICmpUGT(epoch, prevLatest), epoch, prevLatest), latest);

  auto *offset = B.CreateAdd(B.getInt64(obj::kTseriesHeaderSize),
                             B.CreateMul(index, B.getInt64(obj::kTseriesBucketSize)));
  auto *value = B.CreateGEP(lc.i8(), p, offset);
  auto *bucketEpoch = B.CreateGEP(lc.i8(), value, B.getInt64(8));
  auto *aux = B.CreateGEP(lc.i8(), value, B.getInt64(16));
  auto *fresh = B.CreateICmpNE(B.CreateLoad(lc.i64(), bucketEpoch), epoch);
  auto *cur = B.CreateLoad(lc.i64(), value);
  auto *count = B.CreateLoad(lc.i64(), aux);
  llvm::Value *combined = v, *newAux = B.CreateAdd(count, B.getInt64(1));
  if (mi.tseriesAgg == "sum" || mi.tseriesAgg == "avg")
    combined = B.CreateAdd(cur, v);
  else if (mi.tseriesAgg == "min")
    combined = B.CreateSelect(B.CreateICmpSLT(v, cur), v, cur);
  else if (mi.tseriesAgg == "max")
    combined = B.CreateSelect(B.CreateICmpSGT(v, cur), v, cur);
  else
    newAux = now; // the last value: when it was written decides between CPUs
  B.CreateStore(B.CreateSelect(fresh, v, combined), value);
  B.CreateStore(B.CreateSelect(fresh, mi.tseriesAgg.empty() ? static_cast<llvm::Value *>(now) : B.getInt64(1), newAux), aux);
  B.CreateStore(epoch, bucketEpoch);
  B.CreateBr(done);
  B.SetInsertPoint(done);
}

} // namespace bt::lower
