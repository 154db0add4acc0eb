// A binary operator with an operand not typed yet: a map read before any probe assigns it
// (`@n = @n + 1` alone). Typing runs in passes until nothing changes, so the operand gets
// its type in a later pass; here the result is what it would be with an unsigned integer
// there, so that `@n` becomes an integer: in bpftrace an operand without a type is unsigned,
// so the result is unsigned (`@k = @k - 5` prints 18446744073709551611, as 0.17 does).
#include "Typer.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::untypedOperand(const BinaryExpr *b, const Type &other) {
  if (!other.isInt())
    return R.types.none();
  switch (b->op) {
  case BinaryOp::Eq: case BinaryOp::Ne: case BinaryOp::Lt: case BinaryOp::Le:
  case BinaryOp::Gt: case BinaryOp::Ge: case BinaryOp::LogicalAnd:
  case BinaryOp::LogicalOr:
    return u64();
  default:
    return u64();
  }
}

} // namespace bt::sema
