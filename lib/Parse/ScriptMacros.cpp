// Expansion of bpftrace macros (`macro name(params) { ... }`), as bpftrace 0.24+
// does it: semantic-aware text replacement, hygienic.
// The rules (uses, parameter kinds, hygiene, values) are docs/LANGUAGE.md's "Macros";
// MacroTypeParams.cpp puts in the types a call's `name[type, ...]` gives.
// Expanded nodes keep the macro body's source ranges, so an error inside one
// points at the macro's text.
// Calls of user-defined functions (`fn f(...)`) are inlined by the same walk: each
// becomes a UserCallExpr with its own copy of the body (no renaming: Sema gives the
// body a scope of its own). A function may call another; its calls of itself become a
// loop in each copy where they can (TailRecursion.cpp): BPF has no recursion.
#include "Parser.h"

#include "bt/Basic/Builtins.h"

#include <map>
#include <set>

namespace bt::parse {
namespace {

using namespace ast;

// How one expansion rewrites the body; an empty one copies a tree as it is.
struct Rewrite {
  const MacroDef *macro = nullptr;
  std::string suffix;                                  // ".NAME.N"
  std::map<std::string, std::string> variables;        // $param -> the caller's $var
  std::map<std::string, const Expr *> expressions;     // $param or param -> argument
  std::map<std::string, std::string> maps;             // @param -> the caller's @map
  std::map<std::string, const TypeName *> types;       // type param -> type argument
};

class Expansion {
public:
  explicit Expansion(DiagnosticEngine &d) : D(d) {}

  bool define(const MacroDef &m) { return defineMacro(macros_[m.name], m, D); }

  bool defineFunction(const Subprog &f) {
    auto [it, added] = functions_.emplace(f.name, &f);
    if (!added) {
      D.error(f.nameRange, "function '" + f.name + "' is defined twice");
      D.note(it->second->nameRange, "first defined here");
    }
    return added;
  }

  void stmts(StmtList &l) {
    for (StmtPtr &s : l)
      stmt(s);
  }

  void expr(ExprPtr &e);
  void stmt(StmtPtr &s);
  void typedOnly(ExprPtr &e) { // a sizeof's or typeof's expression
    ++unevaluated_;
    expr(e);
    --unevaluated_;
  }

  // A tree as it is (copyProbe).
  ExprPtr copy(const Expr *e) { return clone(e, Rewrite{}); }
  StmtList copy(const StmtList &l) { return clone(l, Rewrite{}); }

private:
  DiagnosticEngine &D;
  std::map<std::string, std::vector<const MacroDef *>> macros_;
  std::vector<std::string> chain_; // the macros being expanded, outermost first
  // Where the outermost macro call being expanded is written: the place the `file` and
  // `line` builtins of its body (and of the macros it calls) name, as upstream's do.
  SourceRange rootUse_;
  unsigned expansions_ = 0;
  std::map<std::string, const Subprog *> functions_;
  std::vector<std::string> calls_; // the functions being inlined, outermost first
  std::map<std::string, RecursionRefusal> selfCalls_; // why f's calls of f stay calls
  std::set<std::string> selfCallsReported_;
  unsigned unevaluated_ = 0;              // inside a sizeof's or typeof's expression
  std::set<std::string> typeOnlySelfCalls_; // functions whose copy needs typeOnlyCallValue

public:
  std::set<std::string> inlined; // every function some call was inlined for
  // A function no probe calls, on its own (no arguments), for Sema to check.
  std::unique_ptr<UserCallExpr> uncalled(const Subprog &f) {
    calls_.clear();
    return instance(f, f.nameRange);
  }

private:

  // `e`, a call of `f`, as a UserCallExpr; unchanged after reporting a misuse.
  void inlineCall(ExprPtr &e, const Subprog &f);
  // f's parameters and a copy of its body, expanded, as a call of f would have them.
  std::unique_ptr<UserCallExpr> instance(const Subprog &f, SourceRange at);

  // The macro `e` uses, and its call (null for a bare name); null when it uses none.
  const MacroDef *macroOf(Expr *e, CallExpr *&call);
  // The rewrite of one use; false after reporting a mismatch.
  bool bind(const MacroDef &m, CallExpr *call, SourceRange use, Rewrite &rw);
  // The body of `m` for one use, rewritten and itself expanded.
  bool instantiate(const MacroDef &m, CallExpr *call, SourceRange use,
                   StmtList &body, ExprPtr &value);

  ExprPtr clone(const Expr *e, const Rewrite &rw);
  StmtPtr clone(const Stmt *s, const Rewrite &rw);
  StmtList clone(const StmtList &l, const Rewrite &rw) {
    StmtList out;
    for (const auto &s : l)
      if (StmtPtr c = clone(s.get(), rw))
        out.push_back(std::move(c));
    return out;
  }
  // A type with its typeof(e) copied too: each use of a macro types its own e.
  // A type parameter's use is the call's type argument, whose typeof(e) is the caller's.
  TypeName cloneType(const TypeName &t, const Rewrite &rw) {
    TypeName c = t;
    const TypeName *arg = nullptr;
    if (!substituteTypeParam(c, rw.types, D, arg))
      return c;
    if (c.typeofExpr)
      c.typeofExpr = clone(c.typeofExpr.get(), arg ? Rewrite{} : rw);
    return c;
  }
  // The macros and inlined functions a `typeof(e)` uses, expanded in a copy of e (the
  // TypeName's copies share the original).
  void type(TypeName &t) {
    if (!t.typeofExpr)
      return;
    ExprPtr e = clone(t.typeofExpr.get(), Rewrite{});
    typedOnly(e);
    t.typeofExpr = std::move(e);
  }
  std::unique_ptr<VariableRef> assignedVariable(const VariableRef *v, const Rewrite &rw);
  std::unique_ptr<MapRef> cloneMap(const MapRef *m, const Rewrite &rw);
};

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

// ------------------------------------------------------------------ copying

template <class T> std::unique_ptr<T> copyBase(const T &n) {
  return std::make_unique<T>(n.range);
}

std::unique_ptr<VariableRef> Expansion::assignedVariable(const VariableRef *v,
                                                         const Rewrite &rw) {
  auto c = std::make_unique<VariableRef>(v->range);
  c->name = v->name;
  if (!rw.macro)
    return c;
  if (rw.expressions.count(v->name)) {
    D.error(v->range, "macro '" + rw.macro->name + "' assigns its parameter " + v->name +
                          ", which was given an expression, not a variable");
    return c;
  }
  auto it = rw.variables.find(v->name);
  c->name = it != rw.variables.end() ? it->second : v->name + rw.suffix;
  return c;
}

std::unique_ptr<MapRef> Expansion::cloneMap(const MapRef *m, const Rewrite &rw) {
  auto c = std::make_unique<MapRef>(m->range);
  c->name = m->name;
  c->hasKeys = m->hasKeys;
  for (const auto &k : m->keys)
    c->keys.push_back(clone(k.get(), rw));
  if (!rw.macro)
    return c;
  auto it = rw.maps.find(m->name);
  if (it != rw.maps.end())
    c->name = it->second;
  else
    D.error(m->range, "macro '" + rw.macro->name + "' uses the map " + m->name +
                          ", which is none of its parameters (a macro's maps are passed "
                          "to it, as in macro f(@m))");
  return c;
}

ExprPtr Expansion::clone(const Expr *e, const Rewrite &rw) {
  if (!e)
    return nullptr;
  static const Rewrite none;
  switch (e->kind) {
  case ExprKind::Integer: {
    auto &i = static_cast<const IntegerLit &>(*e);
    auto c = copyBase(i);
    c->value = i.value;
    c->text = i.text;
    return c;
  }
  case ExprKind::String: {
    auto c = copyBase(static_cast<const StringLit &>(*e));
    c->value = static_cast<const StringLit &>(*e).value;
    return c;
  }
  case ExprKind::Builtin: {
    auto c = copyBase(static_cast<const BuiltinRef &>(*e));
    c->name = static_cast<const BuiltinRef &>(*e).name;
    auto use = lookupBuiltin(c->name);
    if (rw.macro && use && (use->id == BuiltinId::File || use->id == BuiltinId::Line))
      c->range = rootUse_;
    return c;
  }
  case ExprKind::Identifier: {
    auto &id = static_cast<const IdentifierRef &>(*e);
    if (rw.macro)
      if (auto it = rw.expressions.find(id.name); it != rw.expressions.end())
        return clone(it->second, none);
    auto c = copyBase(id);
    c->name = id.name;
    return c;
  }
  case ExprKind::Variable: {
    auto &v = static_cast<const VariableRef &>(*e);
    if (rw.macro)
      if (auto it = rw.expressions.find(v.name); it != rw.expressions.end())
        return clone(it->second, none);
    return assignedVariable(&v, rw);
  }
  case ExprKind::PositionalParam: {
    auto &p = static_cast<const PositionalParamRef &>(*e);
    auto c = copyBase(p);
    c->index = p.index;
    c->isCount = p.isCount;
    return c;
  }
  case ExprKind::Map:
    return cloneMap(static_cast<const MapRef *>(e), rw);
  case ExprKind::Binary: {
    auto &b = static_cast<const BinaryExpr &>(*e);
    auto c = std::make_unique<BinaryExpr>(b.range, b.op);
    c->lhs = clone(b.lhs.get(), rw);
    c->rhs = clone(b.rhs.get(), rw);
    c->opRange = b.opRange;
    return c;
  }
  case ExprKind::Unary: {
    auto &u = static_cast<const UnaryExpr &>(*e);
    auto c = std::make_unique<UnaryExpr>(u.range, u.op);
    c->operand = clone(u.operand.get(), rw);
    return c;
  }
  case ExprKind::IncDec: {
    auto &i = static_cast<const IncDecExpr &>(*e);
    auto c = copyBase(i);
    c->increment = i.increment;
    c->prefix = i.prefix;
    if (auto *v = as<VariableRef>(i.target.get()))
      c->target = assignedVariable(v, rw);
    else
      c->target = clone(i.target.get(), rw);
    return c;
  }
  case ExprKind::Ternary: {
    auto &t = static_cast<const TernaryExpr &>(*e);
    auto c = copyBase(t);
    c->cond = clone(t.cond.get(), rw);
    c->thenExpr = clone(t.thenExpr.get(), rw);
    c->elseExpr = clone(t.elseExpr.get(), rw);
    return c;
  }
  case ExprKind::Call: {
    auto &k = static_cast<const CallExpr &>(*e);
    auto c = copyBase(k);
    c->callee = k.callee;
    c->calleeRange = k.calleeRange;
    for (const TypeName &t : k.typeArgs)
      c->typeArgs.push_back(cloneType(t, rw));
    c->typeArgsRange = k.typeArgsRange;
    if (k.typeArg) {
      // typeinfo(e) in a macro whose parameter is e: parsed as a type's name, it is
      // that argument (upstream's meta.bt writes `typeinfo(expr)`).
      const TypeName &t = *k.typeArg;
      auto param = rw.macro && !t.typeofExpr && t.pointerDepth == 0 && t.arraySize < 0 &&
                           !namesUpstreamBuiltinType(t.name)
                       ? rw.expressions.find(t.name)
                       : rw.expressions.end();
      if (param != rw.expressions.end())
        c->args.push_back(clone(param->second, none));
      else
        c->typeArg = std::make_shared<TypeName>(cloneType(t, rw));
    }
    for (const auto &a : k.args)
      c->args.push_back(clone(a.get(), rw));
    return c;
  }
  case ExprKind::Field: {
    auto &f = static_cast<const FieldExpr &>(*e);
    auto c = copyBase(f);
    c->base = clone(f.base.get(), rw);
    c->field = f.field;
    c->arrow = f.arrow;
    c->fieldRange = f.fieldRange;
    return c;
  }
  case ExprKind::Index: {
    auto &i = static_cast<const IndexExpr &>(*e);
    auto c = copyBase(i);
    c->base = clone(i.base.get(), rw);
    c->index = clone(i.index.get(), rw);
    return c;
  }
  case ExprKind::Cast: {
    auto &k = static_cast<const CastExpr &>(*e);
    auto c = copyBase(k);
    c->type = cloneType(k.type, rw);
    c->operand = clone(k.operand.get(), rw);
    return c;
  }
  case ExprKind::Tuple: {
    auto &t = static_cast<const TupleExpr &>(*e);
    auto c = copyBase(t);
    c->names = t.names;
    for (const auto &x : t.elems)
      c->elems.push_back(clone(x.get(), rw));
    return c;
  }
  case ExprKind::Sizeof: {
    auto &s = static_cast<const SizeofExpr &>(*e);
    auto c = copyBase(s);
    c->ofType = s.ofType;
    c->type = cloneType(s.type, rw);
    c->operand = clone(s.operand.get(), rw);
    return c;
  }
  case ExprKind::Offsetof: {
    auto &o = static_cast<const OffsetofExpr &>(*e);
    auto c = copyBase(o);
    c->type = cloneType(o.type, rw);
    c->operand = clone(o.operand.get(), rw);
    c->fieldPath = o.fieldPath;
    return c;
  }
  case ExprKind::Block: {
    auto &b = static_cast<const BlockExpr &>(*e);
    auto c = copyBase(b);
    c->stmts = clone(b.stmts, rw);
    c->value = clone(b.value.get(), rw);
    return c;
  }
  case ExprKind::UserCall: {
    auto &u = static_cast<const UserCallExpr &>(*e);
    auto c = copyBase(u);
    c->function = u.function;
    for (const auto &a : u.args)
      c->args.push_back(clone(a.get(), rw));
    for (const auto &p : u.params)
      c->params.emplace_back(static_cast<VarDeclStmt *>(clone(p.get(), Rewrite{}).release()));
    c->body = clone(u.body, Rewrite{});
    return c;
  }
  }
  return nullptr;
}

StmtPtr Expansion::clone(const Stmt *s, const Rewrite &rw) {
  switch (s->kind) {
  case StmtKind::Expr: {
    auto c = copyBase(static_cast<const ExprStmt &>(*s));
    c->expr = clone(static_cast<const ExprStmt &>(*s).expr.get(), rw);
    c->discard = static_cast<const ExprStmt &>(*s).discard;
    return c;
  }
  case StmtKind::AssignVar: {
    auto &a = static_cast<const AssignVarStmt &>(*s);
    auto c = copyBase(a);
    c->var = assignedVariable(a.var.get(), rw);
    c->compound = a.compound;
    c->op = a.op;
    c->value = clone(a.value.get(), rw);
    return c;
  }
  case StmtKind::AssignMap: {
    auto &a = static_cast<const AssignMapStmt &>(*s);
    auto c = copyBase(a);
    c->map = cloneMap(a.map.get(), rw);
    c->compound = a.compound;
    c->op = a.op;
    c->value = clone(a.value.get(), rw);
    return c;
  }
  case StmtKind::If: {
    auto &i = static_cast<const IfStmt &>(*s);
    auto c = copyBase(i);
    c->cond = clone(i.cond.get(), rw);
    c->thenBody = clone(i.thenBody, rw);
    c->elseBody = clone(i.elseBody, rw);
    c->hasElse = i.hasElse;
    c->comptime = i.comptime;
    return c;
  }
  case StmtKind::Unroll: {
    auto &u = static_cast<const UnrollStmt &>(*s);
    auto c = copyBase(u);
    c->count = clone(u.count.get(), rw);
    c->body = clone(u.body, rw);
    return c;
  }
  case StmtKind::While: {
    auto &w = static_cast<const WhileStmt &>(*s);
    auto c = copyBase(w);
    c->cond = clone(w.cond.get(), rw);
    c->body = clone(w.body, rw);
    return c;
  }
  case StmtKind::For: {
    auto &f = static_cast<const ForStmt &>(*s);
    auto c = copyBase(f);
    c->var = assignedVariable(f.var.get(), rw);
    c->iterable = clone(f.iterable.get(), rw);
    c->rangeEnd = clone(f.rangeEnd.get(), rw);
    c->body = clone(f.body, rw);
    return c;
  }
  case StmtKind::Jump: {
    auto &j = static_cast<const JumpStmt &>(*s);
    auto c = std::make_unique<JumpStmt>(j.range, j.jump);
    c->value = clone(j.value.get(), rw);
    return c;
  }
  case StmtKind::Block: {
    auto c = copyBase(static_cast<const BlockStmt &>(*s));
    c->body = clone(static_cast<const BlockStmt &>(*s).body, rw);
    return c;
  }
  case StmtKind::VarDecl: {
    auto &v = static_cast<const VarDeclStmt &>(*s);
    auto c = copyBase(v);
    if (rw.macro && (rw.variables.count(v.var->name) || rw.expressions.count(v.var->name))) {
      D.error(v.var->range, "'let " + v.var->name + "' shadows a parameter of macro '" +
                                rw.macro->name + "'");
      return c;
    }
    c->var = assignedVariable(v.var.get(), rw);
    c->hasType = v.hasType;
    c->type = cloneType(v.type, rw);
    c->value = clone(v.value.get(), rw);
    return c;
  }
  }
  return nullptr;
}

} // namespace

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
