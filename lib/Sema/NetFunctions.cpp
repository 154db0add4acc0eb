// Typing of the network functions: ntop, whose value btrun prints with inet_ntop(3), and
// pton, whose address literal becomes its bytes at compile time.
#include "Typer.h"

#include "bt/Basic/NetAddress.h"

namespace bt::sema {

using namespace ast;

namespace {
// The bytes of an address ntop takes by value: a string or array (a char[16], a
// __be32[4]) or a struct (in6_addr) of 4 or 16 bytes. 0 for other types.
unsigned addressBytes(const Type &t) {
  if (t.isString() || t.isArray() || (t.isRecord() && t.origin != RecordOrigin::Tuple))
    return t.size == 4 || t.size == 16 ? t.size : 0;
  return 0;
}
} // namespace

TypeId Typer::netFunctionCall(const CallExpr *c, FunctionId id) {
  std::vector<TypeId> ts;
  for (const auto &a : c->args)
    ts.push_back(expr(a.get()));
  switch (id) {
  case FunctionId::Ntop: {
    // ntop([af,] addr): without a family, an integer or a 4-byte address is AF_INET and
    // a 16-byte one AF_INET6; a family may be any integer, known only at run time.
    const Type &addr = ty(ts.back());
    if (c->args.size() == 2) {
      const Type &af = ty(ts[0]);
      if (!af.isNone() && !af.isInt())
        err(c->args[0]->range, "ntop() address family must be an integer, got " + af.str());
    }
    if (!addr.isNone() && !addr.isInt() && !addressBytes(addr))
      err(c->args.back()->range, "ntop() needs an integer or a 4- or 16-byte address (a "
                                 "char[4], char[16] or struct in6_addr), got " + addr.str());
    return R.types.inetAddress();
  }
  case FunctionId::Pton: {
    // As bpftrace: a uint8[4] or uint8[16] in network order, known when compiling.
    auto *lit = as<StringLit>(c->args[0].get());
    if (!lit) {
      err(c->args[0]->range, "pton() needs an address as a string literal, got " +
                                 ty(ts[0]).str());
      return R.types.none();
    }
    auto bytes = parseAddress(lit->value);
    if (!bytes) {
      err(c->args[0]->range, "pton() needs a valid IPv4 or IPv6 address, got '" + lit->value +
                                 "'");
      return R.types.none();
    }
    return R.types.array(R.types.integer(1, false), static_cast<unsigned>(bytes->size()));
  }
  default:
    return R.types.none();
  }
}

} // namespace bt::sema
