// Expansion of bpftrace macros (`macro name(params) { ... }`), as bpftrace 0.24+
// does it: semantic-aware text replacement, hygienic.
// The rules (uses, parameter kinds, hygiene, values) are docs/LANGUAGE.md's "Macros";
// MacroTypeParams.cpp puts in the types a call's `name[type, ...]` gives.
// Expanded nodes keep the macro body's source ranges, so an error inside one
// points at the macro's text. The copies are MacroCopy.cpp's.
// Calls of user-defined functions (`fn f(...)`) are inlined by the same walk: each
// becomes a UserCallExpr with its own copy of the body (no renaming: Sema gives the
// body a scope of its own). A function may call another; its calls of itself become a
// loop in each copy where they can (TailRecursion.cpp): BPF has no recursion.
#include "MacroExpansion.h"

#include "bt/Basic/Builtins.h"

namespace bt::parse {

using namespace ast;

const MacroDef *Expansion::macroOf(Expr *e, CallExpr *&call) {
  call = nullptr;
  if (auto *c = as<CallExpr>(e)) {
    auto it = macros_.find(c->callee);
    if (it == macros_.end())
      return nullptr;
    call = c;
    return pickMacro(it->second, c->args.size(), c->typeArgs.size());
  }
  if (auto *id = as<IdentifierRef>(e)) {
    auto it = macros_.find(id->name);
    return it == macros_.end() ? nullptr : pickMacro(it->second, 0, 0);
  }
  return nullptr;
}

bool Expansion::bind(const MacroDef &m, CallExpr *call, SourceRange use, Rewrite &rw) {
  std::vector<ExprPtr> *args = call ? &call->args : nullptr;
  size_t given = args ? args->size() : 0;
  if (given != m.params.size()) {
    D.error(use, "macro '" + m.name + "' takes " + std::to_string(m.params.size()) +
                     " argument" + (m.params.size() == 1 ? "" : "s") + ", got " +
                     std::to_string(given));
    D.note(m.nameRange, "macro '" + m.name + "' is defined here");
    return false;
  }
  if (!bindTypeArgs(m, call, use, rw.types, D))
    return false;
  rw.macro = &m;
  rw.suffix = "." + m.name + "." + std::to_string(++expansions_);
  bool ok = true;
  for (size_t i = 0; i < given; ++i) {
    const MacroParam &p = m.params[i];
    const Expr *a = (*args)[i].get();
    auto *var = as<VariableRef>(a);
    auto *map = as<MapRef>(a);
    const char *got = var ? "a variable" : map ? "a map" : "an expression";
    switch (p.kind) {
    case MacroParam::Variable:
      if (var)
        rw.variables[p.name] = var->name;
      else if (map) {
        D.error(a->range, "macro '" + m.name + "' expects a variable or an expression for " +
                              p.name + ", got a map");
        ok = false;
      } else
        rw.expressions[p.name] = a;
      break;
    case MacroParam::Map:
      if (map && !map->hasKeys)
        rw.maps[p.name] = map->name;
      else {
        D.error(a->range, "macro '" + m.name + "' expects a map for " + p.name + ", got " +
                              (map ? "a map element" : got));
        ok = false;
      }
      break;
    case MacroParam::Expression:
      rw.expressions[p.name] = a;
      break;
    }
  }
  return ok;
}

bool Expansion::instantiate(const MacroDef &m, CallExpr *call, SourceRange use,
                            StmtList &body, ExprPtr &value) {
  for (size_t i = 0; i < chain_.size(); ++i)
    if (chain_[i] == m.name) {
      std::string calls;
      for (size_t j = i; j < chain_.size(); ++j)
        calls += chain_[j] + " > ";
      D.error(use, "recursive macro call: " + calls + m.name);
      return false;
    }
  if (call) {
    for (ExprPtr &a : call->args)
      expr(a); // in the caller's context, before they are inserted
    for (TypeName &t : call->typeArgs)
      type(t);
  }
  Rewrite rw;
  unsigned errors = D.errorCount();
  if (!bind(m, call, use, rw))
    return false;
  if (chain_.empty())
    rootUse_ = use;
  body = clone(m.body, rw);
  if (m.value)
    value = clone(m.value.get(), rw);
  if (D.errorCount() != errors)
    return false;
  chain_.push_back(m.name);
  stmts(body);
  if (value)
    expr(value);
  chain_.pop_back();
  return D.errorCount() == errors;
}

void Expansion::expr(ExprPtr &e) {
  if (!e)
    return;
  CallExpr *call = nullptr;
  if (const MacroDef *m = macroOf(e.get(), call)) {
    StmtList body;
    ExprPtr value;
    if (!instantiate(*m, call, e->range, body, value))
      return;
    if (!value) {
      D.error(e->range, "macro '" + m->name + "' gives no value: its body ends in a "
                        "statement (remove the ';' after its last expression)");
      return;
    }
    if (body.empty()) {
      e = std::move(value);
      return;
    }
    auto b = std::make_unique<BlockExpr>(e->range);
    b->stmts = std::move(body);
    b->value = std::move(value);
    e = std::move(b);
    return;
  }
  // Upstream's standard library makes default_str_length() and cwd() macros without
  // parameters, which a bare name calls as any such macro does (`print(cwd)`); a script's
  // own macro of that name came first, and a macro's parameter was replaced before.
  if (auto *id = as<IdentifierRef>(e.get())) {
    auto fn = lookupFunction(id->name);
    if (fn && functionInfo(*fn).kind == FunctionKind::Value && functionInfo(*fn).maxArgs == 0 &&
        functionInfo(*fn).supported) {
      auto c = std::make_unique<CallExpr>(id->range);
      c->callee = id->name;
      c->calleeRange = id->range;
      e = std::move(c);
    }
    return;
  }
  if (auto *c = as<CallExpr>(e.get())) {
    if (!c->typeArgs.empty())
      return D.error(c->typeArgsRange, "type arguments are for macros only: '" + c->callee +
                                           "' is no macro");
    if (auto f = functions_.find(c->callee); f != functions_.end())
      return inlineCall(e, *f->second);
  }
  switch (e->kind) {
  case ExprKind::Map:
    for (ExprPtr &k : static_cast<MapRef &>(*e).keys)
      expr(k);
    return;
  case ExprKind::Binary: {
    auto &b = static_cast<BinaryExpr &>(*e);
    expr(b.lhs);
    expr(b.rhs);
    return;
  }
  case ExprKind::Unary:
    expr(static_cast<UnaryExpr &>(*e).operand);
    return;
  case ExprKind::IncDec:
    expr(static_cast<IncDecExpr &>(*e).target);
    return;
  case ExprKind::Ternary: {
    auto &t = static_cast<TernaryExpr &>(*e);
    expr(t.cond);
    expr(t.thenExpr);
    expr(t.elseExpr);
    return;
  }
  case ExprKind::Call: {
    auto &c = static_cast<CallExpr &>(*e);
    if (c.typeArg)
      type(*c.typeArg);
    for (ExprPtr &a : c.args)
      expr(a);
    return;
  }
  case ExprKind::Field:
    expr(static_cast<FieldExpr &>(*e).base);
    return;
  case ExprKind::Index: {
    auto &i = static_cast<IndexExpr &>(*e);
    expr(i.base);
    expr(i.index);
    return;
  }
  case ExprKind::Cast:
    type(static_cast<CastExpr &>(*e).type);
    expr(static_cast<CastExpr &>(*e).operand);
    return;
  case ExprKind::Tuple:
    for (ExprPtr &x : static_cast<TupleExpr &>(*e).elems)
      expr(x);
    return;
  case ExprKind::Sizeof:
    type(static_cast<SizeofExpr &>(*e).type);
    typedOnly(static_cast<SizeofExpr &>(*e).operand);
    return;
  case ExprKind::Offsetof:
    type(static_cast<OffsetofExpr &>(*e).type);
    typedOnly(static_cast<OffsetofExpr &>(*e).operand);
    return;
  case ExprKind::Block: {
    auto &b = static_cast<BlockExpr &>(*e);
    stmts(b.stmts);
    expr(b.value);
    return;
  }
  default:
    return;
  }
}

void Expansion::stmt(StmtPtr &s) {
  switch (s->kind) {
  case StmtKind::Expr: {
    auto &es = static_cast<ExprStmt &>(*s);
    CallExpr *call = nullptr;
    if (const MacroDef *m = macroOf(es.expr.get(), call)) {
      auto b = std::make_unique<BlockStmt>(s->range);
      ExprPtr value;
      if (!instantiate(*m, call, es.expr->range, b->body, value))
        return;
      if (value) {
        auto v = std::make_unique<ExprStmt>(value->range);
        v->expr = std::move(value);
        b->body.push_back(std::move(v));
      }
      s = std::move(b);
      return;
    }
    expr(es.expr);
    return;
  }
  case StmtKind::AssignVar:
    expr(static_cast<AssignVarStmt &>(*s).value);
    return;
  case StmtKind::AssignMap: {
    auto &a = static_cast<AssignMapStmt &>(*s);
    for (ExprPtr &k : a.map->keys)
      expr(k);
    expr(a.value);
    return;
  }
  case StmtKind::If: {
    auto &i = static_cast<IfStmt &>(*s);
    expr(i.cond);
    stmts(i.thenBody);
    stmts(i.elseBody);
    return;
  }
  case StmtKind::Unroll: {
    auto &u = static_cast<UnrollStmt &>(*s);
    expr(u.count);
    stmts(u.body);
    return;
  }
  case StmtKind::While: {
    auto &w = static_cast<WhileStmt &>(*s);
    expr(w.cond);
    stmts(w.body);
    return;
  }
  case StmtKind::For: {
    auto &f = static_cast<ForStmt &>(*s);
    expr(f.iterable);
    expr(f.rangeEnd);
    stmts(f.body);
    return;
  }
  case StmtKind::Jump:
    expr(static_cast<JumpStmt &>(*s).value);
    return;
  case StmtKind::Block:
    stmts(static_cast<BlockStmt &>(*s).body);
    return;
  case StmtKind::VarDecl:
    type(static_cast<VarDeclStmt &>(*s).type);
    expr(static_cast<VarDeclStmt &>(*s).value);
    return;
  }
}

void Expansion::inlineCall(ExprPtr &e, const Subprog &f) {
  auto &call = static_cast<CallExpr &>(*e);
  for (size_t i = 0; i < calls_.size(); ++i)
    if (calls_[i] == f.name) {
      std::string chain;
      for (size_t j = i; j < calls_.size(); ++j)
        chain += calls_[j] + " > ";
      if (i + 1 < calls_.size())
        return D.error(call.calleeRange, recursionError(chain, f.name, nullptr));
      std::optional<RecursionRefusal> typeOnly;
      if (unevaluated_ && !(typeOnly = typeOnlySelfCall(f, call))) { // needs no copy
        typeOnlySelfCalls_.insert(f.name);
        e = typeOnlyCallValue(f, call.range);
        return;
      }
      // A call the copy did not have before its macros were expanded stays a call.
      auto [refused, _] = selfCalls_.try_emplace(
          f.name, typeOnly.value_or(
                      RecursionRefusal{call.calleeRange, "this call comes from a macro's body"}));
      if (selfCallsReported_.insert(f.name).second) // every copy has the same calls
        D.error(refused->second.where, recursionError(chain, f.name, &refused->second));
      return;
    }
  if (call.args.size() != f.params.size()) {
    D.error(call.range, "function '" + f.name + "' takes " + std::to_string(f.params.size()) +
                            " argument" + (f.params.size() == 1 ? "" : "s") + ", got " +
                            std::to_string(call.args.size()));
    D.note(f.nameRange, "function '" + f.name + "' is defined here");
    return;
  }
  std::vector<ExprPtr> args;
  for (ExprPtr &a : call.args) {
    expr(a); // in the caller's context
    args.push_back(std::move(a));
  }
  auto u = instance(f, call.range);
  u->args = std::move(args);
  e = std::move(u);
}

std::unique_ptr<UserCallExpr> Expansion::instance(const Subprog &f, SourceRange at) {
  inlined.insert(f.name);
  auto u = std::make_unique<UserCallExpr>(at);
  u->function = &f;
  for (const SubprogParam &p : f.params) {
    auto d = std::make_unique<VarDeclStmt>(p.range);
    d->var = std::make_unique<VariableRef>(p.var->range);
    d->var->name = p.var->name;
    d->hasType = true;
    d->type = cloneType(p.type, Rewrite{});
    u->params.push_back(std::move(d));
  }
  u->body = clone(f.body, Rewrite{});
  selfCalls_.erase(f.name);
  if (auto refused = loopSelfCalls(f, u->body, D))
    selfCalls_.emplace(f.name, std::move(*refused));
  calls_.push_back(f.name);
  stmts(u->body);
  calls_.pop_back();
  if (typeOnlySelfCalls_.erase(f.name))
    u->body.insert(u->body.begin(), typeOnlyCallDeclaration(f));
  return u;
}

void expandScriptMacros(Program &prog, DiagnosticEngine &diags) {
  Expansion x(diags); // even without macros: it refuses type arguments of other calls
  for (const MacroDef &m : prog.macros)
    x.define(m);
  for (const Subprog &f : prog.functions)
    x.defineFunction(f);
  // A function's body is expanded in each call's copy, so it stays as written.
  for (Probe &p : prog.probes) {
    x.expr(p.predicate);
    x.stmts(p.body);
  }
  // bpftrace checks every function, called or not: one no probe reaches is expanded
  // on its own for Sema (a function only such a one calls is also checked alone).
  std::set<std::string> reached = x.inlined;
  for (const Subprog &f : prog.functions)
    if (!reached.count(f.name))
      prog.uncalledFunctions.push_back(x.uncalled(f));
}

} // namespace bt::parse

namespace bt {

ast::Probe copyProbe(const ast::Probe &probe, std::vector<ast::AttachPoint> attachPoints,
                     DiagnosticEngine &diags) {
  parse::Expansion x(diags);
  ast::Probe c;
  c.attachPoints = std::move(attachPoints);
  c.predicate = x.copy(probe.predicate.get());
  c.body = x.copy(probe.body);
  c.range = probe.range;
  return c;
}

ast::ExprPtr copyExpr(const ast::Expr *e, DiagnosticEngine &diags) {
  parse::Expansion x(diags);
  return x.copy(e);
}

} // namespace bt
