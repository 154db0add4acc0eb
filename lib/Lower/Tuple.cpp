// Tuples as values. A tuple is a pointer to its bytes, laid out by layoutOf (each
// element in an 8-byte slot), as a string is a pointer to its buffer. Two tuple types
// of one variable or map value differ only in their strings' sizes (Sema widens them)
// and, for records, in their fields' order, so a copy between them goes element by
// element, a record's by name.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

bool ProbeLowering::isTuple(TypeId t) const {
  const Type &ty = lc.type(t);
  return ty.isRecord() && ty.origin == RecordOrigin::Tuple;
}

Value ProbeLowering::tupleExpr(const ast::TupleExpr *t) {
  TypeId type = lc.sema.typeOf(t);
  auto *buf = temp(lc.type(type).size, "tuple");
  tupleInto(t, buf, type);
  return {type, buf};
}

// Each element straight into its slot of DST, whose type may have wider strings.
void ProbeLowering::tupleInto(const ast::TupleExpr *t, llvm::Value *dst, TypeId dstType) {
  const Type &d = lc.type(dstType);
  for (size_t i = 0; i < t->elems.size(); ++i) {
    const ast::Expr *e = t->elems[i].get();
    const RecordField &f = d.fields[*tupleFieldIndex(d, t->names.empty() ? "" : t->names[i], i)];
    auto *at = B.CreateConstGEP1_32(lc.i8(), dst, f.offset);
    if (auto *inner = ast::as<ast::TupleExpr>(e))
      tupleInto(inner, at, f.type);
    else if (kernelCopy(f.type)) // the last element (Sema's kernelTupleElement)
      kernelCopyInto(e, at, f.type);
    else if (copiedAsRecord(f.type))
      recordInto(e, at);
    else if (lc.type(f.type).isString())
      stringInto(e, at, lc.type(f.type).size);
    else if (lc.type(f.type).isArray() && tracepointArray(e))
      arrayInto(expr(e).v, at, f.type);
    else if (lc.type(f.type).isArray()) // kernel or user memory, or a held copy
      arrayBytesInto(e, at);
    else
      storeValue(at, f.type, expr(e));
  }
}

// `args.name` of a tracepoint: an array field is its place in the probe's context.
bool ProbeLowering::tracepointArray(const ast::Expr *e) const {
  auto *f = ast::as<ast::FieldExpr>(e);
  return f && ast::as<ast::BuiltinRef>(f->base.get()) && probe.type == ProbeType::Tracepoint &&
         !lc.sema.members.count(f) && !lc.sema.contextSlots.count(f) &&
         !lc.sema.uprobeArgs.count(f);
}

// A tracepoint's array field (in `args` whole), element by element: the verifier takes
// only loads of the context at constant offsets, which a memcpy's byte loads through a
// moved pointer are not.
void ProbeLowering::arrayInto(llvm::Value *from, llvm::Value *dst, TypeId array) {
  const Type &a = lc.type(array);
  unsigned size = lc.type(a.element).size;
  auto *elementType = B.getIntNTy(size * 8);
  for (unsigned i = 0; i < a.count; ++i) {
    llvm::Value *element = B.CreateLoad(elementType, B.CreateConstGEP1_32(lc.i8(), from, i * size));
    B.CreateStore(element, B.CreateConstGEP1_32(lc.i8(), dst, i * size));
  }
}

void ProbeLowering::storeValue(llvm::Value *dst, TypeId dstType, const Value &v) {
  const Type &d = lc.type(dstType);
  if (d.isString()) {
    copyString(dst, d.size, v);
    return;
  }
  if (!inMemory(dstType)) {
    B.CreateStore(v.v, dst);
    return;
  }
  if (dst == v.v)
    return;
  if (v.type == dstType) {
    B.CreateMemCpy(dst, MaybeAlign(8), v.v, MaybeAlign(8), d.size);
    return;
  }
  const Type &s = lc.type(v.type);
  if (d.isBuffer()) {
    // A smaller buffer into a larger one: its length and bytes, then zeros, so that a
    // map key of it is the same bytes however it was made.
    B.CreateMemCpy(dst, MaybeAlign(8), v.v, MaybeAlign(8), s.size);
    B.CreateMemSet(B.CreateConstGEP1_32(lc.i8(), dst, s.size), B.getInt8(0), d.size - s.size,
                   MaybeAlign(1));
    return;
  }
  for (size_t i = 0; i < s.fields.size(); ++i) {
    const RecordField &sf = s.fields[i], &df = d.fields[*tupleFieldIndex(d, sf.name, i)];
    auto *from = B.CreateConstGEP1_32(lc.i8(), v.v, sf.offset);
    Value elem{sf.type, inMemory(sf.type)
                            ? from
                            : static_cast<llvm::Value *>(B.CreateLoad(lc.i64(), from))};
    storeValue(B.CreateConstGEP1_32(lc.i8(), dst, df.offset), df.type, elem);
  }
}

Value ProbeLowering::tupleField(const ast::FieldExpr *f) {
  Value base = expr(f->base.get());
  const Type &t = lc.type(base.type);
  const RecordField &field =
      t.fields[t.isNamedTuple() ? *tupleFieldIndex(t, f->field, 0) : std::stoul(f->field)];
  auto *at = B.CreateConstGEP1_32(lc.i8(), base.v, field.offset);
  if (kernelCopy(base.type))
    return kernelTupleField(field, at);
  // An array (a tracepoint's, in `args` whole) is its place, as the field's value is.
  if (inMemory(field.type) || lc.type(field.type).isArray())
    return {field.type, at};
  return {field.type, B.CreateLoad(lc.i64(), at, "elem" + f->field)};
}

Value ProbeLowering::tupleElement(const ast::IndexExpr *i, size_t index) {
  Value base = expr(i->base.get());
  const RecordField &field = lc.type(base.type).fields[index];
  auto *at = B.CreateConstGEP1_32(lc.i8(), base.v, field.offset);
  if (kernelCopy(base.type))
    return kernelTupleField(field, at);
  if (inMemory(field.type))
    return {field.type, at};
  return {field.type, B.CreateLoad(lc.i64(), at, "elem" + std::to_string(index))};
}

// An element of a tuple holding the running kernel's bytes (Sema's kernelTuple): a map's
// value may be missing, its address null, so the element is read as kernel memory is
// (zeros then); the struct is its place, read at the relocated offsets.
Value ProbeLowering::kernelTupleField(const RecordField &field, llvm::Value *at) {
  if (kernelCopy(field.type))
    return {field.type, at};
  unsigned size = inMemory(field.type) ? lc.type(field.type).size : 8;
  auto *buf = temp(size, "elem");
  lc.callHelper(ProbeReadKernel, lc.i64(), {buf, B.getInt32(size), at});
  if (inMemory(field.type))
    return {field.type, buf};
  return {field.type, B.CreateLoad(lc.i64(), buf)};
}

} // namespace bt::lower
