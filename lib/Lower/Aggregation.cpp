// count, sum, min, max, avg, stats, hist and lhist on per-CPU maps.
//
// Each CPU owns its slot of a key's value, so updates need no atomics. With a
// hash (keyed maps), the first update of a new key is a lookup miss followed
// by an update with BPF_ANY: if another CPU inserted the key in between,
// BPF_ANY on a per-CPU map writes only this CPU's slot, so no count is lost and
// nothing fails (an update with BPF_NOEXIST would return -EEXIST there). A
// keyless map is a per-CPU array whose every element exists: no insert.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

// bpftrace's log2 buckets: 0 for negatives, 1 for 0, 2 + floor(log2 v) above. With
// upstream's hist(v, k) each power of two splits into 2^k buckets: v + 1 below 2^k, else
// ((floor(log2 v) - k + 1) << k) + (the k bits after v's leading 1) + 1.
llvm::Value *ProbeLowering::log2Bucket(llvm::Value *v, unsigned k) {
  llvm::Value *x = v, *r = B.getInt64(0);
  for (unsigned shift : {32u, 16u, 8u, 4u, 2u, 1u}) {
    auto *big = B.CreateICmpUGE(x, B.getInt64(uint64_t(1) << shift));
    x = B.CreateSelect(big, B.CreateLShr(x, shift), x);
    r = B.CreateSelect(big, B.CreateAdd(r, B.getInt64(shift)), r);
  }
  llvm::Value *positive;
  if (k == 0) {
    llvm::Value *zero = B.CreateICmpEQ(v, B.getInt64(0));
    llvm::Value *bucket = B.CreateAdd(r, B.getInt64(2));
    positive = B.CreateSelect(zero, B.getInt64(1), bucket);
  } else {
    const uint64_t mask = (uint64_t(1) << k) - 1;
    auto *low = B.CreateSub(r, B.getInt64(k)); // >= 0 where v > mask, the arm it serves
    auto *bits = B.CreateAnd(B.CreateLShr(v, low), B.getInt64(mask));
    auto *fine = B.CreateAdd(B.CreateAdd(B.CreateShl(B.CreateAdd(low, B.getInt64(1)), k), bits),
                             B.getInt64(1));
    llvm::Value *small = B.CreateICmpULE(v, B.getInt64(mask));
    llvm::Value *exact = B.CreateAdd(v, B.getInt64(1));
    positive = B.CreateSelect(small, exact, fine);
  }
  return B.CreateSelect(B.CreateICmpSLT(v, B.getInt64(0)), B.getInt64(0), positive);
}

llvm::Value *ProbeLowering::linearBucket(llvm::Value *v, int64_t min, int64_t max, int64_t step) {
  auto *below = B.CreateICmpSLT(v, B.getInt64(min));
  auto *above = B.CreateICmpSGE(v, B.getInt64(max));
  auto *inRange = B.CreateAdd(B.CreateUDiv(B.CreateSub(v, B.getInt64(min)), B.getInt64(step)),
                              B.getInt64(1));
  auto *last = B.getInt64(1 + (max - min) / step);
  return B.CreateSelect(below, B.getInt64(0), B.CreateSelect(above, last, inRange));
}

void ProbeLowering::aggregate(const ast::MapRef *m, const ast::CallExpr *call) {
  const MapLayout &ml = lc.mapLayout(m->name);
  mapWritten(m->name);
  AggKind agg = ml.info->agg;
  if (agg == AggKind::Tseries) {
    tseriesAggregate(m, call);
    return;
  }
  llvm::Value *v = call->args.empty() ? B.getInt64(1) : expr(call->args[0].get()).v;
  llvm::Value *bucket = nullptr;
  if (agg == AggKind::Hist)
    bucket = log2Bucket(v, unsigned(std::max(ml.info->histBits, 0)));
  else if (agg == AggKind::Lhist)
    bucket = linearBucket(v, ml.info->lhistMin, ml.info->lhistMax, ml.info->lhistStep);
  auto *key = buildKey(ml, m, bucket);
  auto *p = lookup(ml, key);
  auto *found = BasicBlock::Create(lc.ctx, "agg_found", fn);
  auto *fresh = BasicBlock::Create(lc.ctx, "agg_new", fn);
  auto *done = BasicBlock::Create(lc.ctx, "agg_end", fn);
  // An array lookup fails only out of bounds, which no bucket reaches.
  B.CreateCondBr(B.CreateICmpEQ(p, ConstantPointerNull::get(lc.ptr())),
                 ml.perCpuArray ? done : fresh, found);

  // Existing key: update this CPU's slot in place.
  B.SetInsertPoint(found);
  auto *second = B.CreateConstGEP1_32(lc.i8(), p, 8);
  if (agg == AggKind::Sum && ml.perCpuArray) // {sum, count}: see useKeylessArray
    B.CreateStore(B.CreateAdd(B.CreateLoad(lc.i64(), second), B.getInt64(1)), second);
  switch (agg) {
  case AggKind::Count: case AggKind::Sum: case AggKind::Hist: case AggKind::Lhist: {
    llvm::Value *inc = agg == AggKind::Sum ? v : B.getInt64(1);
    B.CreateStore(B.CreateAdd(B.CreateLoad(lc.i64(), p), inc), p);
    break;
  }
  case AggKind::Min: case AggKind::Max: {
    auto *cur = B.CreateLoad(lc.i64(), p);
    auto *isSet = B.CreateICmpNE(B.CreateLoad(lc.i64(), second), B.getInt64(0));
    auto *better = agg == AggKind::Min ? B.CreateICmpSLT(v, cur) : B.CreateICmpSGT(v, cur);
    auto *take = B.CreateOr(B.CreateNot(isSet), better);
    B.CreateStore(B.CreateSelect(take, v, cur), p);
    B.CreateStore(B.getInt64(1), second);
    break;
  }
  case AggKind::Avg: case AggKind::Stats:
    B.CreateStore(B.CreateAdd(B.CreateLoad(lc.i64(), p), v), p);
    B.CreateStore(B.CreateAdd(B.CreateLoad(lc.i64(), second), B.getInt64(1)), second);
    break;
  case AggKind::None: case AggKind::Tseries:
    llvm_unreachable("not an aggregation of this kind");
  }
  B.CreateBr(done);

  if (ml.perCpuArray) {
    fresh->eraseFromParent();
    B.SetInsertPoint(done);
    return;
  }
  // New key: write this CPU's first value.
  B.SetInsertPoint(fresh);
  auto *val = temp(ml.valueSize, "val." + m->name);
  switch (agg) {
  case AggKind::Count: case AggKind::Hist: case AggKind::Lhist:
    B.CreateStore(B.getInt64(1), val);
    break;
  case AggKind::Sum:
    B.CreateStore(v, val);
    break;
  default: // min, max, avg, stats: {value or total, isset or count = 1}
    B.CreateStore(v, val);
    B.CreateStore(B.getInt64(1), B.CreateConstGEP1_32(lc.i8(), val, 8));
    break;
  }
  // BPF_ANY cannot fail with EEXIST; should a kernel ever return it, it is the
  // benign insert race, never a warning.
  constexpr int64_t EEXIST_ = -17;
  updateMap(ml, key, val, EEXIST_);
  B.CreateBr(done);
  B.SetInsertPoint(done);
}

} // namespace bt::lower
