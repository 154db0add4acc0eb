// ustack and usym: what btrun needs to name user addresses is the process they belong
// to, so each value carries its tgid (bt/Object/Manifest.h, Field::userStack/userSymbol).
#include "ProbeLowering.h"
#include "bt/Object/StackValue.h"

namespace bt::lower {

using namespace llvm;

namespace {
constexpr uint64_t kUserStackFlag = 1u << 8; // BPF_F_USER_STACK
} // namespace

// The stack id in the low 32 bits (negative when the kernel could not record the
// stack), the tgid (bpf_get_current_pid_tgid's high half) in the high 32; with frame
// counts (obj::kStackFrameCountShift) the tgid keeps 24 bits (pid_max is at most 2^22).
Value ProbeLowering::userStack(TypeId t) {
  auto *id = lc.callHelper(GetStackid, lc.i64(),
                           {ctxArg,
                            lc.stackMap(lc.type(t).frames, true,
                                        lc.type(t).stackMode == obj::StackMode::BuildId),
                            B.getInt64(kUserStackFlag)});
  bool counted = lc.sema.stackFrameCounts;
  uint64_t tgidBits = counted ? obj::kStackTgidMask << 32 : 0xffffffff00000000ull;
  auto *tgid = B.CreateAnd(lc.callHelper(GetCurrentPidTgid, lc.i64(), {}),
                           B.getInt64(tgidBits));
  auto *v = B.CreateOr(tgid, B.CreateAnd(id, B.getInt64(0xffffffffull)), "ustack");
  if (counted)
    v = B.CreateOr(v, B.CreateShl(frameCount(lc.type(t)), obj::kStackFrameCountShift));
  return {t, v};
}

// The id of kstack (and ustack) values with frame counts: its low 32 bits, the count
// above them.
llvm::Value *ProbeLowering::withFrameCount(llvm::Value *id, const Type &stack) {
  // Sequenced: the order of the emitted instructions must not follow the compiler's
  // order of evaluating arguments.
  auto *low = B.CreateAnd(id, B.getInt64(0xffffffffull));
  auto *count = B.CreateShl(frameCount(stack), obj::kStackFrameCountShift);
  return B.CreateOr(low, count, "kstack");
}

// The frames of the stack here, up to its limit: bpf_get_stack writes them into this
// program's scratch and returns their bytes, or a negative error (0 frames).
llvm::Value *ProbeLowering::frameCount(const Type &stack) {
  unsigned bytes = stack.frames * 8;
  auto *frames = scratchTemp(bytes, "len.frames");
  auto *n = lc.callHelper(GetStack, lc.i64(),
                          {ctxArg, frames, B.getInt64(bytes),
                           B.getInt64(stack.isUserStack() ? kUserStackFlag : 0)});
  // BPF has no signed division: the bytes, when not an error, divide as unsigned.
  auto *count = B.CreateLShr(n, 3);
  return B.CreateSelect(B.CreateICmpSLT(n, B.getInt64(0)), B.getInt64(0), count);
}

// 16 bytes: the address, then the tgid.
Value ProbeLowering::userSymbol(TypeId t, const Value &address) {
  auto *buf = temp(16, "usym");
  B.CreateStore(address.v, buf);
  auto *tgid = B.CreateLShr(lc.callHelper(GetCurrentPidTgid, lc.i64(), {}), 32);
  B.CreateStore(tgid, B.CreateConstGEP1_32(lc.i8(), buf, 8));
  return {t, buf};
}

bool ProbeLowering::inMemory(TypeId t) const {
  const Type &ty = lc.type(t);
  return ty.isString() || isTuple(t) || ty.isUserSymbol() || ty.isInetAddress() ||
         ty.isBuffer() || copiedAsRecord(t) || kernelCopy(t);
}

} // namespace bt::lower
