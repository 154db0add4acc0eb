// globmatch(s, pattern) with a pattern known only at run time (a literal one is
// compiled: GlobLiteral.cpp). The classic matcher that remembers
// the last `*`: on a mismatch, the star takes one more byte of the string and the
// match resumes after it. bpf_loop runs it one step per call, so that the verifier
// checks one step whatever the strings' sizes. A step compares a string byte with a
// token, or reads one member of a `[set]`; the pattern reads as globPattern reads a
// literal one (bt/Sema/Glob.h), and a `[` without its `]` matches no byte. The loop's
// bound covers the worst case, (S + 1) * (P + 2)^2 steps for strings of S and P bytes,
// up to bpf_loop's limit of 2^23 steps; a match not decided by then is false.
#include "Callback.h"
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

namespace {

// bpf_loop's context, on the caller's stack: the two strings and the matcher's state.
// The state is in bt_scratch, whose contents the verifier does not track: on the
// stack, it would know each index and byte and walk the whole match, step by step,
// for every call (past its million instructions for a few literal strings).
enum Context : unsigned { kStr, kPat, kState, kContextSlots };
// The state's u64 slots. The string's byte i and the pattern's byte j are next; kStarJ
// is the byte after the last `*` (0: none yet), kStarI the string byte that star's
// match ends at; kSetAt is the next member's byte + 1 inside a set (0: not in one).
enum Slot : unsigned {
  kI, kJ, kStarI, kStarJ, kSetAt, kSetFirst, kSetIn, kSetNegated, kResult, kSlots
};
constexpr uint64_t kMaxSteps = uint64_t(1) << 23;

} // namespace

Value ProbeLowering::globmatchRuntime(const ast::CallExpr *c) {
  Value s = expr(c->args[0].get());
  Value p = expr(c->args[1].get());
  unsigned strSize = lc.type(s.type).size, patSize = lc.type(p.type).size;
  auto *state = scratchTemp(kSlots * 8, "glob.state");
  // On the stack whatever on_stack_limit says: bpf_loop takes its context only there.
  auto *context = stackTemp(kContextSlots * 8, "glob");
  B.CreateStore(s.v, B.CreateConstGEP1_32(lc.i64(), context, kStr));
  B.CreateStore(p.v, B.CreateConstGEP1_32(lc.i64(), context, kPat));
  B.CreateStore(state, B.CreateConstGEP1_32(lc.i64(), context, kState));
  uint64_t steps = std::min<uint64_t>(kMaxSteps, uint64_t(strSize + 1) * (patSize + 2) *
                                                     (patSize + 2));
  Function *step = globStepper(strSize, patSize, c->range);
  lc.callHelper(BpfLoop, lc.i64(), {B.getInt64(steps), step, context, B.getInt64(0)});
  return {lc.sema.typeOf(c),
          B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i64(), state, kResult), "glob.match")};
}

// long step(u64 index, void *context): 0 to go on, 1 when the match is decided.
Function *ProbeLowering::globStepper(unsigned strSize, unsigned patSize, SourceRange at) {
  std::string name = fnName + "_glob" + std::to_string(globSteppers++);
  auto *stepper = createCallback(lc, name, {{"index", false}, {"context", true}}, at);
  unsigned line = at.begin.line;
  DISubprogram *stepSp = stepper->getSubprogram();

  IRBuilderBase::InsertPointGuard outer(B);
  auto block = [&](const char *n) { return BasicBlock::Create(lc.ctx, n, stepper); };
  BasicBlock *entryBlock = block("entry");
  B.SetInsertPoint(entryBlock);
  B.SetCurrentDebugLocation(DILocation::get(lc.ctx, line, at.begin.col, stepSp));
  llvm::Value *context = stepper->getArg(1);
  auto *st = B.CreateLoad(lc.ptr(), B.CreateConstGEP1_32(lc.i64(), context, kState), "state");
  auto slot = [&](Slot s) { return B.CreateConstGEP1_32(lc.i64(), st, s); };
  auto get = [&](Slot s) { return B.CreateLoad(lc.i64(), slot(s)); };
  auto set = [&](Slot s, llvm::Value *v) { B.CreateStore(v, slot(s)); };
  auto k = [&](uint64_t v) { return B.getInt64(v); };
  // Byte `index` of a string of `size` bytes, 0 past its end. The index is clamped
  // before the load, so that the verifier sees it in bounds on every path.
  auto byteAt = [&](Context str, llvm::Value *index, unsigned size) {
    auto *in = B.CreateICmpULT(index, k(size));
    auto *clamped = B.CreateSelect(in, index, k(size - 1));
    auto *base = B.CreateLoad(lc.ptr(), B.CreateConstGEP1_32(lc.i64(), context, str));
    auto *byte = B.CreateZExt(B.CreateLoad(lc.i8(), B.CreateGEP(lc.i8(), base, clamped)), lc.i64());
    return B.CreateSelect(in, byte, k(0));
  };
  auto done = [&](llvm::Value *matched) {
    set(kResult, B.CreateZExt(matched, lc.i64()));
    B.CreateRet(k(1));
  };
  auto next = [&] { B.CreateRet(k(0)); };

  llvm::Value *i = get(kI), *j = get(kJ);
  llvm::Value *ch = byteAt(kStr, i, strSize);
  BasicBlock *inSet = block("glob_set"), *token = block("glob_token");
  BasicBlock *mismatch = block("glob_mismatch");
  llvm::Value *setAt = get(kSetAt);
  B.CreateCondBr(B.CreateICmpNE(setAt, k(0)), inSet, token);

  // A token of the pattern against the string's byte.
  B.SetInsertPoint(token);
  llvm::Value *pc = byteAt(kPat, j, patSize);
  BasicBlock *ended = block("glob_string_end"), *byteToken = block("glob_byte");
  B.CreateCondBr(B.CreateICmpEQ(ch, k(0)), ended, byteToken);
  // The string ended: only stars may be left of the pattern.
  B.SetInsertPoint(ended);
  BasicBlock *skipStar = block("glob_skip_star"), *decided = block("glob_decided");
  B.CreateCondBr(B.CreateICmpEQ(pc, k('*')), skipStar, decided);
  B.SetInsertPoint(skipStar);
  set(kJ, B.CreateAdd(j, k(1)));
  next();
  B.SetInsertPoint(decided);
  done(B.CreateICmpEQ(pc, k(0)));

  B.SetInsertPoint(byteToken);
  BasicBlock *star = block("glob_star"), *one = block("glob_one"), *open = block("glob_open");
  BasicBlock *literal = block("glob_literal");
  auto *sw = B.CreateSwitch(pc, literal, 4);
  sw->addCase(B.getInt64('*'), star);
  sw->addCase(B.getInt64('?'), one);
  sw->addCase(B.getInt64('['), open);
  sw->addCase(B.getInt64(0), mismatch); // the pattern ended before the string
  B.SetInsertPoint(star);
  set(kStarJ, B.CreateAdd(j, k(1)));
  set(kStarI, i);
  set(kJ, B.CreateAdd(j, k(1)));
  next();
  B.SetInsertPoint(one);
  set(kI, B.CreateAdd(i, k(1)));
  set(kJ, B.CreateAdd(j, k(1)));
  next();
  B.SetInsertPoint(literal);
  BasicBlock *same = block("glob_same");
  B.CreateCondBr(B.CreateICmpEQ(pc, ch), same, mismatch);
  B.SetInsertPoint(same);
  set(kI, B.CreateAdd(i, k(1)));
  set(kJ, B.CreateAdd(j, k(1)));
  next();
  // `[`: the set's members start after it, or after its `!`.
  B.SetInsertPoint(open);
  auto *negated = B.CreateICmpEQ(byteAt(kPat, B.CreateAdd(j, k(1)), patSize), k('!'));
  auto *first = B.CreateAdd(j, B.CreateSelect(negated, k(2), k(1)));
  set(kSetNegated, B.CreateZExt(negated, lc.i64()));
  set(kSetFirst, first);
  set(kSetIn, k(0));
  set(kSetAt, B.CreateAdd(first, k(1)));
  next();

  // One member of a set: a byte, a range `a-z`, or the `]` that ends it (a `]` first
  // in the set is a member).
  B.SetInsertPoint(inSet);
  llvm::Value *at0 = B.CreateSub(setAt, k(1));
  llvm::Value *member = byteAt(kPat, at0, patSize);
  BasicBlock *unterminated = block("glob_set_unterminated"), *notEnd = block("glob_set_member");
  BasicBlock *close = block("glob_set_close"), *checkClose = block("glob_set_check_close");
  B.CreateCondBr(B.CreateICmpEQ(member, k(0)), unterminated, checkClose);
  B.SetInsertPoint(unterminated);
  set(kSetAt, k(0));
  B.CreateBr(mismatch);
  B.SetInsertPoint(checkClose);
  llvm::Value *closing = B.CreateICmpEQ(member, k(']'));
  llvm::Value *notFirst = B.CreateICmpNE(at0, get(kSetFirst));
  auto *isClose = B.CreateAnd(closing, notFirst);
  B.CreateCondBr(isClose, close, notEnd);
  B.SetInsertPoint(close);
  set(kSetAt, k(0));
  llvm::Value *setIn = get(kSetIn);
  llvm::Value *setNegated = get(kSetNegated);
  auto *matched = B.CreateICmpNE(B.CreateXor(setIn, setNegated), k(0));
  BasicBlock *setMatched = block("glob_set_matched");
  B.CreateCondBr(matched, setMatched, mismatch);
  B.SetInsertPoint(setMatched);
  set(kI, B.CreateAdd(i, k(1)));
  set(kJ, B.CreateAdd(at0, k(1)));
  next();
  B.SetInsertPoint(notEnd);
  llvm::Value *dash = byteAt(kPat, B.CreateAdd(at0, k(1)), patSize);
  llvm::Value *hiByte = byteAt(kPat, B.CreateAdd(at0, k(2)), patSize);
  llvm::Value *isDash = B.CreateICmpEQ(dash, k('-'));
  llvm::Value *notClose = B.CreateICmpNE(hiByte, k(']'));
  llvm::Value *notEnded = B.CreateICmpNE(hiByte, k(0));
  auto *isRange = B.CreateAnd(isDash, B.CreateAnd(notClose, notEnded));
  llvm::Value *hi = B.CreateSelect(isRange, hiByte, member);
  llvm::Value *aboveLow = B.CreateICmpUGE(ch, member);
  llvm::Value *belowHigh = B.CreateICmpULE(ch, hi);
  auto *inRange = B.CreateAnd(aboveLow, belowHigh);
  llvm::Value *wasIn = get(kSetIn);
  set(kSetIn, B.CreateOr(wasIn, B.CreateZExt(inRange, lc.i64())));
  set(kSetAt, B.CreateAdd(at0, B.CreateSelect(isRange, k(4), k(2))));
  next();

  // No match here: the last star takes one more byte, or the match fails.
  B.SetInsertPoint(mismatch);
  llvm::Value *starJ = get(kStarJ);
  BasicBlock *retry = block("glob_retry"), *failed = block("glob_failed");
  B.CreateCondBr(B.CreateICmpEQ(starJ, k(0)), failed, retry);
  B.SetInsertPoint(failed);
  done(B.getFalse());
  B.SetInsertPoint(retry);
  llvm::Value *resume = B.CreateAdd(get(kStarI), k(1));
  set(kStarI, resume);
  set(kI, resume);
  set(kJ, starJ);
  next();

  lc.DI->finalizeSubprogram(stepSp);
  return stepper;
}

} // namespace bt::lower
