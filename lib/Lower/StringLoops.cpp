// String operations over more than kUnrolledStringBytes bytes (max_strlen up to 32768),
// and every strlen and strstr/strcontains (StringFunctions.cpp says why):
// one bpf_loop (kernel 5.17+) callback per operation, called once per byte, so that the
// verifier checks one step whatever the strings' sizes. Unrolled, each byte took a
// branch or two, and two compares of 4096-byte strings passed the 8192 branches the
// verifier follows on a path. Shorter strings keep the unrolled code: no call per byte.
//
// The callback's context is an array on the caller's stack: the two strings' addresses
// (a stack buffer or bt_scratch) and the result, which the caller sets before the loop
// and the step that decides overwrites. bpf_loop hands the step its index as a number
// the verifier knows nothing of: the step bounds it before any read.
#include "Callback.h"
#include "StringStep.h"

namespace bt::lower {

using namespace llvm;

bool ProbeLowering::loopsOverString(uint64_t bytes) const {
  return bytes > kUnrolledStringBytes;
}

// bpf_loop(count, step, context): `step` builds the body that reads the strings at the
// index (below count) and decides; a step that decides nothing goes on to the next.
// The result slot starts as `initial`.
llvm::Value *ProbeLowering::stringLoop(const char *what, llvm::Value *first, llvm::Value *second,
                                       int64_t initial, uint64_t count,
                                       function_ref<void(StringStep &)> step) {
  std::string name = fnName + "_" + what + std::to_string(stringLoops++);
  Function *callback =
      createCallback(lc, name, {{"index", false}, {"context", true}}, currentRange);
  {
    IRBuilderBase::InsertPointGuard outer(B);
    enterCallback(B, lc, callback, currentRange);
    StringStep s{B, lc, callback, callback->getArg(0), callback->getArg(1)};
    s.stopIf(B.CreateICmpUGE(s.index, B.getInt64(count)), nullptr, "str_bound");
    step(s);
    B.CreateRet(B.getInt64(0));
    lc.DI->finalizeSubprogram(callback->getSubprogram());
  }
  // On the stack whatever on_stack_limit says: bpf_loop takes its context only there.
  llvm::Value *context = stackTemp(kSlots * 8, std::string(what) + ".ctx");
  B.CreateStore(first, B.CreateConstGEP1_32(lc.i64(), context, kFirst));
  if (second)
    B.CreateStore(second, B.CreateConstGEP1_32(lc.i64(), context, kSecond));
  B.CreateStore(B.getInt64(initial), B.CreateConstGEP1_32(lc.i64(), context, kResult));
  lc.callHelper(BpfLoop, lc.i64(), {B.getInt64(count), callback, context, B.getInt64(0)});
  llvm::Value *result = B.CreateConstGEP1_32(lc.i64(), context, kResult);
  return B.CreateLoad(lc.i64(), result, std::string(what) + ".result");
}

// Equal up to the first NUL within `count` bytes: the first byte that differs stops the
// loop with 0; a NUL both share stops it with the initial 1.
llvm::Value *ProbeLowering::stringsEqualLoop(const Value &a, const Value &b, uint64_t count) {
  unsigned sizeA = lc.type(a.type).size, sizeB = lc.type(b.type).size;
  llvm::Value *equal = stringLoop("streq", a.v, b.v, 1, count, [&](StringStep &s) {
    llvm::Value *ca = s.byte(kFirst, sizeA, 0, count);
    llvm::Value *cb = s.byte(kSecond, sizeB, 0, count);
    llvm::Value *differ = B.CreateICmpNE(ca, cb);
    s.stopIf(differ, B.getInt64(0), "streq_ne");
    llvm::Value *ended = B.CreateICmpEQ(ca, B.getInt8(0));
    s.stopIf(ended, nullptr, "streq_eq");
  });
  return B.CreateICmpNE(equal, B.getInt64(0));
}

// The index of the first NUL, or the size when there is none.
llvm::Value *ProbeLowering::strlenLoop(const Value &s) {
  unsigned size = lc.type(s.type).size;
  return stringLoop("strlen", s.v, nullptr, size, size, [&](StringStep &st) {
    llvm::Value *c = st.byte(kFirst, size, 0, size);
    st.stopIf(B.CreateICmpEQ(c, B.getInt8(0)), st.index, "strlen_nul");
  });
}

// The first position of `needle` (no NUL in it, not empty) in the haystack before its
// NUL, or -1: at each position its bytes (unrolled in the step), then the NUL test.
llvm::Value *ProbeLowering::firstMatchLoop(const Value &h, const std::string &needle) {
  unsigned size = lc.type(h.type).size;
  uint64_t positions = size - needle.size() + 1;
  return stringLoop("strstr", h.v, nullptr, -1, positions, [&](StringStep &s) {
    llvm::Value *match = B.getTrue();
    for (unsigned j = 0; j < needle.size(); ++j) {
      llvm::Value *c = s.byte(kFirst, size, j, positions);
      llvm::Value *same = B.CreateICmpEQ(c, B.getInt8((unsigned char)needle[j]));
      match = B.CreateAnd(match, same);
    }
    s.stopIf(match, s.index, "strstr_found");
    llvm::Value *c = s.byte(kFirst, size, 0, positions);
    s.stopIf(B.CreateICmpEQ(c, B.getInt8(0)), nullptr, "strstr_nul");
  });
}

// memcmp's first difference of unsigned bytes within `count`, or 0.
llvm::Value *ProbeLowering::memcmpLoop(const Value &a, const Value &b, uint64_t count) {
  unsigned sizeA = lc.type(a.type).size, sizeB = lc.type(b.type).size;
  return stringLoop("memcmp", a.v, b.v, 0, count, [&](StringStep &s) {
    llvm::Value *ca = B.CreateZExt(s.byte(kFirst, sizeA, 0, count), lc.i64());
    llvm::Value *cb = B.CreateZExt(s.byte(kSecond, sizeB, 0, count), lc.i64());
    llvm::Value *diff = B.CreateSub(ca, cb);
    s.stopIf(B.CreateICmpNE(diff, B.getInt64(0)), diff, "memcmp_differ");
  });
}

} // namespace bt::lower
