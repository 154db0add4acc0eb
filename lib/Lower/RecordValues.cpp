// Struct and union values the program holds: a variable's, a map's (`$s = *p`,
// `@m[k] = curtask->se.load`). The copy is laid out at the compile-time offsets
// (copyRecord reads each kernel member through its own CO-RE relocation into its
// compile-time place), so what is read back out of it (`$s.a`, `@m[k].arr[1]`) is
// read at those offsets with plain loads: no relocation, no helper.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

bool ProbeLowering::heldRecord(const ast::Expr *e) const {
  if (ast::as<ast::VariableRef>(e) || ast::as<ast::MapRef>(e) || lc.sema.heldReads.count(e))
    return true;
  // A tuple's element (a for loop's value of a map of structs) is in the tuple's bytes.
  auto *f = ast::as<ast::FieldExpr>(e);
  return f && isTuple(lc.sema.typeOf(f->base.get()));
}

void ProbeLowering::recordInto(const ast::Expr *e, llvm::Value *dst) {
  TypeId t = lc.sema.typeOf(e);
  Value v = expr(e);
  if (heldRecord(e))
    B.CreateMemCpy(dst, MaybeAlign(1), v.v, MaybeAlign(1), lc.type(t).size);
  else
    copyRecord(dst, t, v.v, userMemory(e));
}

// The alignment of where e's bytes sit in the copy, which starts 8-aligned (a
// variable's slot, a map value's copy): a packed struct's member may sit anywhere.
Align ProbeLowering::heldAlignment(const ast::Expr *e) const {
  if (auto *f = ast::as<ast::FieldExpr>(e)) {
    const Type &base = lc.type(lc.sema.typeOf(f->base.get()));
    if (base.isRecord() && base.origin == RecordOrigin::Tuple)
      return commonAlignment(Align(8), base.fields[std::stoul(f->field)].offset);
    if (lc.sema.heldReads.count(f))
      return commonAlignment(heldAlignment(f->base.get()),
                             lc.sema.members.at(f).bitOffset / 8);
  }
  if (auto *i = ast::as<ast::IndexExpr>(e)) {
    auto *c = ast::as<ast::IntegerLit>(i->index.get());
    uint64_t size = lc.type(lc.sema.typeOf(i)).size;
    return commonAlignment(heldAlignment(i->base.get()), c ? c->value * size : 1);
  }
  return Align(8);
}

// A struct, union or array is its address in the copy; a string its bytes there.
Value ProbeLowering::heldMember(const ast::FieldExpr *f) {
  const MemberAccess &m = lc.sema.members.at(f);
  llvm::Value *base = expr(f->base.get()).v;
  return heldRead(f, B.CreateConstGEP1_32(lc.i8(), base, m.bitOffset / 8));
}

Value ProbeLowering::heldElement(const ast::IndexExpr *i) {
  TypeId t = lc.sema.typeOf(i);
  uint64_t size = lc.type(t).size;
  llvm::Value *base = expr(i->base.get()).v;
  if (auto *c = ast::as<ast::IntegerLit>(i->index.get()))
    return heldRead(i, B.CreateConstGEP1_64(lc.i8(), base, c->value * size));
  // An index known only at run time: the verifier cannot bound a stack read by it, so
  // the element is read with the helper, as from kernel memory.
  Value index = expr(i->index.get());
  return readKernel(t, B.CreateGEP(lc.i8(), base, B.CreateMul(index.v, B.getInt64(size))),
                    "elem", false);
}

Value ProbeLowering::heldRead(const ast::Expr *e, llvm::Value *at) {
  TypeId t = lc.sema.typeOf(e);
  const Type &type = lc.type(t);
  if (type.isRecord() || type.isArray() || type.isString())
    return {t, at};
  Align align = std::min(heldAlignment(e), Align(type.size));
  auto *f = ast::as<ast::FieldExpr>(e);
  llvm::Value *raw =
      B.CreateAlignedLoad(B.getIntNTy(type.size * 8), at, align, f ? f->field : "elem");
  if (type.size == 8)
    return {t, raw};
  return {t, type.isSigned ? B.CreateSExt(raw, lc.i64()) : B.CreateZExt(raw, lc.i64())};
}

} // namespace bt::lower
