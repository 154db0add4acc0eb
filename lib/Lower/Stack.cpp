// ustack and usym: what btrun needs to name user addresses is the process they belong
// to, so each value carries its tgid (bt/Object/Manifest.h, Field::userStack/userSymbol).
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

namespace {
constexpr uint64_t kUserStackFlag = 1u << 8; // BPF_F_USER_STACK
} // namespace

// The stack id in the low 32 bits (negative when the kernel could not record the
// stack), the tgid (bpf_get_current_pid_tgid's high half) in the high 32.
Value ProbeLowering::userStack(TypeId t) {
  auto *id = lc.callHelper(GetStackid, lc.i64(),
                           {ctxArg, lc.stackMap(lc.type(t).frames, true),
                            B.getInt64(kUserStackFlag)});
  auto *tgid = B.CreateAnd(lc.callHelper(GetCurrentPidTgid, lc.i64(), {}),
                           B.getInt64(0xffffffff00000000ull));
  return {t, B.CreateOr(tgid, B.CreateAnd(id, B.getInt64(0xffffffffull)), "ustack")};
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
         ty.isBuffer() || isCopiedRecord(t);
}

} // namespace bt::lower
