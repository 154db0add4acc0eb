// Block expressions: `{ let $y = 2; $y + 1 }`. The statements run in a scope of
// their own, as a `{ }` statement's do, and the last expression is the value.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::blockExpr(const BlockExpr *b, bool statement) {
  auto [it, added] = R.blockScopes.try_emplace(&b->stmts, 0);
  if (added)
    it->second = R.scopes.add(Scope::Kind::Block, scope_);
  ScopeId outer = scope_;
  scope_ = it->second;
  statements(b->stmts);
  TypeId t = expr(b->value.get(), statement);
  scope_ = outer;
  return t;
}

} // namespace bt::sema
