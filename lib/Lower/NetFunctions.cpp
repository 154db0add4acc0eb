// The network functions. ntop builds an `inet` value (bt/Object/Layout.h): the family,
// then the address's bytes as the program holds them; btrun prints it with inet_ntop(3).
// pton's address is bytes on the stack, an array there as a kernel array is in the kernel;
// a variable holds its address, so the slot lives as long as the probe's run.
#include "ProbeLowering.h"

#include "bt/Basic/NetAddress.h"
#include "bt/Object/Layout.h"

namespace bt::lower {

using namespace llvm;

Value ProbeLowering::ntopCall(const ast::CallExpr *c) {
  const ast::Expr *addrExpr = c->args.back().get();
  Value addr = expr(addrExpr);
  const Type &at = lc.type(addr.type);
  auto *inet = temp(obj::kInetAddressSize, "inet");
  auto *bytes = B.CreateConstGEP1_32(lc.i8(), inet, obj::kInetBytesOffset);
  // Without a family, as bpftrace: a 16-byte address is AF_INET6, the rest AF_INET.
  llvm::Value *family = c->args.size() == 2
                            ? expr(c->args[0].get()).v
                            : B.getInt64(!at.isInt() && at.size == 16 ? 10 : 2);
  B.CreateStore(family, inet);
  if (at.isInt()) {
    // The integer's bytes in memory order: an IPv4 address read from the kernel is
    // already in network order there.
    B.CreateStore(addr.v, bytes);
  } else if (at.isString()) {
    B.CreateMemCpy(bytes, MaybeAlign(1), addr.v, MaybeAlign(1), at.size);
  } else {
    // An array or struct (in6_addr) is its address: read its bytes.
    llvm::Value *from = addr.v->getType()->isPointerTy() ? addr.v
                                                          : B.CreateIntToPtr(addr.v, lc.ptr());
    lc.callHelper(userMemory(addrExpr) ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                  {bytes, B.getInt32(at.size), from});
  }
  return {lc.sema.typeOf(c), inet};
}

Value ProbeLowering::ptonCall(const ast::CallExpr *c) {
  auto bytes = *parseAddress(ast::as<ast::StringLit>(c->args[0].get())->value);
  auto *at = entryAlloca(ArrayType::get(lc.i8(), bytes.size()), "pton");
  for (size_t i = 0; i < bytes.size(); ++i)
    B.CreateStore(B.getInt8(bytes[i]), B.CreateConstGEP1_32(lc.i8(), at, i));
  return {lc.sema.typeOf(c), at};
}

} // namespace bt::lower
