// str($N + K): the Nth positional parameter's text from offset K, as upstream bpftrace
// reads it (str(K + $N) too). Sema types it and Lower copies it; both find it here.
#pragma once

#include "bt/Parse/AST.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

/// The text of `str($N)` or `str($N + K)` when btc was given the arguments (ARGS): a
/// name a function takes as a literal (kaddr(str($1)), as bpftrace substitutes it). A
/// missing argument is "". Nullopt for anything else, or without ARGS.
inline std::optional<std::string>
fixedPositionalText(const ast::Expr *e, const std::optional<std::vector<std::string>> &args) {
  auto *c = ast::as<ast::CallExpr>(e);
  if (!args || !c || c->callee != "str" || c->args.size() != 1)
    return std::nullopt;
  uint64_t offset = 0;
  auto *p = positionalText(c->args[0].get(), offset);
  if (!p)
    return std::nullopt;
  size_t i = static_cast<size_t>(p->index);
  const std::string text = i <= args->size() ? (*args)[i - 1] : "";
  return offset < text.size() ? text.substr(offset) : "";
}

} // namespace bt::sema
