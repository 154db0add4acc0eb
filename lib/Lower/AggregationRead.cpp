// Reading an aggregation's value in a probe (upstream bpftrace's synchronous read:
// `$x = @c`, `if (@s[comm] > 10)`): the key's per-CPU slots, combined as btrun combines
// them to print the map. count() and sum() add up; avg() divides the added totals by
// the added counts; min() and max() take the least or greatest slot of the CPUs that
// have a value. A missing key reads as 0.
//
// A bpf_loop callback visits CPU after CPU with bpf_map_lookup_percpu_elem until it
// returns NULL (past the last possible CPU, or at once for an absent key), so the
// verifier checks one iteration whatever the host's number of CPUs.
#include "Callback.h"
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

namespace {
// The callback's context, on the caller's stack whatever on_stack_limit says (bpf_loop
// takes its context only there): the combined value, the combined count (avg) or "a CPU
// had a value" (min, max), then the key's address. The key itself may be in bt_scratch:
// a copy of it made the context as big, and past on_stack_limit the context went there
// too, where the verifier refused it (R3 type=map_value expected=fp).
constexpr unsigned kCombined = 0, kSecond = 8, kKeyAddress = 16, kStateBytes = 24;
// bpf_loop's bound: more CPUs than a kernel has (NR_CPUS is at most 8192).
constexpr uint64_t kCpuBound = 1 << 16;
} // namespace

Value ProbeLowering::aggregationRead(const ast::MapRef *m) {
  const MapLayout &ml = lc.mapLayout(m->name);
  return {lc.sema.typeOf(m), aggregationValueAt(ml, buildKey(ml, m), m->range)};
}

llvm::Value *ProbeLowering::aggregationValueAt(const MapLayout &ml, llvm::Value *key,
                                               SourceRange at) {
  const std::string &name = ml.info->name;
  auto *state = stackTemp(kStateBytes, "aggread." + name);
  B.CreateStore(key, B.CreateConstGEP1_32(lc.i8(), state, kKeyAddress));
  Function *reader = aggregationReader(ml, at);
  lc.callHelper(BpfLoop, lc.i64(), {B.getInt64(kCpuBound), reader, state, B.getInt64(0)});
  llvm::Value *v = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), state, kCombined),
                                name + ".value");
  if (ml.info->agg == AggKind::Avg) {
    auto *count = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), state, kSecond));
    auto *none = B.CreateICmpEQ(count, B.getInt64(0));
    // Divide by 1 where nothing was counted: the total is 0 there too. The BPF target
    // before v4 has no signed division: divide the magnitude, as btrun does in C++.
    auto *divisor = B.CreateSelect(none, B.getInt64(1), count);
    auto *negative = B.CreateICmpSLT(v, B.getInt64(0));
    auto *magnitude = B.CreateSelect(negative, B.CreateNeg(v), v);
    auto *quotient = B.CreateUDiv(magnitude, divisor);
    v = B.CreateSelect(negative, B.CreateNeg(quotient), quotient, name + ".avg");
  }
  return v;
}

// long reader(u64 cpu, void *state): 1 (stop) when the CPU has no slot, else 0.
Function *ProbeLowering::aggregationReader(const MapLayout &ml, SourceRange at) {
  std::string name = fnName + "_aggread" + std::to_string(aggregationReads++);
  auto *reader = createCallback(lc, name, {{"cpu", false}, {"state", true}}, at);
  unsigned line = at.begin.line;
  DISubprogram *readerSp = reader->getSubprogram();

  IRBuilderBase::InsertPointGuard outer(B);
  auto *body = BasicBlock::Create(lc.ctx, "entry", reader);
  auto *found = BasicBlock::Create(lc.ctx, "cpu_found", reader);
  auto *stop = BasicBlock::Create(lc.ctx, "cpu_none", reader);
  B.SetInsertPoint(body);
  B.SetCurrentDebugLocation(DILocation::get(lc.ctx, line, at.begin.col, readerSp));
  llvm::Value *state = reader->getArg(1);
  auto *cpu = B.CreateTrunc(reader->getArg(0), B.getInt32Ty());
  auto *keyAt = B.CreateConstGEP1_32(lc.i8(), state, kKeyAddress);
  auto *key = B.CreateLoad(lc.ptr(), keyAt, "key");
  auto *p = lc.callHelper(MapLookupPercpuElem, lc.ptr(), {ml.global, key, cpu});
  B.CreateCondBr(B.CreateICmpEQ(p, ConstantPointerNull::get(lc.ptr())), stop, found);
  B.SetInsertPoint(stop);
  B.CreateRet(B.getInt64(1));

  B.SetInsertPoint(found);
  auto *combinedAt = B.CreateConstGEP1_32(lc.i8(), state, kCombined);
  auto *secondAt = B.CreateConstGEP1_32(lc.i8(), state, kSecond);
  auto *slot = B.CreateLoad(lc.i64(), p, "slot");
  auto *combined = B.CreateLoad(lc.i64(), combinedAt);
  auto slotSecond = [&] { return B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), p, 8)); };
  switch (ml.info->agg) {
  case AggKind::Count: case AggKind::Sum:
    B.CreateStore(B.CreateAdd(combined, slot), combinedAt);
    break;
  case AggKind::Avg: {
    B.CreateStore(B.CreateAdd(combined, slot), combinedAt);
    llvm::Value *second = B.CreateLoad(lc.i64(), secondAt);
    B.CreateStore(B.CreateAdd(second, slotSecond()), secondAt);
    break;
  }
  case AggKind::Min: case AggKind::Max: {
    auto *slotSet = B.CreateICmpNE(slotSecond(), B.getInt64(0));
    auto *anySet = B.CreateICmpNE(B.CreateLoad(lc.i64(), secondAt), B.getInt64(0));
    auto *better = ml.info->agg == AggKind::Min ? B.CreateICmpSLT(slot, combined)
                                                : B.CreateICmpSGT(slot, combined);
    auto *take = B.CreateAnd(slotSet, B.CreateOr(B.CreateNot(anySet), better));
    B.CreateStore(B.CreateSelect(take, slot, combined), combinedAt);
    B.CreateStore(B.CreateZExt(B.CreateOr(anySet, slotSet), lc.i64()), secondAt);
    break;
  }
  default:
    llvm_unreachable("Sema reads count, sum, avg, min and max only");
  }
  B.CreateRet(B.getInt64(0));
  lc.DI->finalizeSubprogram(readerSp);
  return reader;
}

} // namespace bt::lower
