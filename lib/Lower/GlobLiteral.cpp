// globmatch(s, "pattern") with a literal pattern: a bit-parallel matcher compiled from
// the pattern's tokens (bt/Sema/Glob.h). Bit i of one u64 state says "the string's bytes
// so far match the pattern's first i tokens"; each byte moves every live bit over a
// token that accepts the byte, a `*` keeps its bit, and a bit before a `*` also lights
// the bit after it (`*` matches nothing too; Sema merges `**`, so one step of that
// closure suffices). The string matches when the bit after the last token is live at
// its NUL. One register for the whole state: a probe holds several matchers within the
// BPF stack (one i1 per token and byte, they spilled past its 512 bytes).
// The matcher steps one byte per bpf_loop call (a string loop, StringLoops.cpp), the
// state in the loop's result slot, whatever the string's size. Unrolled, its steps'
// compares, independent of the state, were scheduled ahead of it and spilled: one
// 12-token pattern over comm's 16 bytes passed the BPF stack's 512 bytes, and a
// variable's bytes were all read at its assignment and held until their step.
// A pattern known only at run time has its matcher in GlobMatch.cpp.
#include "StringStep.h"

#include "bt/Sema/Glob.h"

namespace bt::lower {

using namespace llvm;

namespace {

using sema::GlobToken;

// i1: the byte `c` (never NUL) is one the token accepts.
llvm::Value *tokenAccepts(IRBuilder<> &B, const GlobToken &t, llvm::Value *c) {
  if (t.kind == GlobToken::Kind::Any)
    return B.getTrue();
  llvm::Value *in = B.getFalse();
  for (auto [lo, hi] : t.ranges) {
    llvm::Value *r;
    if (lo == hi) {
      r = B.CreateICmpEQ(c, B.getInt8(lo));
    } else {
      llvm::Value *above = B.CreateICmpUGE(c, B.getInt8(lo));
      llvm::Value *below = B.CreateICmpULE(c, B.getInt8(hi));
      r = B.CreateAnd(above, below);
    }
    in = B.CreateOr(in, r);
  }
  return t.negated ? B.CreateNot(in) : in;
}

struct GlobMatcher {
  IRBuilder<> &B;
  const std::vector<GlobToken> &tokens;
  uint64_t stars = 0; // bit i: token i is a `*`

  GlobMatcher(IRBuilder<> &b, const std::vector<GlobToken> &t) : B(b), tokens(t) {
    for (size_t i = 0; i < tokens.size(); ++i)
      if (tokens[i].kind == GlobToken::Kind::Star)
        stars |= uint64_t(1) << i;
  }
  // Before any byte: the empty prefix, and past a leading `*`.
  uint64_t initial() const { return 1 | ((1 & stars) << 1); }
  uint64_t acceptBit() const { return uint64_t(1) << tokens.size(); }

  // The state after the byte `c` (not NUL).
  llvm::Value *step(llvm::Value *state, llvm::Value *c) {
    llvm::Value *accepts = B.getInt64(0); // bit i: token i (not a `*`) accepts c
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].kind == GlobToken::Kind::Star)
        continue;
      llvm::Value *bit = B.CreateZExt(tokenAccepts(B, tokens[i], c), B.getInt64Ty());
      llvm::Value *placed = B.CreateShl(bit, i);
      accepts = B.CreateOr(accepts, placed);
    }
    llvm::Value *over = B.CreateAnd(state, accepts);
    llvm::Value *moved = B.CreateShl(over, 1);
    llvm::Value *kept = B.CreateAnd(state, B.getInt64(stars));
    llvm::Value *next = B.CreateOr(moved, kept);
    llvm::Value *beforeStar = B.CreateAnd(next, B.getInt64(stars));
    llvm::Value *pastStar = B.CreateShl(beforeStar, 1);
    return B.CreateOr(next, pastStar);
  }
};

} // namespace

Value ProbeLowering::globmatchCall(const ast::CallExpr *c) {
  auto *pattern = ast::as<ast::StringLit>(c->args[1].get());
  if (!pattern)
    return globmatchRuntime(c); // GlobMatch.cpp
  std::string why;
  auto tokens = *sema::globPattern(pattern->value, why);
  Value s = expr(c->args[0].get());
  unsigned length = lc.type(s.type).size;
  GlobMatcher m(B, tokens);
  // The state in the loop's result slot; a step that leaves it 0 stops the loop, as no
  // later byte can revive it.
  llvm::Value *state =
      stringLoop("glob", s.v, nullptr, int64_t(m.initial()), length, [&](StringStep &st) {
        llvm::Value *ch = st.byte(kFirst, length, 0, length);
        st.stopIf(B.CreateICmpEQ(ch, B.getInt8(0)), nullptr, "glob_nul");
        llvm::Value *slot = B.CreateConstGEP1_32(lc.i64(), st.context, kResult);
        llvm::Value *now = B.CreateLoad(lc.i64(), slot);
        llvm::Value *next = m.step(now, ch);
        B.CreateStore(next, slot);
        st.stopIf(B.CreateICmpEQ(next, B.getInt64(0)), nullptr, "glob_dead");
      });
  llvm::Value *accepted = B.CreateAnd(state, B.getInt64(m.acceptBit()));
  return {lc.sema.typeOf(c), B.CreateZExt(B.CreateICmpNE(accepted, B.getInt64(0)), lc.i64())};
}

} // namespace bt::lower
