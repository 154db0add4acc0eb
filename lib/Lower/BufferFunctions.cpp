// buf(data [, length]): a u64 length, then the bytes (bt/Object/Layout.h), on the stack.
#include "AddressSpaces.h"
#include "ProbeLowering.h"

#include "bt/Object/Layout.h"

#include <algorithm>

namespace bt::lower {

using namespace llvm;

Value ProbeLowering::bufCall(const ast::CallExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  unsigned capacity = lc.type(t).size - obj::kBufferDataOffset;
  const ast::Expr *dataExpr = c->args[0].get();
  Value data = expr(dataExpr);
  const Type &dt = lc.type(data.type);
  // A length beyond the capacity is cut to it (bpftrace warns; the verifier needs it).
  llvm::Value *length = B.getInt64(capacity);
  if (c->args.size() == 2) {
    llvm::Value *n = expr(c->args[1].get()).v;
    length = B.CreateSelect(B.CreateICmpUGT(n, length), length, n, "buf_len");
  }
  auto *buf = temp(lc.type(t).size, "buf");
  B.CreateStore(length, buf);
  auto *bytes = B.CreateConstGEP1_32(lc.i8(), buf, obj::kBufferDataOffset);
  if (dt.isString()) {
    // The string's buffer, zero-padded: what lies past its NUL is zeros anyway.
    B.CreateMemCpy(bytes, MaybeAlign(1), data.v, MaybeAlign(1), std::min(capacity, dt.size));
    return {t, buf};
  }
  llvm::Value *from = data.v->getType()->isPointerTy() ? data.v
                                                        : B.CreateIntToPtr(data.v, lc.ptr());
  // An array or struct is read where it lives; an address as str() reads one.
  bool user = dt.isArray() || dt.isRecord() ? userMemory(dataExpr) : addressesUser(dt, pointersAreUser());
  auto *rc = lc.callHelper(user ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                           {bytes, B.CreateTrunc(length, B.getInt32Ty()), from});
  checkHelperError(rc, user ? "probe_read_user" : "probe_read_kernel");
  return {t, buf};
}

} // namespace bt::lower
