// The type of a binary operator over integers, and of one with an operand not typed yet:
// a map read before any probe assigns it (`@n = @n + 1` alone). Typing runs in passes
// until nothing changes, so such an operand gets its type in a later pass; here it counts
// as an unsigned integer, so that `@n` becomes an integer: in bpftrace an operand without
// a type is unsigned (`@k = @k - 5` prints 18446744073709551611, as 0.17 does).
#include "Typer.h"

namespace bt::sema {

using namespace ast;

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
