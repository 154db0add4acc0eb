// The string and byte functions: strlen, strcontains, bswap. Strings are fixed-size
// buffers on the stack (String.cpp), so each is straight-line code over the buffer's
// bytes that any verifier accepts.
#include "ProbeLowering.h"

#include "llvm/IR/Intrinsics.h"

namespace bt::lower {

using namespace llvm;

namespace {
llvm::Value *byteAt(IRBuilder<> &B, llvm::Value *s, unsigned i) {
  return B.CreateLoad(B.getInt8Ty(), B.CreateConstGEP1_32(B.getInt8Ty(), s, i));
}
} // namespace

// The index of the first NUL: from the last byte down, each NUL moves it nearer.
Value ProbeLowering::strlenCall(const ast::CallExpr *c) {
  Value s = expr(c->args[0].get());
  unsigned size = lc.type(s.type).size;
  llvm::Value *len = B.getInt64(size);
  for (unsigned i = size; i-- > 0;)
    len = B.CreateSelect(B.CreateICmpEQ(byteAt(B, s.v, i), B.getInt8(0)), B.getInt64(i), len);
  return {lc.sema.typeOf(c), len};
}

// 1 when the literal needle starts at some position of the haystack before its NUL:
// a position counts while no NUL precedes it.
Value ProbeLowering::strcontainsCall(const ast::CallExpr *c) {
  Value h = expr(c->args[0].get());
  std::string needle = ast::as<ast::StringLit>(c->args[1].get())->value;
  needle = needle.substr(0, needle.find('\0'));
  unsigned size = lc.type(h.type).size;
  if (needle.empty())
    return {lc.sema.typeOf(c), B.getInt64(1)};
  llvm::Value *found = B.getFalse();
  llvm::Value *inString = B.getTrue(); // no NUL before position i
  for (unsigned i = 0; i + needle.size() <= size; ++i) {
    llvm::Value *match = inString;
    for (unsigned j = 0; j < needle.size(); ++j)
      match = B.CreateAnd(match, B.CreateICmpEQ(byteAt(B, h.v, i + j),
                                                B.getInt8((unsigned char)needle[j])));
    found = B.CreateOr(found, match);
    inString = B.CreateAnd(inString, B.CreateICmpNE(byteAt(B, h.v, i), B.getInt8(0)));
  }
  return {lc.sema.typeOf(c), B.CreateZExt(found, lc.i64())};
}

Value ProbeLowering::bswapCall(const ast::CallExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  Value v = expr(c->args[0].get());
  unsigned bits = lc.type(t).size * 8;
  if (bits == 8)
    return {t, B.CreateAnd(v.v, B.getInt64(0xff))};
  auto *narrow = B.CreateTrunc(v.v, B.getIntNTy(bits));
  auto *swapped = B.CreateUnaryIntrinsic(Intrinsic::bswap, narrow);
  return {t, B.CreateZExt(swapped, lc.i64())};
}

} // namespace bt::lower
