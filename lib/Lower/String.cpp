// Strings are fixed-size, zero-padded byte buffers on the stack.
#include "ProbeLowering.h"

#include "llvm/Analysis/ValueTracking.h"

namespace bt::lower {

using namespace llvm;

// LLVM 19's lifetime intrinsics take a size; later versions do not. Keep their
// creation here.
void ProbeLowering::lifetimeStart(llvm::Value *p, unsigned size) {
  B.CreateLifetimeStart(p, B.getInt64(size));
}
void ProbeLowering::lifetimeEnd(llvm::Value *p, unsigned size) {
  B.CreateLifetimeEnd(p, B.getInt64(size));
}

void ProbeLowering::zero(llvm::Value *p, unsigned size) {
  B.CreateMemSet(p, B.getInt8(0), size, MaybeAlign(8));
}

Value ProbeLowering::stringLiteral(const std::string &s, unsigned size) {
  auto *buf = temp(size, "str.lit");
  // Pack the bytes into 8-byte stores: fewer instructions than a byte loop.
  for (unsigned off = 0; off < size && off < s.size(); off += 8) {
    uint64_t word = 0;
    for (unsigned i = 0; i < 8 && off + i < s.size() && off + i < size - 1; ++i)
      word |= uint64_t((unsigned char)s[off + i]) << (8 * i);
    if (off + 8 <= size)
      B.CreateStore(B.getInt64(word), B.CreateConstGEP1_32(lc.i8(), buf, off));
    else
      for (unsigned i = 0; off + i < size; ++i)
        B.CreateStore(B.getInt8((word >> (8 * i)) & 0xff),
                      B.CreateConstGEP1_32(lc.i8(), buf, off + i));
  }
  return {lc.types().string(size), buf};
}

void ProbeLowering::copyString(llvm::Value *dst, unsigned dstSize, const Value &src) {
  unsigned srcSize = lc.type(src.type).size;
  unsigned n = std::min(dstSize, srcSize);
  if (dst == src.v)
    return;
  B.CreateMemCpy(dst, MaybeAlign(1), src.v, MaybeAlign(1), n);
  if (n < dstSize)
    B.CreateMemSet(B.CreateConstGEP1_32(lc.i8(), dst, n), B.getInt8(0), dstSize - n,
                   MaybeAlign(1));
  else if (srcSize > dstSize)
    // Truncated: keep the result NUL-terminated.
    B.CreateStore(B.getInt8(0), B.CreateConstGEP1_32(lc.i8(), dst, dstSize - 1));
}

void ProbeLowering::stringInto(const ast::Expr *e, llvm::Value *dst, unsigned size) {
  if (auto *c = ast::as<ast::CallExpr>(e); c && lc.sema.functionOf(c) == FunctionId::Str) {
    strCallInto(c, dst, size);
    return;
  }
  copyString(dst, size, expr(e));
}

// Byte-wise comparison up to the first NUL, unrolled so that old verifiers
// accept it (StringLoops.cpp's loop over longer strings). Bytes past a buffer's end
// read as NUL, so the byte after the shorter buffer's end decides: no byte past it
// is compared. A stack buffer's bytes are read where each is compared, through an opaque
// address: otherwise LLVM split a variable's buffer into a value per byte, all loaded at
// once, and one compare of two held 64-byte strings spilled past the 512-byte stack.
// (Only the stack's: the verifier reads the context only at offsets from its own
// register, which an opaque address of a tracepoint field would not be.)
llvm::Value *ProbeLowering::stringsEqual(const Value &a, const Value &b, unsigned limit) {
  unsigned sizeA = lc.type(a.type).size, sizeB = lc.type(b.type).size;
  unsigned n = std::min({std::max(sizeA, sizeB), std::min(sizeA, sizeB) + 1, limit});
  if (loopsOverString(n))
    return stringsEqualLoop(a, b, n);
  auto inPlace = [&](const Value &s) -> Value {
    return {s.type, isa<AllocaInst>(getUnderlyingObject(s.v)) ? opaque(s.v) : s.v};
  };
  Value da = inPlace(a), db = inPlace(b);
  auto *fnc = B.GetInsertBlock()->getParent();
  auto *eq = BasicBlock::Create(lc.ctx, "streq_eq", fnc);
  auto *ne = BasicBlock::Create(lc.ctx, "streq_ne", fnc);
  auto *done = BasicBlock::Create(lc.ctx, "streq_end", fnc);
  for (unsigned i = 0; i < n; ++i) {
    auto byteAt = [&](const Value &s) -> llvm::Value * {
      if (i >= lc.type(s.type).size)
        return B.getInt8(0);
      return B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), s.v, i));
    };
    llvm::Value *ca = byteAt(da);
    llvm::Value *cb = byteAt(db);
    auto *same = BasicBlock::Create(lc.ctx, "streq_same", fnc);
    B.CreateCondBr(B.CreateICmpEQ(ca, cb), same, ne);
    B.SetInsertPoint(same);
    auto *next = BasicBlock::Create(lc.ctx, "streq_next", fnc);
    B.CreateCondBr(B.CreateICmpEQ(ca, B.getInt8(0)), eq, next);
    B.SetInsertPoint(next);
  }
  B.CreateBr(eq);
  B.SetInsertPoint(eq);
  B.CreateBr(done);
  B.SetInsertPoint(ne);
  B.CreateBr(done);
  B.SetInsertPoint(done);
  auto *phi = B.CreatePHI(B.getInt1Ty(), 2);
  phi->addIncoming(B.getTrue(), eq);
  phi->addIncoming(B.getFalse(), ne);
  return phi;
}

// s == "lit" holds when s's first len + 1 bytes are the literal and its NUL;
// what follows the NUL does not matter. When s is a stack buffer (8-aligned)
// that holds those bytes in whole words, compare them a word at a time, the
// last word masked to the bytes that count.
llvm::Value *ProbeLowering::stringEqualsLiteral(const Value &s, const std::string &literal) {
  std::string lit = literal.substr(0, literal.find('\0'));
  unsigned bytes = lit.size() + 1, words = (bytes + 7) / 8;
  auto *stack = dyn_cast<AllocaInst>(s.v);
  auto allocated = stack ? stack->getAllocationSize(lc.module->getDataLayout()) : std::nullopt;
  if (!stack || stack->getAlign() < Align(8) || !allocated || allocated->isScalable() ||
      allocated->getFixedValue() < words * 8u || lc.type(s.type).size < bytes)
    return stringsEqual(s, stringLiteral(literal, std::max<unsigned>(bytes, 1)));
  llvm::Value *all = B.getTrue();
  for (unsigned w = 0; w < words; ++w) {
    uint64_t want = 0, mask = 0;
    for (unsigned i = 0; i < 8 && w * 8 + i < bytes; ++i) {
      unsigned char c = w * 8 + i < lit.size() ? (unsigned char)lit[w * 8 + i] : 0;
      want |= uint64_t(c) << (8 * i);
      mask |= uint64_t(0xff) << (8 * i);
    }
    llvm::Value *word = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), s.v, w * 8));
    if (mask != ~uint64_t(0))
      word = B.CreateAnd(word, B.getInt64(mask));
    all = B.CreateAnd(all, B.CreateICmpEQ(word, B.getInt64(want)));
  }
  return all;
}

// `$s[n]`: the string's byte n, sign-extended as bpftrace's int8; 0 past the buffer
// (the index is checked, so the verifier sees a bounded stack offset).
Value ProbeLowering::stringByte(const ast::IndexExpr *i) {
  Value s = expr(i->base.get());
  Value n = expr(i->index.get());
  unsigned size = lc.type(s.type).size;
  auto *inside = B.CreateICmpULT(n.v, B.getInt64(size));
  auto *at = B.CreateSelect(inside, n.v, B.getInt64(0));
  auto *byte = B.CreateLoad(lc.i8(), B.CreateGEP(lc.i8(), s.v, at), "byte");
  return {lc.sema.typeOf(i),
          B.CreateSelect(inside, B.CreateSExt(byte, lc.i64()), B.getInt64(0))};
}

} // namespace bt::lower
