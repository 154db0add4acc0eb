// Struct and union values the program holds: a variable's, a map's (`$s = *p`,
// `@m[k] = curtask->se.load`). The copy is laid out at the compile-time offsets
// (copyRecord reads each kernel member through its own CO-RE relocation into its
// compile-time place), so what is read back out of it (`$s.a`, `@m[k].arr[1]`) is
// read at those offsets with plain loads: no relocation, no helper.
#include "ProbeLowering.h"

#include <set>

namespace bt::lower {

using namespace llvm;

bool ProbeLowering::heldRecord(const ast::Expr *e) const {
  if (ast::as<ast::VariableRef>(e) || ast::as<ast::MapRef>(e) || lc.sema.heldReads.count(e))
    return true;
  // A struct passed by value to a BTF-typed probe or a uprobe, copied out of its
  // context slots or its argument words.
  if (lc.sema.contextSlots.count(e) || lc.sema.uprobeArgs.count(e))
    return true;
  // A tuple's element (a for loop's value of a map of structs) is in the tuple's bytes.
  auto *f = ast::as<ast::FieldExpr>(e);
  return f && isTuple(lc.sema.typeOf(f->base.get()));
}

void ProbeLowering::recordInto(const ast::Expr *e, llvm::Value *dst) {
  TypeId t = lc.sema.typeOf(e);
  Value v = expr(e);
  if (heldRecord(e))
    copyBytes(dst, v.v, heldAlignment(e), lc.type(t).size);
  else
    copyMember(dst, t, v.v, userMemory(e));
}

// The alignment of where e's bytes sit in the copy, which starts 8-aligned (a
// variable's slot, a map value's copy): a packed struct's member may sit anywhere.
Align ProbeLowering::heldAlignment(const ast::Expr *e) const {
  if (auto *f = ast::as<ast::FieldExpr>(e)) {
    const Type &base = lc.type(lc.sema.typeOf(f->base.get()));
    if (base.isRecord() && base.origin == RecordOrigin::Tuple)
      return commonAlignment(Align(8), base.fields[base.isNamedTuple()
                                                       ? *tupleFieldIndex(base, f->field, 0)
                                                       : std::stoul(f->field)]
                                           .offset);
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
  if (m.bitfieldSize)
    return heldBitfield(m, base);
  return heldRead(f, B.CreateConstGEP1_32(lc.i8(), base, m.bitOffset / 8));
}

// A bitfield sits at its compile-time bits in the copy, in the bytes that hold it
// (MemberCopies keeps them to 8), read and written a byte at a time: those bytes may
// sit anywhere, and bitfields share them.
namespace {

struct BitfieldBytes {
  unsigned first, shift, count;
};

BitfieldBytes bytesOf(const MemberAccess &m) {
  unsigned shift = m.bitOffset % 8;
  return {m.bitOffset / 8, shift, (shift + m.bitfieldSize + 7) / 8};
}

} // namespace

// Zero the bytes that hold the record's bitfields, so that each can be or-ed in.
void ProbeLowering::clearBitfieldBytes(llvm::Value *dst, const std::vector<MemberAccess> &members) {
  std::set<unsigned> bytes;
  for (const MemberAccess &m : members)
    if (m.bitfieldSize) {
      BitfieldBytes b = bytesOf(m);
      for (unsigned i = 0; i < b.count; ++i)
        bytes.insert(b.first + i);
    }
  for (unsigned byte : bytes)
    B.CreateStore(B.getInt8(0), B.CreateConstGEP1_32(lc.i8(), dst, byte));
}

void ProbeLowering::storeBitfield(llvm::Value *dst, const MemberAccess &m, llvm::Value *v) {
  BitfieldBytes b = bytesOf(m);
  uint64_t mask = m.bitfieldSize == 64 ? ~0ULL : (1ULL << m.bitfieldSize) - 1;
  llvm::Value *bits = B.CreateShl(B.CreateAnd(v, B.getInt64(mask)), b.shift);
  for (unsigned i = 0; i < b.count; ++i) {
    llvm::Value *at = B.CreateConstGEP1_32(lc.i8(), dst, b.first + i);
    llvm::Value *part = B.CreateTrunc(B.CreateLShr(bits, 8 * i), lc.i8());
    B.CreateStore(B.CreateOr(B.CreateLoad(lc.i8(), at), part), at);
  }
}

Value ProbeLowering::heldBitfield(const MemberAccess &m, llvm::Value *record) {
  BitfieldBytes b = bytesOf(m);
  llvm::Value *v = B.getInt64(0);
  for (unsigned i = 0; i < b.count; ++i) {
    llvm::Value *byte = B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), record, b.first + i));
    v = B.CreateOr(v, B.CreateShl(B.CreateZExt(byte, lc.i64()), 8 * i));
  }
  v = B.CreateShl(v, 64 - b.shift - m.bitfieldSize);
  v = lc.type(m.type).isSigned ? B.CreateAShr(v, 64 - m.bitfieldSize)
                               : B.CreateLShr(v, 64 - m.bitfieldSize);
  return {m.type, v};
}

Value ProbeLowering::heldElement(const ast::IndexExpr *i) {
  TypeId t = lc.sema.typeOf(i);
  uint64_t size = lc.type(t).size;
  llvm::Value *base = expr(i->base.get()).v;
  if (auto *c = ast::as<ast::IntegerLit>(i->index.get()))
    return heldRead(i, B.CreateConstGEP1_64(lc.i8(), base, c->value * size));
  return boundedElement(t, base, lc.type(lc.sema.typeOf(i->base.get())).count,
                        expr(i->index.get()).v);
}

// An index known only at run time into a copy on the stack or in a map value: the
// element is read with the helper, as from kernel memory, into a copy of its own (which
// `.x` reads with plain loads), and only below the array's count: the verifier refuses
// such an address plus an unbounded index, and past the end lie other bytes. Past it the
// element reads as zero, as upstream bpftrace's (0.24+, which also warns at run time).
// An array in kernel or process memory is read the same way (CoreAccess.cpp's element).
Value ProbeLowering::boundedElement(TypeId t, llvm::Value *base, unsigned count,
                                    llvm::Value *index, bool user) {
  const Type &type = lc.type(t);
  llvm::Value *copy = temp(std::max(type.size, 8u), "elem");
  llvm::Function *fn = B.GetInsertBlock()->getParent();
  auto *inBounds = BasicBlock::Create(lc.ctx, "elem_in_bounds", fn);
  auto *done = BasicBlock::Create(lc.ctx, "elem_end", fn);
  llvm::Value *below = B.CreateICmpULT(index, B.getInt64(count));
  B.CreateCondBr(below, inBounds, done);
  B.SetInsertPoint(inBounds);
  // Through an empty asm: LLVM would compute the offset above the check, from the
  // unchecked index, which the verifier then sees unbounded.
  llvm::Value *checked = opaque(index);
  llvm::Value *offset = B.CreateMul(checked, B.getInt64(type.size));
  llvm::Value *at = B.CreateGEP(lc.i8(), base, offset);
  lc.callHelper(user ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                {copy, B.getInt32(type.size), at});
  B.CreateBr(done);
  B.SetInsertPoint(done);
  if (type.isRecord() || type.isArray() || type.isString())
    return {t, copy};
  llvm::Value *raw = B.CreateLoad(B.getIntNTy(type.size * 8), copy, "elem");
  if (type.size == 8)
    return {t, raw};
  return {t, type.isSigned ? B.CreateSExt(raw, lc.i64()) : B.CreateZExt(raw, lc.i64())};
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
