// User-defined functions (`fn name($a: int64, ...): type { ... }`, upstream bpftrace
// 0.23+), inlined at each call: the parser gives every call its own copy of the body
// (ast::UserCallExpr), typed here in a scope of its own, whose only names are the
// parameters and the body's variables. The parameters are `let` declarations with
// the parameter's type, given the arguments (evaluated in the caller's scope) as a
// `let` is given its value; `return e` is an assignment to the call's result, a
// declaration of that type. A function may use maps and the builtins that do not read
// the probe (pid, comm, nsecs, ...), but not args, retval, argN, ctx, func, probe or
// reg(), as in bpftrace; `break`/`continue` reach no loop outside it, `return` leaves
// its loops.
// A function no probe calls is typed once on its own, without arguments or a probe
// (uncalledFunction): bpftrace checks every function, and refuses there what reads a
// probe (args, retval, argN, ctx, func, probe, reg(), ...).
#include "Typer.h"

namespace bt::sema {

using namespace ast;

namespace {

// Whether every way through `body` ends in a `return`. Of an `if comptime`, only the
// branch its condition picked (`comptime`, typed) is compiled, as upstream prunes the other.
bool alwaysReturns(const StmtList &body,
                   const std::unordered_map<const IfStmt *, bool> &comptime) {
  if (body.empty())
    return false;
  const Stmt *last = body.back().get();
  if (auto *j = as<JumpStmt>(last))
    return j->jump == JumpKind::Return;
  if (auto *i = as<IfStmt>(last)) {
    if (auto taken = comptime.find(i); taken != comptime.end())
      return alwaysReturns(taken->second ? i->thenBody : i->elseBody, comptime);
    return i->hasElse && alwaysReturns(i->thenBody, comptime) &&
           alwaysReturns(i->elseBody, comptime);
  }
  if (auto *b = as<BlockStmt>(last))
    return alwaysReturns(b->body, comptime);
  return false;
}

bool returnsNothing(const TypeName &t) { return t.name == "void" && t.pointerDepth == 0; }

} // namespace

std::optional<DeclId> Typer::functionResult(const UserCallExpr *c, ScopeId body) {
  const TypeName &t = c->function->returnType;
  if (returnsNothing(t))
    return std::nullopt;
  const Scope &scope = R.scopes.scope(body);
  if (auto it = scope.names.find(kReturnValueName); it != scope.names.end())
    return it->second;
  std::optional<TypeId> type = declaredType(t);
  if (!type)
    return std::nullopt;
  DeclId d = R.scopes.declare(body, kReturnValueName, *type, t.range);
  Declaration &decl = R.scopes.declaration(d);
  decl.name = "the return value of " + c->function->name;
  decl.typed = true;
  decl.declaredBool = t.name == "bool";
  changed = true;
  return d;
}

TypeId Typer::userCall(const UserCallExpr *c, bool statement) {
  const Subprog &f = *c->function;
  std::vector<TypeId> args;
  for (const ExprPtr &a : c->args)
    args.push_back(expr(a.get()));

  auto [it, added] = R.blockScopes.try_emplace(&c->body, 0);
  if (added)
    it->second = R.scopes.add(Scope::Kind::Probe, std::nullopt);
  ScopeId outer = scope_;
  int outerLoops = loopDepth_;
  scope_ = it->second;
  loopDepth_ = 0;
  FunctionFrame frame{&f, functionResult(c, it->second)};
  for (size_t i = 0; i < c->params.size(); ++i) {
    const VarDeclStmt *p = c->params[i].get();
    varDecl(p);
    auto bound = R.bindings.find(p->var.get());
    if (bound == R.bindings.end() || i >= args.size()) // no arguments: uncalledFunction
      continue;
    const Type &want = ty(R.scopes.declaration(bound->second).type), &got = ty(args[i]);
    if (got.isNone() || want.isNone())
      continue;
    if (want.isInt() != got.isInt() || want.isString() != got.isString())
      err(c->args[i]->range, "function '" + f.name + "' takes " + spelling(p->type) + " for " +
                                 p->var->name + ", got " + got.str());
    else if (want.isInt())
      checkFitsDeclared(bound->second, c->args[i].get(), args[i]);
  }
  functions_.push_back(frame);
  statements(c->body);
  functions_.pop_back();
  loopDepth_ = outerLoops;
  scope_ = outer;

  if (returnsNothing(f.returnType)) {
    if (!statement)
      err(c->range, "function '" + f.name + "' returns no value (it has no return type)");
    return R.types.none();
  }
  if (!alwaysReturns(c->body, R.comptimeBranches))
    err(f.nameRange, "function '" + f.name + "' must end in a return statement (it returns " +
                         spelling(f.returnType) + ")");
  return frame.result ? R.scopes.declaration(*frame.result).type : R.types.none();
}

void Typer::uncalledFunction(const UserCallExpr *c) {
  probe_ = nullptr;
  assigned_.clear();
  loopDepth_ = 0;
  userCall(c, /*statement=*/true);
}

// bpftrace compiles a function once, apart from the probes that call it, so what reads
// the probe is refused in every function ("not supported outside probe"), called or not.
bool Typer::inProbe(SourceRange r, const std::string &what) {
  if (functions_.empty())
    return true;
  if (!probe_)
    err(r, what + " needs a probe, and function '" + functions_.front().function->name +
               "' is called by no probe");
  else
    err(r, what + " reads the probe, which function '" + functions_.back().function->name +
               "' cannot (as in bpftrace, a function is compiled apart from the probes that "
               "call it): pass the value as an argument");
  return false;
}

void Typer::functionReturn(const JumpStmt *j) {
  // A copy: the value may call another function, which grows functions_.
  const FunctionFrame frame = functions_.back();
  const Subprog &f = *frame.function;
  if (returnsNothing(f.returnType)) {
    if (j->value) {
      expr(j->value.get());
      err(j->value->range, "function '" + f.name + "' returns no value (it has no return type)");
    }
    return;
  }
  if (!j->value) {
    err(j->range, "function '" + f.name + "' returns " + spelling(f.returnType) +
                      ": return needs a value");
    return;
  }
  // TailRecursion.cpp's accumulating loop returns `$acc.f OP v` for the script's
  // `return v`: v is what must fit the return type, as it must without recursion. It is
  // typed alone first, quietly: a v OP cannot take (a string) is the return's mismatch,
  // not also the operator's.
  const Expr *returned = j->value.get();
  TypeId value;
  auto *b = as<BinaryExpr>(returned);
  auto *acc = b ? as<VariableRef>(b->lhs.get()) : nullptr;
  if (acc && acc->name == "$acc." + f.name) {
    returned = b->rhs.get();
    bool report = report_;
    report_ = false;
    TypeId alone = expr(returned);
    report_ = report;
    if (ty(alone).isInt() || ty(alone).isNone()) {
      expr(j->value.get());
      auto typed = R.exprTypes.find(returned);
      value = typed != R.exprTypes.end() ? typed->second : R.types.none();
    } else {
      value = expr(returned);
    }
  } else {
    value = expr(returned);
  }
  if (!frame.result)
    return;
  const Declaration &result = R.scopes.declaration(*frame.result);
  const Type &want = ty(result.type), &got = ty(value);
  if (got.isNone())
    return;
  if (want.isInt() != got.isInt() || want.isString() != got.isString())
    err(returned->range, "function '" + f.name + "' returns " + spelling(f.returnType) +
                             ", got " + got.str());
  else if (want.isInt())
    checkFitsDeclared(*frame.result, returned, value);
}

// In a copy of the analysis: their errors are reported, but nothing they imply (maps
// only they use, wider map types, values btrun would have to provide) reaches the
// object, for which nothing of them is emitted.
std::set<std::string> checkUnemitted(const ast::Program &program, const SemaResult &result,
                                     DiagnosticEngine &diags) {
  std::set<std::string> only;
  if (program.uncalledFunctions.empty())
    return only;
  SemaResult scratch = result;
  // The BTF's cache of converted types holds ids of one table: the copy gets its own.
  // It reads the modules in the same order, so the records the table copied from
  // modules (their ids carry the module's number) name the same modules' types.
  scratch.btf = std::make_shared<BtfTypes>(result.btf->path(), result.btf->targetName(),
                                           result.btf->moduleFiles());
  for (const std::string &module : result.btf->modules())
    scratch.btf->useModule(module);
  auto typeAll = [&](Typer &typer) {
    for (const auto &f : program.uncalledFunctions)
      typer.uncalledFunction(f.get());
  };
  for (int pass = 0; pass < 8; ++pass) {
    Typer typer(scratch, diags, false);
    typeAll(typer);
    if (!typer.changed)
      break;
  }
  Typer typer(scratch, diags, true);
  typeAll(typer);
  bool earlierErrors = diags.hasErrors();
  for (const MapInfo &mi : scratch.maps) {
    if (result.map(mi.name))
      continue;
    only.insert(mi.name);
    if (scratch.types.get(mi.value).isNone() && mi.agg == AggKind::None && !earlierErrors)
      diags.error(mi.firstUse, "map " + mi.name + " is never assigned a value");
  }
  if (!diags.hasErrors())
    applyMapDeclarations(program, scratch, {}, diags);
  return only;
}

} // namespace bt::sema
