// Upstream bpftrace's helpers: the compile-time ones are constants Sema computed
// (is_str, strcap of a string or array, kfunc_exist, ...); strcap of a pointer reads its
// string; strstr is StringFunctions.cpp's search; pid(init) and tid(init) are the
// builtins Sema put in their place; pid(curr_ns) and tid(curr_ns) ask the kernel for
// them in the pid namespace btrun runs in.
#include "ProbeLowering.h"

namespace bt::lower {

Value ProbeLowering::upstreamCall(const ast::CallExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  switch (lc.sema.functionOf(c)) {
  case FunctionId::Strstr:
    return {t, firstMatch(c)};
  case FunctionId::PidCall:
  case FunctionId::TidCall: {
    if (auto e = lc.sema.expansions.find(c); e != lc.sema.expansions.end())
      return expr(e->second.get());
    // struct bpf_pidns_info { u32 pid; u32 tgid; }: 0 when the task is in no
    // namespace btrun can see (the helper fails and leaves it as it was).
    auto *info = temp(8, "pidns_info");
    B.CreateStore(B.getInt64(0), info);
    llvm::Value *dev = B.CreateLoad(lc.i64(), lc.globalField(lc.paramSlot(LowerContext::kPidNamespaceDevSlot, false).field), "pidns_dev");
    llvm::Value *ino = B.CreateLoad(lc.i64(), lc.globalField(lc.paramSlot(LowerContext::kPidNamespaceInoSlot, false).field), "pidns_ino");
    lc.callHelper(GetNsCurrentPidTgid, lc.i64(), {dev, ino, info, B.getInt32(8)});
    bool isPid = lc.sema.functionOf(c) == FunctionId::PidCall;
    llvm::Value *field = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), info, isPid ? 4 : 0);
    return {t, B.CreateZExt(B.CreateLoad(B.getInt32Ty(), field, isPid ? "ns_tgid" : "ns_pid"), lc.i64())};
  }
  case FunctionId::Strcap: {
    if (lc.sema.constants.count(c))
      return {t, B.getInt64(lc.sema.constants.at(c))};
    // Of a pointer: the length of the string it points to, at most max_strlen
    // characters, as upstream's strnlen: one byte more is read for the NUL, which the
    // helper counts (a failed read is 0).
    Value pointer = expr(c->args[0].get());
    unsigned strlen = lc.sema.options.strlen;
    auto *text = temp(strlen + 1, "strcap_text");
    auto *rc = readStringAt(pointer, text, B.getInt32(strlen + 1), false);
    auto *read = B.CreateICmpSGT(rc, B.getInt64(0));
    auto *length = B.CreateSub(rc, B.getInt64(1));
    return {t, B.CreateSelect(read, length, B.getInt64(0))};
  }
  case FunctionId::DefaultStrLength:
  case FunctionId::IsArray:
  case FunctionId::IsInteger:
  case FunctionId::IsLiteral:
  case FunctionId::IsPtr:
  case FunctionId::IsScalar:
  case FunctionId::IsStr:
  case FunctionId::IsUnsignedInteger:
  case FunctionId::KfuncExist:
    return {t, B.getInt64(lc.sema.constants.at(c))};
  default:
    llvm_unreachable("call rejected by Sema");
  }
}

} // namespace bt::lower
