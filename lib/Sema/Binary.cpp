// The type of a binary operator, over integers and, for `==`/`!=`, strings, tuples,
// integer arrays and usernames; and of one with an operand not typed yet:
// a map read before any probe assigns it (`@n = @n + 1` alone). Typing runs in passes
// until nothing changes, so such an operand gets its type in a later pass; here it counts
// as an unsigned integer, so that `@n` becomes an integer: in bpftrace an operand without
// a type is unsigned (`@k = @k - 5` prints 18446744073709551611, as 0.17 does).
#include "Typer.h"

namespace bt::sema {

using namespace ast;

// `==` and `!=` compare strings as strings, integer arrays of one element size and count
// byte by byte (bpftrace 0.17's), and tuples of one length element by element
// (upstream's, as `$a.0 == $b.0 && ...`), records field by field; buf() values
// are binary()'s.
bool Typer::equalityComparable(const Type &l, const Type &r) {
  if (l.isInt() && r.isInt())
    return true;
  if (l.isString() && r.isString()) // macaddr()'s text only with another (0.17's mac_address)
    return (l.bpftraceSize != 0) == (r.bpftraceSize != 0);
  if (l.isArray() && r.isArray())
    return ty(l.element).isInt() && ty(r.element).isInt() && l.count == r.count &&
           ty(l.element).size == ty(r.element).size;
  // Records (named tuples) match their fields by name, as a variable given both would.
  if (l.isRecord() && r.isRecord() && l.origin == RecordOrigin::Tuple &&
      r.origin == RecordOrigin::Tuple && l.isNamedTuple() == r.isNamedTuple() &&
      l.fields.size() == r.fields.size()) {
    for (size_t i = 0; i < l.fields.size(); ++i) {
      auto j = tupleFieldIndex(r, l.fields[i].name, i);
      if (!j || !equalityComparable(ty(l.fields[i].type), ty(r.fields[*j].type)))
        return false;
    }
    return true;
  }
  return false;
}

TypeId Typer::binary(const BinaryExpr *b) {
  const Type &l = ty(expr(b->lhs.get())), &r = ty(expr(b->rhs.get()));
  if (l.isNone() || r.isNone())
    return untypedOperand(b, l.isNone() ? r : l);
  auto refuse = [&] {
    err(b->range, std::string("operator '") + spelling(b->op) + "' cannot take " + l.str() +
                      " and " + r.str());
    return R.types.none();
  };
  bool equality = b->op == BinaryOp::Eq || b->op == BinaryOp::Ne;
  // Two buf() values compare as bpftrace 0.17 compares them: the lengths, then the bytes
  // up to the first zero byte (ProbeLowering::buffersEqual).
  if (l.isBuffer() && r.isBuffer())
    return equality ? u64() : refuse();
  if (l.isString() || r.isString() || l.isArray() || r.isArray() || l.isRecord() ||
      r.isRecord())
    return equality && equalityComparable(l, r) ? u64() : refuse();
  // Two usernames compare as the uids they hold, as in bpftrace 0.17 and upstream (whose
  // own test of the alias is `__builtin_username == username`); their order is no name's.
  if (l.isUserName() && r.isUserName())
    return equality ? u64() : refuse();
  if (l.isPointer() || r.isPointer())
    return pointerBinary(b, R.exprTypes[b->lhs.get()], R.exprTypes[b->rhs.get()]);
  if (!l.isInt() || !r.isInt())
    return refuse();
  if (report_)
    warnSigns(b, l, r);
  return integerBinary(b->op, l.isSigned && r.isSigned);
}

// bpftrace 0.17's warnings on integers of different signs compared or combined, and on
// signed operands of '/' and '%'; a literal that is not negative counts as unsigned there,
// so `pid > 5` says nothing and `pid > -1` warns, as in 0.17. So does $N, which 0.17
// always knows (its argument) and btc may read only at run time: taken as not negative.
void Typer::warnSigns(const BinaryExpr *b, const Type &l, const Type &r) {
  auto nonNegativeLiteral = [&](const Expr *e) {
    auto v = literal(e);
    return v ? *v >= 0 : as<PositionalParamRef>(e) != nullptr;
  };
  bool lSigned = l.isSigned && !nonNegativeLiteral(b->lhs.get());
  bool rSigned = r.isSigned && !nonNegativeLiteral(b->rhs.get());
  const char *what = nullptr;
  switch (b->op) {
  case BinaryOp::Eq: case BinaryOp::Ne: case BinaryOp::Lt: case BinaryOp::Le:
  case BinaryOp::Gt: case BinaryOp::Ge:
    what = "comparison of";
    break;
  case BinaryOp::Add: case BinaryOp::Sub: case BinaryOp::Mul: case BinaryOp::Div:
  case BinaryOp::Mod:
    what = "arithmetic on";
    break;
  default:
    return;
  }
  if (l.isSigned != r.isSigned && lSigned != rSigned)
    D.warning(b->range, std::string(what) + " integers of different signs: '" + l.str() +
                            "' and '" + r.str() + "' can lead to undefined behavior");
  if ((b->op == BinaryOp::Div || b->op == BinaryOp::Mod) && (lSigned || rSigned))
    D.warning(b->range, std::string("signed operands for '") + spelling(b->op) +
                            "' can lead to undefined behavior (cast to unsigned to silence "
                            "warning)");
}

TypeId Typer::integerBinary(BinaryOp op, bool isSigned) {
  switch (op) {
  case BinaryOp::Eq: case BinaryOp::Ne: case BinaryOp::Lt: case BinaryOp::Le:
  case BinaryOp::Gt: case BinaryOp::Ge: case BinaryOp::LogicalAnd:
  case BinaryOp::LogicalOr:
    return u64();
  default:
    return R.types.integer(8, isSigned);
  }
}

TypeId Typer::untypedOperand(const BinaryExpr *b, const Type &other) {
  return other.isInt() ? integerBinary(b->op, false) : R.types.none();
}

} // namespace bt::sema
