// Builtins that are kernel-type expressions (the current process's, and the probe's
// registers): Sema builds the expression a script would write and types it as the
// script's own, so Lower reads it as any CO-RE member access (one relocation per member).
#include "Typer.h"

namespace bt::sema {

using namespace ast;

namespace {

ExprPtr arrow(ExprPtr base, const char *field, SourceRange r) {
  return makeFieldExpr(std::move(base), field, true, r);
}

} // namespace

TypeId Typer::parentPid(const BuiltinRef *b) {
  auto task = std::make_unique<BuiltinRef>(b->range);
  task->name = "curtask";
  std::shared_ptr<const Expr> e =
      arrow(arrow(std::move(task), "real_parent", b->range), "tgid", b->range);
  TypeId t = expr(e.get());
  R.expansions.emplace(b, std::move(e));
  return t;
}

TypeId Typer::processComm(const ast::BuiltinRef *b) {
  auto task = std::make_unique<ast::BuiltinRef>(b->range);
  task->name = "curtask";
  std::shared_ptr<const ast::Expr> e =
      arrow(arrow(std::move(task), "group_leader", b->range), "comm", b->range);
  TypeId t = expr(e.get());
  R.expansions.emplace(b, std::move(e));
  return t;
}

// Upstream's macro is `ctx` in these probes, typed as the kernel's struct pt_regs *: the
// same cast a script would write, so its members are CO-RE reads of kernel memory.
TypeId Typer::probeRegisters(const ast::BuiltinRef *b) {
  auto context = std::make_unique<ast::BuiltinRef>(b->range);
  context->name = "ctx";
  auto cast = std::make_shared<ast::CastExpr>(b->range);
  cast->type.name = "struct pt_regs";
  cast->type.pointerDepth = 1;
  cast->type.range = b->range;
  cast->operand = std::move(context);
  std::shared_ptr<const ast::Expr> e = cast;
  TypeId t = expr(e.get());
  R.expansions.emplace(b, std::move(e));
  return t;
}

} // namespace bt::sema
