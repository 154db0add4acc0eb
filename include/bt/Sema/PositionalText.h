// str($N + K): the Nth positional parameter's text from offset K, as upstream bpftrace
// reads it (str(K + $N) too). Sema types it and Lower copies it; both find it here.
#pragma once

#include "bt/Parse/AST.h"

#include <cstdint>

namespace bt::sema {

/// The argument of str() naming a positional parameter's text: `$N`, `$N + K` or
/// `K + $N` with K an integer literal. Null for anything else (str() then reads a pointer).
inline const ast::PositionalParamRef *positionalText(const ast::Expr *e, uint64_t &offset) {
  offset = 0;
  if (auto *p = ast::as<ast::PositionalParamRef>(e))
    return p->isCount ? nullptr : p;
  auto *b = ast::as<ast::BinaryExpr>(e);
  if (!b || b->op != ast::BinaryOp::Add)
    return nullptr;
  auto *p = ast::as<ast::PositionalParamRef>(b->lhs.get());
  auto *k = ast::as<ast::IntegerLit>(b->rhs.get());
  if (!p) {
    p = ast::as<ast::PositionalParamRef>(b->rhs.get());
    k = ast::as<ast::IntegerLit>(b->lhs.get());
  }
  if (!p || !k || p->isCount)
    return nullptr;
  offset = k->value;
  return p;
}

} // namespace bt::sema
