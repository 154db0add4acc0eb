// Copies of a macro's or function's body for one use (Expansion's clone): each node
// copied with the use's rewrite applied (parameters replaced by the arguments, the
// body's own variables renamed apart, type parameters by the type arguments); an
// empty rewrite copies a tree as it is.
#include "MacroExpansion.h"

#include "bt/Basic/Builtins.h"

namespace bt::parse {

using namespace ast;

namespace {
template <class T> std::unique_ptr<T> copyBase(const T &n) {
  return std::make_unique<T>(n.range);
}
} // namespace

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

} // namespace bt::parse
