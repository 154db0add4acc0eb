// A user function's calls of itself, turned into a loop in each call's copy of its body
// before the copy is inlined (ScriptMacros.cpp inlines every call, so a call of the
// function inside its own copy would never end). Upstream bpftrace emits a function as
// a BPF subprogram, and BPF has no recursion: its `fact` works because LLVM's
// tail-recursion elimination makes a loop of it. This does the same to the calls that
// pass turns into a loop:
//   - `return f(args)`: the parameters take the arguments and the body starts again;
//   - `return e OP f(args)` or `return f(args) OP e` (OP one of + * & | ^, possibly a
//     chain of one of them, through casts to an integer type as wide as the result):
//     as OP is associative and commutative, e is combined into an accumulator that
//     starts at OP's identity, and every other `return v` returns `accumulator OP v`.
//     An e written after the call is evaluated before it, so it may only read
//     variables and literals;
//   - in a function without a return type, a statement `f(args);` after which the
//     function ends.
// (`return c ? a : b` is taken as `if (c) { return a; } else { return b; }`.)
// The body becomes `while (true) { let $v; ...; body }` (`let $v` for each variable
// the body assigns without one: a call starts with them unset), and each such call
// the block
//   { $acc.f = $acc.f OP e; let $p.next: T = arg; ...; $p = $p.next; ...; continue; }
// (the names have a '.', which no script can write; a macro's renamed ones end in a
// number). Any other call of f is refused, with the reason. Sema keeps the function's
// errors as without recursion by knowing two of these: `return $acc.f OP v` checks v
// (UserFunctions.cpp), and a `let $v;` at the function's name is no assignment (Let.cpp).
#include "Parser.h"

#include <map>
#include <optional>
#include <set>

namespace bt::parse {
namespace {

using namespace ast;

// The width in bits of an integer type written `intN`/`uintN`; 0 for any other.
unsigned intBits(const TypeName &t) {
  static const std::map<std::string, unsigned> bits = {
      {"int8", 8},   {"int16", 16},  {"int32", 32},  {"int64", 64},
      {"uint8", 8},  {"uint16", 16}, {"uint32", 32}, {"uint64", 64},
  };
  if (t.typeofExpr || t.pointerDepth || t.arraySize >= 0)
    return 0;
  auto it = bits.find(t.name);
  return it == bits.end() ? 0 : it->second;
}

bool accumulates(BinaryOp op) {
  return op == BinaryOp::Add || op == BinaryOp::Mul || op == BinaryOp::BitAnd ||
         op == BinaryOp::BitOr || op == BinaryOp::BitXor;
}

std::string quotedOp(BinaryOp op) { return std::string("`") + spelling(op) + "`"; }

// The calls of `name` in a tree, in the order they are written; and the variables the
// tree assigns and those it declares (`let`, a for loop's).
struct CallFinder {
  const std::string &name;
  std::vector<const CallExpr *> found;
  std::set<std::string> assigned, declared;

  void expr(const Expr *e) {
    if (!e)
      return;
    switch (e->kind) {
    case ExprKind::Map:
      for (const ExprPtr &k : static_cast<const MapRef &>(*e).keys)
        expr(k.get());
      return;
    case ExprKind::Binary:
      expr(static_cast<const BinaryExpr &>(*e).lhs.get());
      expr(static_cast<const BinaryExpr &>(*e).rhs.get());
      return;
    case ExprKind::Unary:
      expr(static_cast<const UnaryExpr &>(*e).operand.get());
      return;
    case ExprKind::IncDec:
      if (auto *v = as<VariableRef>(static_cast<const IncDecExpr &>(*e).target.get()))
        assigned.insert(v->name);
      expr(static_cast<const IncDecExpr &>(*e).target.get());
      return;
    case ExprKind::Ternary: {
      auto &t = static_cast<const TernaryExpr &>(*e);
      expr(t.cond.get());
      expr(t.thenExpr.get());
      expr(t.elseExpr.get());
      return;
    }
    case ExprKind::Call: {
      auto &c = static_cast<const CallExpr &>(*e);
      if (c.callee == name)
        found.push_back(&c);
      for (const ExprPtr &a : c.args)
        expr(a.get());
      return;
    }
    case ExprKind::Field:
      expr(static_cast<const FieldExpr &>(*e).base.get());
      return;
    case ExprKind::Index:
      expr(static_cast<const IndexExpr &>(*e).base.get());
      expr(static_cast<const IndexExpr &>(*e).index.get());
      return;
    case ExprKind::Cast:
      expr(static_cast<const CastExpr &>(*e).operand.get());
      return;
    case ExprKind::Tuple:
      for (const ExprPtr &x : static_cast<const TupleExpr &>(*e).elems)
        expr(x.get());
      return;
    case ExprKind::Block:
      stmts(static_cast<const BlockExpr &>(*e).stmts);
      expr(static_cast<const BlockExpr &>(*e).value.get());
      return;
    default: // literals, names, builtins, sizeof and offsetof (whose expression is
             // only typed: typeOnlySelfCall); no UserCallExpr exists before inlining
      return;
    }
  }

  void stmts(const StmtList &l) {
    for (const StmtPtr &s : l)
      stmt(s.get());
  }

  void stmt(const Stmt *s) {
    switch (s->kind) {
    case StmtKind::Expr:
      expr(static_cast<const ExprStmt &>(*s).expr.get());
      return;
    case StmtKind::AssignVar:
      assigned.insert(static_cast<const AssignVarStmt &>(*s).var->name);
      expr(static_cast<const AssignVarStmt &>(*s).value.get());
      return;
    case StmtKind::AssignMap:
      expr(static_cast<const AssignMapStmt &>(*s).map.get());
      expr(static_cast<const AssignMapStmt &>(*s).value.get());
      return;
    case StmtKind::If:
      expr(static_cast<const IfStmt &>(*s).cond.get());
      stmts(static_cast<const IfStmt &>(*s).thenBody);
      stmts(static_cast<const IfStmt &>(*s).elseBody);
      return;
    case StmtKind::Unroll:
      expr(static_cast<const UnrollStmt &>(*s).count.get());
      stmts(static_cast<const UnrollStmt &>(*s).body);
      return;
    case StmtKind::While:
      expr(static_cast<const WhileStmt &>(*s).cond.get());
      stmts(static_cast<const WhileStmt &>(*s).body);
      return;
    case StmtKind::For:
      declared.insert(static_cast<const ForStmt &>(*s).var->name);
      expr(static_cast<const ForStmt &>(*s).iterable.get());
      expr(static_cast<const ForStmt &>(*s).rangeEnd.get());
      stmts(static_cast<const ForStmt &>(*s).body);
      return;
    case StmtKind::Jump:
      expr(static_cast<const JumpStmt &>(*s).value.get());
      return;
    case StmtKind::Block:
      stmts(static_cast<const BlockStmt &>(*s).body);
      return;
    case StmtKind::VarDecl:
      declared.insert(static_cast<const VarDeclStmt &>(*s).var->name);
      expr(static_cast<const VarDeclStmt &>(*s).value.get());
      return;
    }
  }
};

std::vector<const CallExpr *> callsOf(const std::string &name, const Expr *e) {
  CallFinder finder{name, {}, {}, {}};
  finder.expr(e);
  return finder.found;
}

// Whether `e` can be evaluated earlier than written (before the call whose value it
// is combined with) without a difference: it reads only variables and literals.
bool movable(const Expr *e) {
  if (!e)
    return true;
  switch (e->kind) {
  case ExprKind::Integer:
  case ExprKind::String:
  case ExprKind::Variable:
  case ExprKind::PositionalParam:
  case ExprKind::Identifier:
  case ExprKind::Sizeof:
  case ExprKind::Offsetof:
    return true;
  case ExprKind::Unary: {
    auto &u = static_cast<const UnaryExpr &>(*e);
    return u.op != UnaryOp::Deref && movable(u.operand.get());
  }
  case ExprKind::Binary:
    return movable(static_cast<const BinaryExpr &>(*e).lhs.get()) &&
           movable(static_cast<const BinaryExpr &>(*e).rhs.get());
  case ExprKind::Cast:
    return movable(static_cast<const CastExpr &>(*e).operand.get());
  case ExprKind::Ternary: {
    auto &t = static_cast<const TernaryExpr &>(*e);
    return movable(t.cond.get()) && movable(t.thenExpr.get()) && movable(t.elseExpr.get());
  }
  default:
    return false;
  }
}

// One call of f that becomes a jump back to the loop's start.
struct Site {
  StmtPtr *statement;            // `return ...` or `f(...);`, replaced
  CallExpr *call;
  std::vector<ExprPtr *> before; // combined with the call's value, evaluated before it
  std::vector<ExprPtr *> after;  // ... and after it (movable)
};

class TailCalls {
public:
  TailCalls(const Subprog &f, DiagnosticEngine &diags)
      : f_(f), diags_(diags),
        returnsValue_(!(f.returnType.name == "void" && f.returnType.pointerDepth == 0)) {}

  std::optional<RecursionRefusal> run(StmtList &body) {
    list(body, !returnsValue_, 0);
    if (refusal_)
      return refusal_;
    if (returnsValue_ && baseReturns_.empty())
      return RecursionRefusal{f_.nameRange, "every return of " + f_.name + " calls " + f_.name +
                                                " again, so the loop would never end"};
    if (!returnsValue_ && !valuelessReturn_ && endsInJump(body))
      return RecursionRefusal{f_.nameRange, f_.name + " calls itself on every way through it, "
                                                      "so the loop would never end"};
    rewrite(body);
    return std::nullopt;
  }

private:
  const Subprog &f_;
  DiagnosticEngine &diags_; // copying an `if comptime`'s condition reports nothing
  bool returnsValue_;
  std::optional<RecursionRefusal> refusal_;
  std::vector<Site> sites_;
  std::vector<JumpStmt *> baseReturns_; // `return v` without a call of f
  bool valuelessReturn_ = false;
  std::optional<BinaryOp> op_; // what the calls' values accumulate through

  std::string argumentCount(const CallExpr &call) const {
    size_t n = f_.params.size();
    return f_.name + " takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") +
           ", this call gives " + std::to_string(call.args.size());
  }

  void refuse(SourceRange at, std::string why) {
    if (!refusal_)
      refusal_ = RecursionRefusal{at, std::move(why)};
  }

  // Refuses the first of `calls`, which are in no place a loop can take.
  void notTail(const std::vector<const CallExpr *> &calls) {
    if (calls.empty())
      return;
    refuse(calls[0]->calleeRange, returnsValue_ ? "this call's value is not what " + f_.name +
                                                      " returns"
                                                : f_.name + " does more after this call");
  }
  void notTail(const Expr *e) { notTail(callsOf(f_.name, e)); }

  void list(StmtList &l, bool tail, unsigned loops) {
    for (size_t i = 0; i < l.size(); ++i) {
      // In a function without a value, `f(); return;` ends it as a last `f();` does.
      const JumpStmt *next = i + 1 < l.size() ? as<JumpStmt>(l[i + 1].get()) : nullptr;
      bool last = i + 1 == l.size() ? tail : next && next->jump == JumpKind::Return;
      stmt(l[i], last, loops);
    }
  }

  void stmt(StmtPtr &s, bool tail, unsigned loops) {
    switch (s->kind) {
    case StmtKind::Expr: {
      auto *call = as<CallExpr>(static_cast<ExprStmt &>(*s).expr.get());
      if (returnsValue_ || !call || call->callee != f_.name)
        return notTail(static_cast<ExprStmt &>(*s).expr.get());
      for (const ExprPtr &a : call->args)
        if (auto inner = callsOf(f_.name, a.get()); !inner.empty())
          return refuse(inner[0]->calleeRange, f_.name + " calls itself twice here");
      if (call->args.size() != f_.params.size())
        return refuse(call->calleeRange, argumentCount(*call));
      if (loops)
        return refuse(call->calleeRange, "this call is inside a loop of " + f_.name);
      if (!tail)
        return refuse(call->calleeRange, f_.name + " does more after this call");
      sites_.push_back({&s, call, {}, {}});
      return;
    }
    case StmtKind::AssignVar:
    case StmtKind::AssignMap:
    case StmtKind::VarDecl: {
      CallFinder finder{f_.name, {}, {}, {}};
      finder.stmt(s.get());
      return notTail(finder.found);
    }
    case StmtKind::If: {
      auto &i = static_cast<IfStmt &>(*s);
      notTail(i.cond.get());
      list(i.thenBody, tail, loops);
      list(i.elseBody, tail, loops);
      return;
    }
    case StmtKind::Block:
      return list(static_cast<BlockStmt &>(*s).body, tail, loops);
    case StmtKind::Unroll:
      notTail(static_cast<UnrollStmt &>(*s).count.get());
      return list(static_cast<UnrollStmt &>(*s).body, false, loops + 1);
    case StmtKind::While:
      notTail(static_cast<WhileStmt &>(*s).cond.get());
      return list(static_cast<WhileStmt &>(*s).body, false, loops + 1);
    case StmtKind::For:
      notTail(static_cast<ForStmt &>(*s).iterable.get());
      notTail(static_cast<ForStmt &>(*s).rangeEnd.get());
      return list(static_cast<ForStmt &>(*s).body, false, loops + 1);
    case StmtKind::Jump:
      return jump(s, loops);
    }
  }

  void jump(StmtPtr &s, unsigned loops) {
    auto &j = static_cast<JumpStmt &>(*s);
    if (j.jump != JumpKind::Return) {
      // The loop would take it; bpftrace refuses it (Sema says so without recursion).
      if (!loops)
        refuse(j.range, f_.name + "'s body has a `" +
                            (j.jump == JumpKind::Break ? "break" : "continue") +
                            "` outside a loop");
      return;
    }
    if (!j.value) {
      valuelessReturn_ = true;
      return;
    }
    auto calls = callsOf(f_.name, j.value.get());
    if (calls.empty()) {
      if (returnsValue_)
        baseReturns_.push_back(&j);
      return;
    }
    if (!returnsValue_) // Sema's error, which the loop would lose
      return refuse(calls[0]->calleeRange, f_.name + " returns no value (it has no return type)");
    if (auto *t = as<TernaryExpr>(j.value.get()); t && t->thenExpr) {
      // `return c ? a : b` is `if (c) { return a; } else { return b; }`, as LLVM sees it.
      auto i = make<IfStmt>(j.range);
      i->hasElse = true;
      i->cond = std::move(t->cond);
      for (auto [value, branch] : {std::pair{&t->thenExpr, &i->thenBody},
                                   std::pair{&t->elseExpr, &i->elseBody}}) {
        auto r = make<JumpStmt>((*value)->range, JumpKind::Return);
        r->value = std::move(*value);
        branch->push_back(std::move(r));
      }
      s = std::move(i); // j and t go
      return stmt(s, false, loops);
    }
    if (calls.size() > 1)
      return refuse(calls[1]->calleeRange, f_.name + " calls itself twice in this return");
    if (loops)
      return refuse(calls[0]->calleeRange, "this call is inside a loop of " + f_.name);
    returned(s, j.value);
  }

  // `return V` where V holds one call of f: V must be the call, through casts and
  // one accumulating operator.
  void returned(StmtPtr &s, ExprPtr &value) {
    Site site{&s, nullptr, {}, {}};
    std::optional<BinaryOp> op;
    const CallExpr *call = callsOf(f_.name, value.get())[0];
    for (ExprPtr *at = &value; !site.call;) {
      Expr *e = at->get();
      if (e == call) {
        site.call = static_cast<CallExpr *>(e);
      } else if (auto *c = as<CastExpr>(e)) {
        unsigned result = intBits(f_.returnType);
        if (intBits(c->type) < (result ? result : 65))
          return refuse(c->range, "this call's value is cast to " + spelling(c->type) +
                                      ", which can change " + f_.name + "'s " +
                                      spelling(f_.returnType));
        at = &c->operand;
      } else if (auto *b = as<BinaryExpr>(e); b && accumulates(b->op)) {
        if (op && *op != b->op)
          return refuse(b->opRange, "this call's value goes through both " + quotedOp(*op) +
                                        " and " + quotedOp(b->op));
        op = b->op;
        if (!callsOf(f_.name, b->lhs.get()).empty()) {
          site.after.push_back(&b->rhs);
          at = &b->lhs;
        } else {
          site.before.push_back(&b->lhs);
          at = &b->rhs;
        }
      } else {
        std::string why = "this call's value ";
        if (auto *b = as<BinaryExpr>(e))
          why += "goes through " + quotedOp(b->op) + ", which does not accumulate (+ * & | ^ do)";
        else if (auto *u = as<UnaryExpr>(e))
          why += std::string("goes through unary `") + spelling(u->op) + "`";
        else if (auto *other = as<CallExpr>(e))
          why += "is an argument of " + other->callee + ", not what " + f_.name + " returns";
        else
          why += "is used in an expression, not what " + f_.name + " returns";
        return refuse(call->calleeRange, why);
      }
    }
    if (site.call->args.size() != f_.params.size())
      return refuse(call->calleeRange, argumentCount(*site.call));
    if (op) {
      if (!intBits(f_.returnType))
        return refuse(call->calleeRange, f_.name + " returns " + spelling(f_.returnType) +
                                             ", which " + quotedOp(*op) + " cannot accumulate");
      if (op_ && *op_ != *op)
        return refuse(call->calleeRange, f_.name + "'s calls of itself accumulate through both " +
                                             quotedOp(*op_) + " and " + quotedOp(*op));
      op_ = op;
    }
    for (ExprPtr *a : site.after)
      if (!movable(a->get()))
        return refuse((*a)->range, "what " + quotedOp(*op) +
                                       " takes after the call is evaluated before it in the "
                                       "loop, so it may read only variables and literals");
    sites_.push_back(std::move(site));
  }

  // Whether every way through `l` ends in a jump (return, continue, a call of f that
  // becomes one). Both branches of an `if comptime` count: a function this misses as
  // never ending is refused by the verifier instead.
  bool endsInJump(const StmtList &l) const {
    if (l.empty())
      return false;
    const Stmt *last = l.back().get();
    if (as<JumpStmt>(last))
      return true;
    for (const Site &site : sites_)
      if (site.statement->get() == last)
        return true;
    if (auto *i = as<IfStmt>(last))
      return i->hasElse && endsInJump(i->thenBody) && endsInJump(i->elseBody);
    if (auto *b = as<BlockStmt>(last))
      return endsInJump(b->body);
    return false;
  }

  std::unique_ptr<VariableRef> variable(const std::string &name, SourceRange at) const {
    auto v = make<VariableRef>(at);
    v->name = name;
    return v;
  }
  std::string accumulator() const { return "$acc." + f_.name; }

  // `$acc.f = $acc.f OP e`
  StmtPtr accumulate(ExprPtr e) const {
    SourceRange at = e->range;
    auto combined = make<BinaryExpr>(at, *op_);
    combined->lhs = variable(accumulator(), at);
    combined->rhs = std::move(e);
    auto s = make<AssignVarStmt>(at);
    s->var = variable(accumulator(), at);
    s->value = std::move(combined);
    return s;
  }

  // OP's identity in the result's type: 0 for + | ^, 1 for *, all ones for &.
  ExprPtr identity() const {
    auto literal = [&](uint64_t value) {
      auto l = make<IntegerLit>(f_.nameRange);
      l->value = value;
      l->text = std::to_string(value);
      return l;
    };
    if (*op_ != BinaryOp::BitAnd)
      return literal(*op_ == BinaryOp::Mul ? 1 : 0);
    if (f_.returnType.name[0] == 'u') {
      unsigned bits = intBits(f_.returnType);
      return literal(bits == 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1);
    }
    auto minusOne = make<UnaryExpr>(f_.nameRange, UnaryOp::Neg);
    minusOne->operand = literal(1);
    return minusOne;
  }

  StmtPtr jumpBack(Site &site) const {
    auto block = make<BlockStmt>((*site.statement)->range);
    for (ExprPtr *e : site.before)
      block->body.push_back(accumulate(std::move(*e)));
    for (size_t i = 0; i < f_.params.size(); ++i) {
      const SubprogParam &p = f_.params[i];
      auto next = make<VarDeclStmt>(site.call->args[i]->range);
      next->var = variable(p.var->name + ".next", p.var->range);
      // A `typeof` parameter's next value takes the argument's type: the typeof's
      // expression is one node, typed once, in the parameter.
      next->hasType = !p.type.typeofExpr;
      if (next->hasType)
        next->type = p.type;
      next->value = std::move(site.call->args[i]);
      block->body.push_back(std::move(next));
    }
    for (ExprPtr *e : site.after)
      block->body.push_back(accumulate(std::move(*e)));
    for (const SubprogParam &p : f_.params) {
      auto assign = make<AssignVarStmt>(site.call->range);
      assign->var = variable(p.var->name, p.var->range);
      assign->value = variable(p.var->name + ".next", p.var->range);
      block->body.push_back(std::move(assign));
    }
    block->body.push_back(make<JumpStmt>(site.call->range, JumpKind::Continue));
    return block;
  }

  std::string unreachedName() const { return "$unreached." + f_.name; }

  // What of `l` Sema's "ends in a return" check looks at, each way that ends in a jump
  // ending in `return $unreached.f`: an `if comptime` keeps its condition (Sema takes
  // the branch it picks), any other `if` ends when both branches do. Null where a way
  // can reach the end of `l`.
  StmtPtr returnSkeleton(const StmtList &l) const {
    if (l.empty())
      return nullptr;
    const Stmt *last = l.back().get();
    if (as<JumpStmt>(last)) {
      auto r = make<JumpStmt>(f_.nameRange, JumpKind::Return);
      r->value = variable(unreachedName(), f_.nameRange);
      return r;
    }
    if (auto *b = as<BlockStmt>(last))
      return returnSkeleton(b->body);
    auto *i = as<IfStmt>(last);
    if (!i)
      return nullptr;
    StmtPtr then = returnSkeleton(i->thenBody), other = returnSkeleton(i->elseBody);
    if (!i->comptime)
      return i->hasElse && then && other ? std::move(then) : nullptr;
    if (!then && !other)
      return nullptr;
    auto c = make<IfStmt>(i->range);
    c->comptime = true;
    c->hasElse = i->hasElse;
    c->cond = copyExpr(i->cond.get(), diags_);
    if (then)
      c->thenBody.push_back(std::move(then));
    if (other)
      c->elseBody.push_back(std::move(other));
    return c;
  }

  void rewrite(StmtList &body) {
    // A call starts with its variables unset (zero), a new iteration with the last
    // one's: each variable the body assigns without `let` (whose scope would be the
    // function's) is declared again at the top of the loop, which zeroes it.
    CallFinder variables{f_.name, {}, {}, {}};
    variables.stmts(body);
    StmtList fresh;
    for (const std::string &name : variables.assigned) {
      bool param = false;
      for (const SubprogParam &p : f_.params)
        param = param || p.var->name == name;
      if (param || variables.declared.count(name))
        continue;
      auto let = make<VarDeclStmt>(f_.nameRange);
      let->var = variable(name, f_.nameRange);
      fresh.push_back(std::move(let));
    }
    if (op_)
      for (JumpStmt *r : baseReturns_) {
        auto combined = make<BinaryExpr>(r->value->range, *op_);
        combined->lhs = variable(accumulator(), r->value->range);
        combined->rhs = std::move(r->value);
        r->value = std::move(combined);
      }
    for (Site &site : sites_)
      *site.statement = jumpBack(site);

    StmtList out;
    if (op_) {
      auto acc = make<VarDeclStmt>(f_.nameRange);
      acc->var = variable(accumulator(), f_.nameRange);
      acc->hasType = true;
      acc->type = f_.returnType;
      acc->value = identity();
      out.push_back(std::move(acc));
    }
    auto loop = make<WhileStmt>(f_.nameRange);
    auto always = make<IntegerLit>(f_.nameRange);
    always->value = 1;
    always->text = "true";
    loop->cond = std::move(always);
    loop->body = std::move(fresh);
    for (StmtPtr &s : body)
      loop->body.push_back(std::move(s));
    if (!returnsValue_)
      loop->body.push_back(make<JumpStmt>(f_.nameRange, JumpKind::Return));
    // The loop ends only through a return; the function still has to end in one for
    // Sema, which checks a function's last statement: one that is never reached (LLVM
    // drops it), where the body ends in a jump on every way. A body that can end
    // without returning keeps Sema's error.
    StmtPtr end = returnsValue_ ? returnSkeleton(loop->body) : nullptr;
    out.push_back(std::move(loop));
    if (end) {
      auto unreached = make<VarDeclStmt>(f_.nameRange);
      unreached->var = variable(unreachedName(), f_.nameRange);
      unreached->hasType = true;
      unreached->type = f_.returnType;
      out.insert(out.begin(), std::move(unreached));
      out.push_back(std::move(end));
    }
    body = std::move(out);
  }
};

} // namespace

std::optional<RecursionRefusal> loopSelfCalls(const ast::Subprog &f, ast::StmtList &body,
                                              DiagnosticEngine &diags) {
  CallFinder finder{f.name, {}, {}, {}};
  finder.stmts(body);
  if (finder.found.empty())
    return std::nullopt;
  return TailCalls(f, diags).run(body);
}

std::optional<RecursionRefusal> typeOnlySelfCall(const ast::Subprog &f,
                                                 const ast::CallExpr &call) {
  if (f.returnType.name == "void" && f.returnType.pointerDepth == 0)
    return RecursionRefusal{call.calleeRange, f.name + " returns no value (it has no return type)"};
  size_t n = f.params.size();
  if (call.args.size() != n)
    return RecursionRefusal{call.calleeRange, f.name + " takes " + std::to_string(n) +
                                                  " argument" + (n == 1 ? "" : "s") +
                                                  ", this call gives " +
                                                  std::to_string(call.args.size())};
  return std::nullopt;
}

static std::string typeOnlyName(const ast::Subprog &f) { return "$typeof." + f.name; }

ast::ExprPtr typeOnlyCallValue(const ast::Subprog &f, SourceRange at) {
  auto v = make<ast::VariableRef>(at);
  v->name = typeOnlyName(f);
  return v;
}

ast::StmtPtr typeOnlyCallDeclaration(const ast::Subprog &f) {
  auto d = make<ast::VarDeclStmt>(f.nameRange);
  d->var = make<ast::VariableRef>(f.nameRange);
  d->var->name = typeOnlyName(f);
  d->hasType = true;
  d->type = f.returnType;
  return d;
}

std::string recursionError(const std::string &chain, const std::string &f,
                           const RecursionRefusal *selfCall) {
  std::string message = "recursive function call: " + chain + f;
  if (!selfCall)
    return message + " (BPF programs cannot recurse, and btc inlines each call of a "
                     "function: only a function's calls of itself can become a loop)";
  return message + " (BPF programs cannot recurse, and btc turns a function's calls of itself "
                   "into a loop only in tail position, as upstream's LLVM does: " +
         selfCall->why + ")";
}

} // namespace bt::parse
