// Name and type resolution: statements and expressions (builtins: Builtin.cpp,
// function calls: Call.cpp), and analyze(), which runs the typer (Typer.h) to a fixed point.
#include "StoredInteger.h"
#include "BtfTypes.h"
#include "CDefinitions.h"
#include "ComptimeAnswers.h"
#include "Typer.h"
#include "WholeArgs.h"
#include "bt/Target/ModuleBtf.h"

#include <filesystem>
#include <set>

namespace bt::sema {

using namespace ast;

AggKind aggregationOf(FunctionId id) {
  switch (id) {
  case FunctionId::Count: return AggKind::Count;
  case FunctionId::Sum: return AggKind::Sum;
  case FunctionId::Min: return AggKind::Min;
  case FunctionId::Max: return AggKind::Max;
  case FunctionId::Avg: return AggKind::Avg;
  case FunctionId::Stats: return AggKind::Stats;
  case FunctionId::Hist: return AggKind::Hist;
  case FunctionId::Lhist: return AggKind::Lhist;
  case FunctionId::Tseries: return AggKind::Tseries;
  default: return AggKind::None;
  }
}

void Typer::probe(size_t index) {
  const ProbeInfo &pi = R.probes[index];
  probe_ = &pi;
  scope_ = pi.scope;
  assigned_.clear();
  loopDepth_ = 0;
  if (pi.probe->predicate) {
    const Type &t = ty(expr(pi.probe->predicate.get()));
    if (!t.isNone() && !t.isInt() && !t.isPointer())
      err(pi.probe->predicate->range, "predicate must be an integer, got " + t.str());
  }
  statements(pi.probe->body);
}

void Typer::err(SourceRange r, const std::string &msg) {
  if (report_)
    D.error(r, msg);
}

TypeId Typer::record(const Expr *e, TypeId t) {
  auto &slot = R.exprTypes[e];
  if (slot != t) {
    slot = t;
    changed = true;
  }
  return t;
}

MapInfo &Typer::mapInfo(const MapRef *m) {
  for (auto &mi : R.maps)
    if (mi.name == m->name)
      return mi;
  MapInfo mi;
  mi.name = m->name;
  mi.firstUse = m->range;
  R.maps.push_back(mi);
  changed = true;
  return R.maps.back();
}

void Typer::unifyTracked(TypeId &slot, TypeId t, SourceRange r, const std::string &what) {
  TypeId before = slot;
  if (unify(R.types, slot, t)) {
    changed = changed || slot != before;
    return;
  }
  // One struct, copied from kernel memory in one place and a process's in another.
  if (R.types.declared(before) == R.types.declared(t))
    err(r, what + " holds " + ty(t).str() + " copied from " + memoryName(t) +
               " here and from " + memoryName(before) +
               " before: which memory the pointers read out of it point into would be "
               "unknown (keep the two in two variables or maps)");
  else if (ty(before).isPointer() && ty(t).isPointer() &&
           ty(before).addressSpace != ty(t).addressSpace)
    err(r, what + " holds a pointer into " + memoryName(t) + " here and into " +
               memoryName(before) + " before: its reads would use one memory's helper for "
               "both (keep the two in two variables or maps)");
  else
    err(r, "type mismatch for " + what + ": " + ty(before).str() + " and " + ty(t).str());
}

// `p += n` and `p -= n` step a pointer by n elements, as `p + n` and `p - n` do (upstream
// reads a compound assignment as its binary operation); no other operator takes one.
bool Typer::pointerStep(BinaryOp op, SourceRange r, const std::string &what, TypeId pointer) {
  if (op == BinaryOp::Add || op == BinaryOp::Sub)
    return true;
  err(r, std::string("operator '") + spelling(op) + "=' cannot take " + what + ", which holds " +
             ty(pointer).str() + ": a pointer steps with += and -= only");
  return false;
}

void Typer::unifyVariable(DeclId d, TypeId value, SourceRange r) {
  Declaration &decl = R.scopes.declaration(d);
  if (ty(decl.type).isNone() && ty(value).isInt()) {
    decl.type = value;
    changed = true;
    return;
  }
  // `let $p: T *` fixed where $p points (its value's memory, or the probe's): a pointer
  // into the other memory would be read with the wrong helper.
  const Type &held = ty(decl.type), &given = ty(value);
  if (decl.typed && held.isPointer() && given.isPointer() &&
      held.addressSpace != given.addressSpace) {
    err(r, "variable " + decl.name + ", declared a pointer into " + memoryName(decl.type) +
               ", is given a pointer into " + memoryName(value) +
               " (give it that value in its let)");
    return;
  }
  if (fitsSizedString(decl, value, r))
    unifyTracked(decl.type, value, r, "variable " + decl.name);
}

MapInfo &Typer::mapKeys(const MapRef *m) {
  std::vector<const Expr *> keyExprs;
  for (const auto &k : m->keys)
    keyExprs.push_back(k.get());
  return mapKeys(m, keyExprs);
}

MapInfo &Typer::mapKeys(const MapRef *m, const std::vector<const Expr *> &keyExprs) {
  std::vector<TypeId> keys;
  std::vector<SourceRange> keyRanges;
  for (const Expr *k : keyExprs) {
    TypeId id = expr(k);
    // A tuple as the only key (@m[$t]) is its elements as the keys (@m[a, b]), as in
    // bpftrace, where several keys are one tuple. A record stays one key (upstream
    // bpftrace's), its fields' bytes as in a variable.
    std::vector<TypeId> parts = {id};
    bool recordKey = ty(id).isNamedTuple();
    if (!recordKey && keyExprs.size() == 1 && ty(id).isRecord() &&
        ty(id).origin == RecordOrigin::Tuple) {
      parts.clear();
      for (const RecordField &f : ty(id).fields)
        parts.push_back(f.type);
      if (parts.empty()) // `@m[()]` would be a keyless map's value
        err(k->range, "an empty tuple is no map key");
    }
    for (TypeId part : parts) {
      const Type &t = ty(part);
      // A struct or union value is copied into the key as into a variable.
      bool structKey = t.isRecord() && t.origin != RecordOrigin::Tuple;
      if (structKey)
        recordValue(part, k->range, "a map key");
      else if (!recordKey && t.isArray()) // its bytes, a struct element's as a struct key's
        arrayValue(part, k->range, "a map key");
      else if (!recordKey && !t.isNone() && !t.isInt() && !t.isString() && !t.isHostText() &&
               !t.isPointer() && !t.isBuffer() && !t.isRecord())
        err(k->range, "map key must be an integer, a string, a buffer, a kstack, a ksym, a "
                      "strftime, a struct, a tuple or an array, got " + t.str());
      refuseVariableAddressIn(part, k->range, "a key of " + m->name);
      keys.push_back(part);
      keyRanges.push_back(k->range);
    }
  }
  MapInfo &mi = mapInfo(m);
  if (!mi.keysKnown) {
    mi.keysKnown = true;
    mi.keys.resize(keys.size());
    changed = true;
  } else if (mi.keys.size() != keys.size()) {
    err(m->range, "map " + m->name + " used with " + std::to_string(keys.size()) +
                      " key(s) here but " + std::to_string(mi.keys.size()) + " elsewhere");
    return mi;
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (ty(keys[i]).isInt())
      keys[i] = storedInteger(R.types, ty(keys[i]));
    unifyTracked(mi.keys[i], keys[i], keyRanges[i], "key of " + m->name);
  }
  return mi;
}

TypeId Typer::mapRead(const MapRef *m) {
  MapInfo &mi = mapKeys(m);
  if (mi.agg != AggKind::None)
    return aggregationValue(m, mi.agg);
  return mi.value;
}

void Typer::block(const StmtList &stmts) {
  auto [it, added] = R.blockScopes.try_emplace(&stmts, 0);
  if (added)
    it->second = R.scopes.add(Scope::Kind::Block, scope_);
  ScopeId outer = scope_;
  scope_ = it->second;
  statements(stmts);
  scope_ = outer;
}

void Typer::statements(const StmtList &stmts) {
  for (const auto &s : stmts)
    stmt(s.get());
}

// A `let` whose type was refused (Let.cpp's refuseDeclaration): typed with no type.
static bool refusedDeclaration(const SemaResult &R, DeclId d) {
  const Declaration &decl = R.scopes.declaration(d);
  return decl.typed && R.types.get(decl.type).isNone();
}

std::optional<DeclId> Typer::variable(const VariableRef *v) {
  std::optional<DeclId> d = R.scopes.lookup(scope_, v->name);
  if (d && refusedDeclaration(R, *d))
    return std::nullopt;
  if (!d || !assigned_.count(*d)) {
    err(v->range, "use of undefined variable " + v->name);
    return std::nullopt;
  }
  R.bindings[v] = *d;
  return d;
}

DeclId Typer::assignedVariable(const VariableRef *v) {
  std::optional<DeclId> d = R.scopes.lookup(scope_, v->name);
  if (!d)
    d = R.scopes.declare(R.scopes.probeScopeOf(scope_), v->name, R.types.none(), v->range);
  R.bindings[v] = *d;
  return *d;
}

// The functions upstream bpftrace warns about when a statement drops their value (its
// call table's discard_ret_warn): they only compute a value. `_ = f();` keeps quiet.
static bool valueOnlyFunction(const std::string &callee) {
  static const std::set<std::string> names = {
      "bswap", "buf", "cgroupid", "cgroup_path", "has_key", "kaddr", "kptr", "kstack",
      "ksym", "len", "macaddr", "nsecs", "ntop", "path", "percpu_kaddr", "pid", "pton",
      "reg", "skboutput", "str", "strcontains", "strerror", "strftime", "strncmp",
      "uaddr", "uptr", "ustack", "usym"};
  return names.count(callee) != 0;
}

void Typer::stmt(const Stmt *s) {
  switch (s->kind) {
  case StmtKind::Expr: {
    auto *es = static_cast<const ExprStmt *>(s);
    auto *call = as<CallExpr>(es->expr.get());
    if (call && aggregationOf(call) != AggKind::None) {
      err(call->range, call->callee + "() must be assigned to a map, as in @x = " +
                           call->callee + "()");
      return;
    }
    expr(es->expr.get(), /*statement=*/true);
    if (call && report_ && !es->discard && valueOnlyFunction(call->callee))
      D.warning(call->range,
                "Return value discarded for " + call->callee + ". It should be used.");
    return;
  }
  case StmtKind::AssignVar: {
    auto *a = static_cast<const AssignVarStmt *>(s);
    TypeId value = expr(a->value.get());
    const Type &t = ty(value);
    const std::string &name = a->var->name;
    if (a->compound) {
      std::optional<DeclId> d = variable(a->var.get());
      if (!d)
        return;
      if (!t.isNone() && !t.isInt())
        err(a->value->range, "compound assignment needs an integer, got " + t.str());
      else if (ty(R.scopes.declaration(*d).type).isPointer())
        pointerStep(a->op, a->range, "variable " + name, R.scopes.declaration(*d).type);
      else if (ty(R.scopes.declaration(*d).type).isNone()) // `let $x; $x += 1;`
        unifyTracked(R.scopes.declaration(*d).type, s64(), a->range, "variable " + name);
      record(a->var.get(), R.scopes.declaration(*d).type);
      return;
    }
    if (std::optional<DeclId> d = R.scopes.lookup(scope_, name); d && refusedDeclaration(R, *d))
      return;
    // A kstack, ksym or strftime value is 8 bytes (an id, an address, nanoseconds): a
    // variable holds it like an integer and keeps its type for printing.
    if (t.kind == TypeKind::Aggregation) {
      err(a->value->range, "cannot assign " + t.str() + " to a variable");
      return;
    }
    if (t.isRecord() && t.origin != RecordOrigin::Tuple &&
        !recordValue(value, a->value->range, "a variable"))
      return;
    // A variable holds a copy of an array of structs (any other array: its address).
    if (t.isArray() && copiedAsRecord(value) && !arrayValue(value, a->value->range, "a variable"))
      return;
    DeclId d = assignedVariable(a->var.get());
    Declaration &decl = R.scopes.declaration(d);
    // Upstream types a variable by its first value: `$b = true` is a bool (typeinfo
    // says so), until a value of another type is assigned to it.
    if (!decl.typed && (ty(decl.type).isNone() || decl.declaredBool))
      decl.declaredBool = upstreamBool(a->value.get());
    if (decl.typed && ty(decl.type).isInt() && (t.isInt() || t.isNone()))
      checkFitsDeclared(d, a->value.get(), value);
    else
      unifyVariable(d, value, a->range);
    assigned_.insert(d);
    record(a->var.get(), R.scopes.declaration(d).type);
    return;
  }
  case StmtKind::AssignMap: {
    auto *a = static_cast<const AssignMapStmt *>(s);
    MapInfo &mi0 = mapKeys(a->map.get());
    std::string mapName = mi0.name;
    auto *call = as<CallExpr>(a->value.get());
    AggKind agg = call ? aggregationOf(call) : AggKind::None;
    if (agg != AggKind::None) {
      if (a->compound) {
        err(a->range, "compound assignment of " + call->callee + "() is not allowed");
        return;
      }
      TypeId callType = aggregationCall(call);
      MapInfo &mi = *mapByName(mapName);
      if (mi.agg == AggKind::None && ty(mi.value).isNone()) {
        // The first assignment's sign stays the map's, as in bpftrace 0.17.
        mi.agg = agg;
        mi.value = R.types.aggregation(agg, ty(callType).isSigned || ty(callType).isNone());
        changed = true;
      } else if (mi.agg != agg) {
        err(a->range, "map " + mi.name + " is " +
                          (mi.agg == AggKind::None ? ty(mi.value).str()
                                                   : std::string(aggName(mi.agg)) + "()") +
                          " elsewhere, cannot assign " + call->callee + "() here");
        return;
      }
      if (agg == AggKind::Hist)
        histParams(call, mi);
      if (agg == AggKind::Lhist)
        lhistParams(call, mi);
      if (agg == AggKind::Tseries)
        tseriesParams(call, mi);
      return;
    }
    TypeId value = expr(a->value.get());
    // An array's bytes are copied into the value, as upstream bpftrace.
    if (ty(value).isArray() && !arrayValue(value, a->value->range, "a map value"))
      return;
    MapInfo &mi = *mapByName(mapName);
    if (mi.agg != AggKind::None) {
      err(a->range, "map " + mi.name + " holds " + aggName(mi.agg) +
                        "() elsewhere, cannot assign a value to it");
      return;
    }
    if (a->compound && !ty(value).isNone() && !ty(value).isInt()) {
      err(a->value->range, "compound assignment needs an integer, got " + ty(value).str());
      return;
    }
    if (a->compound && ty(mi.value).isPointer()) {
      if (!pointerStep(a->op, a->range, "map " + mi.name, mi.value))
        return;
      value = mi.value;
    } else if (a->compound) {
      value = s64();
    }
    const Type &t = ty(value);
    if (t.isRecord() && t.origin != RecordOrigin::Tuple &&
        !recordValue(value, a->value->range, "a map value"))
      return;
    refuseVariableAddressIn(value, a->value->range, "map " + mi.name + "'s value");
    unifyTracked(mi.value, value, a->range, "map " + mi.name);
    return;
  }
  case StmtKind::If: {
    auto *i = static_cast<const IfStmt *>(s);
    condition(i->cond.get());
    if (i->comptime) {
      // The branch not taken is neither typed nor lowered, as upstream prunes it.
      auto taken = compileTimeValue(i->cond.get());
      if (!taken) {
        err(i->cond->range, "the condition of 'if comptime' must be known at compile time" +
                                runTimeParamReason(i->cond.get()));
        return;
      }
      R.comptimeBranches[i] = *taken != 0;
      block(*taken ? i->thenBody : i->elseBody);
      return;
    }
    // Both branches are reached at compile time, as upstream's fail() and static_assert()
    // see them: only `if comptime` rules a branch out.
    block(i->thenBody);
    block(i->elseBody);
    return;
  }
  case StmtKind::Unroll: {
    // A literal, or what btc's arguments make one (unroll($1)); Lower copies the body
    // `constants[count]` times.
    auto *u = static_cast<const UnrollStmt *>(s);
    expr(u->count.get());
    auto n = compileTimeValue(u->count.get());
    std::string param = runTimeParamReason(u->count.get());
    // A count out of range is told as bpftrace tells it.
    if (n && *n > 100)
      err(u->count->range, "unroll maximum value is 100");
    else if (n && *n < 1)
      err(u->count->range, "unroll minimum value is 1");
    else if (!n)
      err(u->count->range, "unroll count must be a compile-time integer from 1 to 100" + param +
                               (param.empty() ? "" : ", or write the count"));
    else
      R.constants[u->count.get()] = *n;
    block(u->body);
    return;
  }
  case StmtKind::While: {
    auto *w = static_cast<const WhileStmt *>(s);
    condition(w->cond.get());
    ++loopDepth_;
    block(w->body);
    --loopDepth_;
    return;
  }
  case StmtKind::Jump: {
    auto *j = static_cast<const JumpStmt *>(s);
    if (j->jump != JumpKind::Return && loopDepth_ == 0)
      err(j->range, std::string(j->jump == JumpKind::Break ? "break" : "continue") +
                        " outside a while loop");
    if (j->jump == JumpKind::Return && !functions_.empty())
      return functionReturn(j);
    if (j->value)
      testResult(j);
    return;
  }
  case StmtKind::Block:
    block(static_cast<const BlockStmt *>(s)->body);
    return;
  case StmtKind::For:
    forLoop(static_cast<const ForStmt *>(s));
    return;
  case StmtKind::VarDecl:
    varDecl(static_cast<const VarDeclStmt *>(s));
    return;
  }
}

MapInfo *Typer::mapByName(const std::string &name) {
  for (auto &mi : R.maps)
    if (mi.name == name)
      return &mi;
  return nullptr;
}

// A test probe's `return N`: a non-zero N fails the test (btrun --test). Other probes'
// return values mean nothing to the kernel that runs them.
void Typer::testResult(const JumpStmt *j) {
  if (!probe_ || probe_->type != ProbeType::Test) {
    err(j->value->range, "returning a value from a probe is not supported yet (a test "
                         "probe's value is its result)");
    return;
  }
  if (loopDepth_ > 0) {
    err(j->value->range, "returning a test's result from inside a loop is not supported yet");
    return;
  }
  const Type &t = ty(expr(j->value.get()));
  if (!t.isNone() && !t.isInt())
    err(j->value->range, "a test probe returns an integer (non-zero: failed), got " + t.str());
}

void Typer::condition(const Expr *e) {
  const Type &t = ty(expr(e));
  if (!t.isNone() && !t.isInt() && !t.isPointer())
    err(e->range, "condition must be an integer, got " + t.str());
}

TypeId Typer::expr(const Expr *e, bool statement) {
  return record(e, exprUncached(e, statement));
}

TypeId Typer::exprUncached(const Expr *e, bool statement) {
  switch (e->kind) {
  case ExprKind::Integer: {
    auto *i = static_cast<const IntegerLit *>(e);
    return R.types.integer(8, i->value <= (uint64_t)INT64_MAX);
  }
  case ExprKind::String:
    return R.types.string(static_cast<const StringLit *>(e)->value.size() + 1);
  case ExprKind::Builtin: {
    auto *b = static_cast<const BuiltinRef *>(e);
    TypeId t = builtin(b);
    if (ty(t).kind != TypeKind::TracepointArgs)
      return t;
    // `args;` alone is a value nothing reads (upstream's test of a probe over raw
    // tracepoints and fentry): no record is made, so the attach points' arguments need
    // not agree, and Lower emits nothing for it.
    if (statement)
      return t;
    // `args` as a value: field() types `args.name`'s base without coming here.
    ArgsTyping typing{R, *probe_, [this](const Expr *x) { return expr(x); },
                      [this](SourceRange r, const std::string &m) { err(r, m); },
                      [this](TypeId id, SourceRange r, const std::string &use) {
                        return recordValue(id, r, use);
                      },
                      [this](const Attachment &a, SourceRange r) { return prototypeOf(a, r); }};
    return wholeArgs(typing, b);
  }
  case ExprKind::Variable: {
    std::optional<DeclId> d = variable(static_cast<const VariableRef *>(e));
    return d ? R.scopes.declaration(*d).type : R.types.none();
  }
  case ExprKind::Map: {
    auto *m = static_cast<const MapRef *>(e);
    return mapRead(m);
  }
  case ExprKind::Binary:
    return binary(static_cast<const BinaryExpr *>(e));
  case ExprKind::Unary: {
    auto *u = static_cast<const UnaryExpr *>(e);
    if (u->op == UnaryOp::Deref || u->op == UnaryOp::AddressOf)
      return derefOrAddress(u);
    const Type &t = ty(expr(u->operand.get()));
    if (t.isNone())
      return R.types.none();
    if (u->op == UnaryOp::LogicalNot && t.isPointer())
      return u64();
    if (!t.isInt()) {
      err(u->range, std::string("operator '") + spelling(u->op) + "' cannot take " + t.str());
      return R.types.none();
    }
    if (u->op == UnaryOp::LogicalNot)
      return u64();
    if (u->op == UnaryOp::Neg)
      return s64();
    return R.types.integer(8, t.isSigned);
  }
  case ExprKind::IncDec: {
    auto *i = static_cast<const IncDecExpr *>(e);
    if (auto *v = as<VariableRef>(i->target.get())) {
      std::optional<DeclId> d = variable(v);
      if (!d)
        return R.types.none();
      if (ty(R.scopes.declaration(*d).type).isNone()) // `let $x; $x++;`
        unifyTracked(R.scopes.declaration(*d).type, s64(), i->range, "variable " + v->name);
      TypeId t = R.scopes.declaration(*d).type;
      record(v, t);
      // A pointer steps by its element's size, as `$p + 1` does (upstream's).
      if (!ty(t).isNone() && !ty(t).isInt() && !ty(t).isPointer())
        err(i->range, "'++'/'--' need an integer or pointer variable, " + v->name + " is " +
                          ty(t).str());
      return t;
    }
    if (auto *m = as<MapRef>(i->target.get())) {
      MapInfo &mi = mapKeys(m);
      if (mi.agg != AggKind::None) {
        err(i->range, "'++'/'--' on a " + std::string(aggName(mi.agg)) + "() map");
        return R.types.none();
      }
      // A map holding a pointer steps it by its element's size, as a variable's does.
      if (!ty(mi.value).isPointer())
        unifyTracked(mi.value, s64(), i->range, "map " + mi.name);
      record(m, mi.value);
      return mi.value;
    }
    err(i->range, "'++'/'--' need a variable or a map");
    return R.types.none();
  }
  case ExprKind::Ternary:
    return ternary(static_cast<const TernaryExpr *>(e), statement);
  case ExprKind::Call:
    return call(static_cast<const CallExpr *>(e), statement);
  case ExprKind::Field:
    return field(static_cast<const FieldExpr *>(e));
  case ExprKind::Cast:
    return cast(static_cast<const CastExpr *>(e));
  case ExprKind::Tuple:
    return tuple(static_cast<const TupleExpr *>(e));
  case ExprKind::Identifier:
    return enumConstant(static_cast<const IdentifierRef *>(e));
  case ExprKind::PositionalParam: {
    auto *p = static_cast<const PositionalParamRef *>(e);
    if (R.options.positionalArgs) {
      boundParam(p);
      return p->isCount ? u64() : s64();
    }
    if (p->isCount) {
      R.params.count = true;
      return u64();
    }
    R.params.asInt.insert(p->index);
    return s64();
  }
  case ExprKind::Index:
    return index(static_cast<const IndexExpr *>(e));
  case ExprKind::Sizeof:
    return sizeOf(static_cast<const SizeofExpr *>(e));
  case ExprKind::Offsetof:
    return offsetOf(static_cast<const OffsetofExpr *>(e));
  case ExprKind::Block:
    return blockExpr(static_cast<const BlockExpr *>(e), statement);
  case ExprKind::UserCall:
    return userCall(static_cast<const UserCallExpr *>(e), statement);
  }
  return R.types.none();
}

} // namespace bt::sema

namespace bt {
namespace {

using namespace ast;

// `#define` and `#undef`, which the parser has acted on (object-like macros are
// expanded; function-like ones, as in bpftrace, never are).
bool isMacroDirective(const std::string &text) {
  size_t i = text.find_first_not_of(" \t#");
  return i != std::string::npos &&
         (text.compare(i, 6, "define") == 0 || text.compare(i, 5, "undef") == 0);
}

// `#pragma`: clang's, in the script's C as bpftrace 0.17 passes it (`#pragma pack(1)`
// lays out the structs defined after it; `#pragma once` does nothing in the script).
bool isPragma(const std::string &text) {
  size_t i = text.find_first_not_of(" \t#");
  return i != std::string::npos && text.compare(i, 6, "pragma") == 0 &&
         (i + 6 == text.size() || text[i + 6] == ' ' || text[i + 6] == '\t');
}

// Where a quoted #include looks: the current directory, as bpftrace's C (a file of the
// current directory to clang) finds it, then beside each script whose C it is (an
// imported script's beside it, as its imports are).
std::vector<std::string> quotedIncludeDirs(const std::vector<const Preamble *> &c,
                                           const SemaOptions &options) {
  std::vector<std::string> dirs{"."};
  std::set<uint32_t> files;
  for (const Preamble *p : c) {
    uint32_t file = p->range.begin.file;
    // -e and standard input ("stdin") have no directory but the current one.
    if (!files.insert(file).second || file >= options.sourceNames.size())
      continue;
    std::filesystem::path dir = std::filesystem::path(options.sourceNames[file]).parent_path();
    dirs.push_back(dir.empty() ? "." : dir.string());
  }
  return dirs;
}

} // namespace

std::optional<SemaResult> analyze(const ast::Program &program, const TargetInfo &target,
                                  const SemaOptions &options, DiagnosticEngine &diags) {
  SemaResult result;
  result.options = options;
  result.arch = target.arch();
  result.targetName = target.name();
  // Several targets type the script with the first one's BTF that has one (the others
  // are checked after): messages name that one.
  const TargetInfo *btfTarget = &target;
  for (const TargetInfo *member : target.members())
    if (member->btfPath()) {
      btfTarget = member;
      break;
    }
  // A --btf file replaces the description's BTF files, its modules' with them.
  result.btf = std::make_shared<sema::BtfTypes>(
      options.btfFile.empty() ? target.btfPath().value_or("") : options.btfFile,
      options.btfFile.empty() ? btfTarget->name() : "BTF file '" + options.btfFile + "'",
      options.btfFile.empty() ? moduleBtfFiles(target) : std::map<std::string, std::string>{});
  // The script's C for clang: #include, C definitions and #define lines (the
  // parser expanded the last in the script; clang needs them for the C).
  std::vector<const Preamble *> c;
  bool hasC = false;
  for (const auto &pre : program.preamble) {
    if (pre.kind == Preamble::Define && (isMacroDirective(pre.text) || isPragma(pre.text))) {
      c.push_back(&pre);
      continue;
    }
    if (pre.kind == Preamble::Config) {
      sema::applyConfig(pre, result, diags);
      continue;
    }
    if (pre.kind == Preamble::Include || pre.kind == Preamble::CDefinition) {
      c.push_back(&pre);
      hasC = true;
      continue;
    }
    diags.error(pre.range, "this preprocessor directive is not supported yet");
  }
  sema::applyObjectLicences(sema::applySpdxLicense(program, result, diags), result, diags);
  sema::checkUnstableDeclarations(program, result, diags);
  if (hasC) {
    sema::CDefinitions::Options co;
    co.triple = target.arch().name + "-linux-gnu";
    co.includeDirs = options.includeDirs;
    co.quoteDirs = quotedIncludeDirs(c, options);
    co.kernelSource = options.kernelSource;
    co.kernelBuild = options.kernelBuild;
    co.kernelRelease = target.kernelRelease();
    if (!result.btf->path().empty())
      co.defines.push_back("BPFTRACE_HAVE_BTF");
    auto cdefs = sema::CDefinitions::parse(c, co, result.btf.get(), diags);
    if (!cdefs)
      return std::nullopt;
    result.cdefs = std::move(cdefs);
  }
  for (const auto &fn : program.functions)
    if (lookupFunction(fn.name))
      diags.error(fn.nameRange, "function '" + fn.name + "' has the name of a builtin function");
  // bpftrace refuses an empty script too; btrun would wait for nothing.
  if (program.probes.empty() && !diags.hasErrors())
    diags.error({{1, 1}, {1, 1}}, "the script has no probes");
  bool ok = !diags.hasErrors();
  for (const auto &written : program.probes) {
    for (const ast::Probe *probe : sema::probesByKind(written, target, result, diags)) {
      ProbeInfo pi;
      if (!sema::expandProbe(*probe, target, diags, pi, result.options.missingProbes) ||
          !sema::checkTracingTargets(pi, target, *result.btf, diags,
                                        result.options.missingProbes) ||
          !sema::checkBannedKretprobes(pi, diags)) {
        ok = false;
        continue;
      }
      if (pi.attachments.empty()) // missing_probes = warn|ignore left out all it named
        continue;
      result.probes.push_back(std::move(pi));
    }
  }
  if (ok)
    sema::checkIterProbes(result, diags);
  if (!ok || diags.hasErrors())
    return std::nullopt;
  for (ProbeInfo &pi : result.probes)
    pi.scope = result.scopes.add(Scope::Kind::Probe, std::nullopt);
  sema::ComptimeAnswers comptime;
  for (int pass = 0; pass < 8; ++pass) {
    sema::Typer typer(result, diags, false);
    for (size_t i = 0; i < result.probes.size(); ++i)
      typer.probe(i);
    comptime.note(result.comptimeBranches);
    if (!typer.changed)
      break;
  }
  sema::Typer typer(result, diags, true);
  for (size_t i = 0; i < result.probes.size(); ++i)
    typer.probe(i);
  comptime.note(result.comptimeBranches);
  comptime.reportChanged(diags);
  // After another error (@m = unknown_function()) this one would only repeat it.
  bool earlierErrors = diags.hasErrors();
  for (const auto &mi : result.maps)
    if (result.types.get(mi.value).isNone() && mi.agg == AggKind::None && !earlierErrors)
      diags.error(mi.firstUse, "map " + mi.name + " is never assigned a value");
  std::set<std::string> functionMaps =
      sema::checkUnemitted(program, result, diags);
  if (!diags.hasErrors())
    sema::applyMapDeclarations(program, result, functionMaps, diags);
  if (!diags.hasErrors())
    sema::checkKernelTypesOnTargets(result, target, diags);
  if (diags.hasErrors())
    return std::nullopt;
  sema::scriptEnumNames(result);
  return result;
}

} // namespace bt
