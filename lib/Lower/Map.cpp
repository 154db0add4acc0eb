// Map keys, reads and writes of plain (non-aggregation) maps.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

namespace { constexpr uint64_t BPF_ANY = 0; }

llvm::Value *ProbeLowering::buildKey(const MapLayout &ml, const ast::MapRef *m,
                                     llvm::Value *bucket) {
  std::vector<const ast::Expr *> keys;
  for (const auto &k : m->keys)
    keys.push_back(k.get());
  return buildKey(ml, keys, bucket);
}

llvm::Value *ProbeLowering::buildKey(const MapLayout &ml, const std::vector<const ast::Expr *> &keys,
                                     llvm::Value *bucket) {
  auto *key = temp(ml.keySize, "key." + ml.info->name);
  if (ml.perCpuArray) {
    B.CreateStore(bucket ? B.CreateTrunc(bucket, B.getInt32Ty()) : B.getInt32(0), key);
    return key;
  }
  // A tuple as the only key (@m[$t]) gives the keys its elements (Sema typed it so);
  // a record is one key.
  std::optional<Value> tuple;
  TypeId first = keys.size() == 1 ? lc.sema.typeOf(keys[0]) : TypeId();
  if (keys.size() == 1 && isTuple(first) && !lc.type(first).isNamedTuple())
    tuple = expr(keys[0]);
  for (size_t i = 0; i < ml.keyFields.size(); ++i) {
    const KeyField &f = ml.keyFields[i];
    Value v;
    if (tuple) {
      const RecordField &elem = lc.type(tuple->type).fields[i];
      auto *from = B.CreateConstGEP1_32(lc.i8(), tuple->v, elem.offset);
      if (lc.type(elem.type).isArray()) { // the tuple holds its bytes
        B.CreateMemCpy(B.CreateConstGEP1_32(lc.i8(), key, f.offset), MaybeAlign(8), from,
                       MaybeAlign(8), f.size);
        continue;
      }
      v = {elem.type, inMemory(elem.type) ? from
                                          : static_cast<llvm::Value *>(B.CreateLoad(lc.i64(), from))};
    } else if (copiedAsRecord(f.type)) {
      // A struct's padding is key bytes too: zero, as the hash compares them.
      auto *at = B.CreateConstGEP1_32(lc.i8(), key, f.offset);
      B.CreateMemSet(at, B.getInt8(0), f.size, MaybeAlign(8));
      recordInto(keys[i], at);
      continue;
    } else if (lc.type(f.type).isArray()) { // its bytes, as upstream bpftrace keys by them
      arrayBytesInto(keys[i], B.CreateConstGEP1_32(lc.i8(), key, f.offset));
      continue;
    } else {
      v = expr(keys[i]);
    }
    auto *at = B.CreateConstGEP1_32(lc.i8(), key, f.offset);
    if (isTuple(f.type)) // a record's slots have padding: key bytes the hash compares
      B.CreateMemSet(at, B.getInt8(0), f.size, MaybeAlign(8));
    if (lc.type(f.type).isString())
      copyString(at, f.size, v);
    else
      storeValue(at, f.type, v);
  }
  if (bucket)
    B.CreateStore(bucket, B.CreateConstGEP1_32(lc.i8(), key, ml.bucketOffset));
  return key;
}

llvm::Value *ProbeLowering::lookup(const MapLayout &ml, llvm::Value *key) {
  return lc.callHelper(MapLookupElem, lc.ptr(), {ml.global, key});
}

Value ProbeLowering::mapRead(const ast::MapRef *m) {
  const MapLayout &ml = lc.mapLayout(m->name);
  if (ml.info->agg != AggKind::None)
    return aggregationRead(m);
  TypeId value = ml.info->value;
  const Type &vt = lc.type(value);
  auto *key = buildKey(ml, m);
  auto *p = lookup(ml, key);
  recordLookup(m, p);
  auto *found = BasicBlock::Create(lc.ctx, "map_found", fn);
  auto *missing = BasicBlock::Create(lc.ctx, "map_missing", fn);
  auto *done = BasicBlock::Create(lc.ctx, "map_read_end", fn);
  auto *isNull = B.CreateICmpEQ(p, ConstantPointerNull::get(lc.ptr()));
  if (kernelCopy(value)) {
    // A copy of the kernel's bytes is read where it lies, as kernel memory at the running
    // kernel's offsets (CoreAccess.cpp); a missing key, the null address, reads as zeros.
    // Through an empty asm: the verifier takes no offset added to a pointer that may be
    // null, and LLVM would fold the null check away.
    B.CreateCondBr(isNull, missing, found);
    B.SetInsertPoint(found);
    llvm::Value *at = B.CreateIntToPtr(opaque(B.CreatePtrToInt(p, lc.i64())), lc.ptr());
    B.CreateBr(done);
    B.SetInsertPoint(missing);
    B.CreateBr(done);
    B.SetInsertPoint(done);
    auto *phi = B.CreatePHI(lc.ptr(), 2);
    phi->addIncoming(at, found);
    phi->addIncoming(ConstantPointerNull::get(lc.ptr()), missing);
    return {value, phi};
  }
  if (inMemory(value) || vt.isArray()) {
    // A missing key reads as the empty string (a tuple of zeros and empty strings, an
    // array of zeros).
    auto *buf = temp(vt.size, "val." + m->name);
    B.CreateCondBr(isNull, done, found);
    B.SetInsertPoint(found);
    B.CreateMemCpy(buf, MaybeAlign(8), p, MaybeAlign(8), vt.size);
    B.CreateBr(done);
    missing->eraseFromParent();
    B.SetInsertPoint(done);
    return {value, buf};
  }
  B.CreateCondBr(isNull, missing, found);
  B.SetInsertPoint(found);
  auto *loaded = B.CreateLoad(lc.i64(), p);
  B.CreateBr(done);
  B.SetInsertPoint(missing);
  B.CreateBr(done);
  B.SetInsertPoint(done);
  auto *phi = B.CreatePHI(lc.i64(), 2);
  phi->addIncoming(loaded, found);
  phi->addIncoming(B.getInt64(0), missing);
  return {vt.isNone() ? lc.types().integer(8, true) : value, phi};
}

void ProbeLowering::mapWrite(const MapLayout &ml, llvm::Value *key, const Value &v) {
  mapWritten(ml.info->name);
  auto *val = temp(ml.valueSize, "val." + ml.info->name);
  storeValue(val, ml.info->value, v);
  updateMap(ml, key, val);
}

// A failed update of a keyed map (a full map: -E2BIG) is counted in its .bss drop
// counter, which btrun reports at exit; with -k it is also a helper error.
void ProbeLowering::updateMap(const MapLayout &ml, llvm::Value *key, llvm::Value *val,
                              int64_t ignored) {
  auto *rc = lc.callHelper(MapUpdateElem, lc.i64(), {ml.global, key, val, B.getInt64(BPF_ANY)});
  checkHelperError(rc, "map_update_elem", ignored);
  if (ml.dropsField < 0)
    return;
  auto *failed = helperFailed(rc, ignored);
  auto *drop = BasicBlock::Create(lc.ctx, "map_update_dropped", fn);
  auto *done = BasicBlock::Create(lc.ctx, "map_update_end", fn);
  B.CreateCondBr(failed, drop, done);
  B.SetInsertPoint(drop);
  B.CreateAtomicRMW(AtomicRMWInst::Add, lc.globalField(ml.dropsField), B.getInt64(1),
                    MaybeAlign(8), AtomicOrdering::Monotonic);
  B.CreateBr(done);
  B.SetInsertPoint(done);
}

} // namespace bt::lower
