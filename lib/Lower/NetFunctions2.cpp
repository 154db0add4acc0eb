// macaddr, socket_cookie and path. macaddr's text ("AA:BB:CC:DD:EE:FF", as bpftrace
// prints it) needs nothing from the run host, so the program writes it: the value is a
// string and every printer already knows strings. socket_cookie and path are the
// kernel's bpf_get_socket_cookie and bpf_d_path on the probe's BTF pointer.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

namespace {
constexpr unsigned kMacBytes = 6;
} // namespace

Value ProbeLowering::macaddrCall(const ast::CallExpr *c) {
  const ast::Expr *arg = c->args[0].get();
  Value from = expr(arg);
  const Type &t = lc.type(from.type);
  auto *bytes = temp(kMacBytes, "mac");
  if (t.isString()) {
    B.CreateMemCpy(bytes, MaybeAlign(1), from.v, MaybeAlign(1), kMacBytes);
  } else {
    // An address, or an array or struct, which is its address: read its bytes.
    llvm::Value *at = from.v->getType()->isPointerTy() ? from.v
                                                        : B.CreateIntToPtr(from.v, lc.ptr());
    lc.callHelper(userMemory(arg) ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                  {bytes, B.getInt32(kMacBytes), at});
  }
  TypeId textType = lc.sema.typeOf(c);
  auto *text = temp(lc.type(textType).size, "macaddr"); // zeroed: the NUL is there
  auto hexDigit = [&](llvm::Value *nibble) {
    auto *letter = B.CreateICmpUGE(nibble, B.getInt8(10));
    return B.CreateAdd(nibble, B.CreateSelect(letter, B.getInt8('A' - 10), B.getInt8('0')));
  };
  for (unsigned i = 0; i < kMacBytes; ++i) {
    auto *byte = B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), bytes, i));
    llvm::Value *high = hexDigit(B.CreateLShr(byte, 4));
    B.CreateStore(high, B.CreateConstGEP1_32(lc.i8(), text, 3 * i));
    llvm::Value *low = hexDigit(B.CreateAnd(byte, 15));
    B.CreateStore(low, B.CreateConstGEP1_32(lc.i8(), text, 3 * i + 1));
    if (i + 1 < kMacBytes)
      B.CreateStore(B.getInt8(':'), B.CreateConstGEP1_32(lc.i8(), text, 3 * i + 2));
  }
  return {textType, text};
}

Value ProbeLowering::socketCookieCall(const ast::CallExpr *c) {
  llvm::Value *sk = expr(c->args[0].get()).v;
  return {lc.sema.typeOf(c), lc.callHelper(GetSocketCookie, lc.i64(), {sk})};
}

// An iterator's path(): the struct path's address as the verifier sees it, a trusted
// BTF pointer, so every hop from ctx is a direct load (never bpf_probe_read, whose
// result is a number) and every loaded pointer is checked against NULL first (the
// verifier refuses arithmetic on a pointer that may be NULL). A NULL leaves the
// string empty, as bpf_d_path's failure does.
llvm::Value *ProbeLowering::trustedAddress(const ast::Expr *e, BasicBlock *isNull) {
  if (ast::as<ast::BuiltinRef>(e)) // ctx (Sema allows nothing else)
    return ctxArg;
  if (auto *u = ast::as<ast::UnaryExpr>(e)) // &member: the member's address
    return trustedAddress(u->operand.get(), isNull);
  auto *f = ast::as<ast::FieldExpr>(e);
  llvm::Value *record = trustedAddress(f->base.get(), isNull);
  if (!ast::as<ast::BuiltinRef>(f->base.get()) &&
      lc.type(lc.sema.typeOf(f->base.get())).isPointer()) {
    auto *notNull = BasicBlock::Create(lc.ctx, "trusted_ptr", fn);
    B.CreateCondBr(B.CreateIsNull(record), isNull, notNull);
    B.SetInsertPoint(notNull);
  }
  llvm::Value *at = memberAddress(f, record);
  return lc.type(lc.sema.typeOf(f)).isPointer() ? B.CreateLoad(lc.ptr(), at) : at;
}

Value ProbeLowering::pathCall(const ast::CallExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  unsigned size = lc.type(t).size;
  auto *buf = temp(size, "dpath");
  if (probe.type == ProbeType::Iter) {
    auto *isNull = BasicBlock::Create(lc.ctx, "path_null", fn);
    auto *read = BasicBlock::Create(lc.ctx, "path_read", fn);
    llvm::Value *path = trustedAddress(c->args[0].get(), isNull);
    B.CreateCondBr(B.CreateIsNull(path), isNull, read);
    B.SetInsertPoint(read);
    dPath(path, buf, size);
    auto *after = BasicBlock::Create(lc.ctx, "path_after", fn);
    B.CreateBr(after);
    B.SetInsertPoint(isNull);
    B.CreateBr(after);
    B.SetInsertPoint(after);
    return {t, buf};
  }
  // A struct path member of what a probe argument points to (Sema allows no other
  // record): its address, never a copy of it.
  const ast::Expr *arg = c->args[0].get();
  dPath(lc.type(lc.sema.typeOf(arg)).isRecord() ? kernelAddress(arg) : expr(arg).v, buf, size);
  return {t, buf};
}

void ProbeLowering::dPath(llvm::Value *path, llvm::Value *buf, unsigned size) {
  auto *rc = lc.callHelper(DPath, lc.i64(), {path, buf, B.getInt32(size)});
  checkHelperError(rc, "d_path");
  // A path that does not fit (or a failure) leaves the buffer undefined: an empty string.
  auto *first = B.CreateLoad(lc.i8(), buf);
  B.CreateStore(B.CreateSelect(helperFailed(rc, 0), B.getInt8(0), first), buf);
}

} // namespace bt::lower
