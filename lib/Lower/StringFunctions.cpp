// The string and byte functions: strlen, strcontains, strstr, str_concat, bswap, and join.
// Strings are fixed-size buffers (String.cpp); measuring and searching one are loops
// (StringLoops.cpp) whatever its size.
#include "ProbeLowering.h"
#include "StringStep.h"

#include "llvm/IR/Intrinsics.h"

namespace bt::lower {

using namespace llvm;

// Pointers from user space (uprobe arguments, syscall tracepoint fields) are read with
// the user helpers, others with the kernel ones.
bool ProbeLowering::pointersAreUser() const {
  return probe.type == ProbeType::Uprobe || probe.type == ProbeType::Uretprobe ||
         probe.type == ProbeType::Usdt ||
         (probe.type == ProbeType::Tracepoint && att.category == "syscalls");
}

// join(array [, separator]) as bpftrace 0.17: the array's first 16 pointers, up to
// 1023 characters of each, sent as a `join` event that btrun prints up to the first
// empty string. A failed read leaves its slot zeroed (the helpers clear the buffer),
// so the array's NULL ends the line. The 16 KiB record is reserved in the ring buffer:
// it cannot live on the 512-byte stack.
void ProbeLowering::joinCall(const ast::CallExpr *c) {
  constexpr unsigned kJoinStrings = 16, kJoinStringBytes = 1024;
  EventRecord ev;
  ev.spec.kind = obj::EventKind::Join;
  ev.spec.line = c->range.begin.line;
  ev.spec.col = c->range.begin.col;
  ev.spec.file = int(c->range.begin.file);
  ev.spec.separator =
      c->args.size() == 2 ? ast::as<ast::StringLit>(c->args[1].get())->value : std::string(" ");
  TypeId string = lc.types().string(kJoinStringBytes);
  for (unsigned i = 0; i < kJoinStrings; ++i)
    ev.args.push_back({string, 8 + i * kJoinStringBytes, kJoinStringBytes});
  ev.size = 8 + kJoinStrings * kJoinStringBytes;
  unsigned size = ev.size;

  llvm::Value *array = expr(c->args[0].get()).v;
  if (array->getType()->isPointerTy())
    array = B.CreatePtrToInt(array, lc.i64());
  bool user = pointersAreUser();
  auto *element = temp(8, "join_element");
  ReservedRecord r = reserveRecord(size, "join");
  auto *rec = r.rec;
  B.CreateStore(B.getInt64(lc.addEvent(std::move(ev))), rec);
  for (unsigned i = 0; i < kJoinStrings; ++i) {
    auto *at = B.CreateIntToPtr(B.CreateAdd(array, B.getInt64(8 * i)), lc.ptr());
    lc.callHelper(user ? ProbeReadUser : ProbeReadKernel, lc.i64(), {element, B.getInt32(8), at});
    auto *text = B.CreateIntToPtr(B.CreateLoad(lc.i64(), element), lc.ptr());
    lc.callHelper(user ? ProbeReadUserStr : ProbeReadKernelStr, lc.i64(),
                  {B.CreateConstGEP1_32(lc.i8(), rec, 8 + i * kJoinStringBytes),
                   B.getInt32(kJoinStringBytes), text});
  }
  submitRecord(r);
}

// The index of the first NUL, or the string's size. A literal's is known here; any other
// string is measured in a bpf_loop callback (StringLoops.cpp) whatever its size, as a
// search is: unrolled, a select per byte kept the bytes live (four strlen() of 64-byte
// strings in one probe ran the BPF backend out of its 512-byte stack) and, BPF having no
// conditional move, made a branch per byte whose constant the verifier tracks per path.
Value ProbeLowering::strlenCall(const ast::CallExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  if (auto *lit = ast::as<ast::StringLit>(c->args[0].get())) {
    unsigned size = lc.type(lc.sema.typeOf(lit)).size;
    size_t nul = std::min(lit->value.find('\0'), lit->value.size());
    return {t, B.getInt64(std::min<size_t>(nul, size ? size - 1 : 0))};
  }
  return {t, strlenLoop(expr(c->args[0].get()))};
}

// The index of the needle's first place in the string before its NUL, or -1: strstr;
// strcontains is its test >= 0. A literal needle's bytes are constants in the step;
// another string's are read in a loop of the step's own. Always a bpf_loop callback
// (StringLoops.cpp), whatever the haystack's size: unrolled against every position, the
// search of a 64-byte string kept its bytes live past the 512-byte stack (`$f = path(..);
// strcontains($f, "tmp")`), and since BPF has no conditional move each position's test
// became a branch whose constant result the verifier tracks per path, so four searches of
// comm in one probe multiplied their paths past its million instructions. The callback is
// checked once and its result, read back from the stack, is one unknown value.
llvm::Value *ProbeLowering::firstMatch(const ast::CallExpr *c) {
  Value h = expr(c->args[0].get());
  auto *literal = ast::as<ast::StringLit>(c->args[1].get());
  if (!literal) {
    // A needle known only at run time: at each position, a loop of the step's own over
    // the needle's bytes up to its NUL (the verifier follows it once per byte, in the one
    // step it checks); empty, it matches at 0.
    Value n = expr(c->args[1].get());
    unsigned hsize = lc.type(h.type).size, nsize = lc.type(n.type).size;
    return stringLoop("strstr", h.v, n.v, -1, hsize, [&](StringStep &s) {
      auto *before = B.GetInsertBlock();
      auto *header = BasicBlock::Create(lc.ctx, "strstr_needle", s.callback);
      auto *differ = BasicBlock::Create(lc.ctx, "strstr_differ", s.callback);
      auto *matched = BasicBlock::Create(lc.ctx, "strstr_matched", s.callback);
      B.CreateBr(header);
      B.SetInsertPoint(header);
      PHINode *j = B.CreatePHI(lc.i64(), 2, "needle_index");
      j->addIncoming(B.getInt64(0), before);
      llvm::Value *needleBase =
          B.CreateLoad(lc.ptr(), B.CreateConstGEP1_32(lc.i64(), s.context, kSecond));
      llvm::Value *nc = B.CreateLoad(lc.i8(), B.CreateGEP(lc.i8(), needleBase, j));
      s.stopIf(B.CreateICmpEQ(nc, B.getInt8(0)), s.index, "strstr_found");
      // The haystack's byte at index + j, 0 past its end (the index clamped first).
      llvm::Value *haystackBase =
          B.CreateLoad(lc.ptr(), B.CreateConstGEP1_32(lc.i64(), s.context, kFirst));
      llvm::Value *at = B.CreateAdd(s.index, j);
      llvm::Value *inside = B.CreateICmpULT(at, B.getInt64(hsize));
      llvm::Value *clamped = B.CreateSelect(inside, at, B.getInt64(0));
      llvm::Value *read = B.CreateLoad(lc.i8(), B.CreateGEP(lc.i8(), haystackBase, clamped));
      llvm::Value *hc = B.CreateSelect(inside, read, B.getInt8(0));
      auto *same = BasicBlock::Create(lc.ctx, "strstr_same", s.callback);
      B.CreateCondBr(B.CreateICmpNE(hc, nc), differ, same);
      B.SetInsertPoint(same);
      llvm::Value *next = B.CreateAdd(j, B.getInt64(1));
      j->addIncoming(next, same);
      B.CreateCondBr(B.CreateICmpULT(next, B.getInt64(nsize)), header, matched);
      // The whole needle's size matched.
      B.SetInsertPoint(matched);
      B.CreateStore(s.index, B.CreateConstGEP1_32(lc.i64(), s.context, kResult));
      B.CreateRet(B.getInt64(1));
      // Not here: at the haystack's NUL no later position is in the string.
      B.SetInsertPoint(differ);
      llvm::Value *first = s.byte(kFirst, hsize, 0, hsize);
      s.stopIf(B.CreateICmpEQ(first, B.getInt8(0)), nullptr, "strstr_nul");
    });
  }
  std::string needle = literal->value;
  needle = needle.substr(0, needle.find('\0'));
  unsigned size = lc.type(h.type).size;
  if (needle.empty())
    return B.getInt64(0);
  if (needle.size() > size)
    return B.getInt64(-1);
  return firstMatchLoop(h, needle);
}

Value ProbeLowering::strcontainsCall(const ast::CallExpr *c) {
  return {lc.sema.typeOf(c),
          B.CreateZExt(B.CreateICmpSGE(firstMatch(c), B.getInt64(0)), lc.i64())};
}

// str_concat(a, b): a's characters, then b's from a's NUL on, in a zeroed string of
// both sizes less one NUL (Sema's type), so that what follows the NUL is zero, as a map
// key or a compare needs. bpf_probe_read_kernel_str copies each up to its NUL (both are
// this program's own buffers) and returns a's length + 1; that length, bounded by a's
// size, places b, so the verifier sees a write inside the result.
Value ProbeLowering::strConcatCall(const ast::CallExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  unsigned size = lc.type(t).size;
  Value a = expr(c->args[0].get());
  Value b = expr(c->args[1].get());
  unsigned sizeA = lc.type(a.type).size, sizeB = lc.type(b.type).size;
  llvm::Value *result = temp(size, "str_concat");
  zero(result, size);
  llvm::Value *copied = lc.callHelper(ProbeReadKernelStr, lc.i64(),
                                      {result, B.getInt32(sizeA), a.v});
  // A failed read (it cannot, from the stack or scratch) leaves 0: b from the start.
  llvm::Value *read = B.CreateICmpSGT(copied, B.getInt64(0));
  llvm::Value *length = B.CreateSelect(read, B.CreateSub(copied, B.getInt64(1)), B.getInt64(0));
  llvm::Value *inside = B.CreateICmpULT(length, B.getInt64(sizeA));
  length = opaque(B.CreateSelect(inside, length, B.getInt64(sizeA - 1)));
  lc.callHelper(ProbeReadKernelStr, lc.i64(),
                {B.CreateGEP(lc.i8(), result, length), B.getInt32(sizeB), b.v});
  return {t, result};
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
