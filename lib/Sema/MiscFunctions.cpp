// Typing of upstream bpftrace's task helpers and assertions: ppid(task) and pcomm(task),
// built as the script's own member reads, as the builtins are (ProcessBuiltins.cpp);
// static_assert, fail and assert_str, decided here at compile time; assert, a run-time
// check that Lower reports and exits on.
#include "Typer.h"

#include "bt/Format/Printf.h"
#include "bt/Format/Text.h"

namespace bt::sema {

using namespace ast;

namespace {

// e->field, whose base is the call's argument: owned by the call, so the expansion
// borrows it and gives it back when it is freed.
std::shared_ptr<const Expr> taskMember(const Expr *task, const char *field, const char *last,
                                       SourceRange r) {
  auto inner = new FieldExpr(r);
  inner->base.reset(const_cast<Expr *>(task));
  inner->field = field;
  inner->arrow = true;
  inner->fieldRange = r;
  auto outer = new FieldExpr(r);
  outer->base.reset(inner);
  outer->field = last;
  outer->arrow = true;
  outer->fieldRange = r;
  return std::shared_ptr<const Expr>(outer, [inner](FieldExpr *o) {
    (void)inner->base.release();
    delete o;
  });
}

} // namespace

std::string Typer::runTimeParamReason(const Expr *e) const {
  if (R.options.positionalArgs)
    return "";
  if (auto *p = as<PositionalParamRef>(e))
    return std::string(": btc reads ") + (p->isCount ? "$#" : "$" + std::to_string(p->index)) +
           " at run time, from btrun's arguments: give them to btc after the script (btc "
           "SCRIPT ARG...) to compile them in";
  if (auto *u = as<UnaryExpr>(e))
    return runTimeParamReason(u->operand.get());
  if (auto *b = as<BinaryExpr>(e)) {
    std::string l = runTimeParamReason(b->lhs.get());
    return l.empty() ? runTimeParamReason(b->rhs.get()) : l;
  }
  return "";
}

void Typer::boundParam(const PositionalParamRef *p) {
  const std::vector<std::string> &args = *R.options.positionalArgs;
  R.params.readFixed = true;
  if (p->isCount) {
    R.constants[p] = static_cast<int64_t>(args.size());
    return;
  }
  // A missing one reads 0, as btrun writes it.
  size_t i = static_cast<size_t>(p->index);
  std::optional<int64_t> v = i <= args.size() ? obj::positionalInteger(args[i - 1]) : 0;
  if (!v) {
    std::string n = std::to_string(p->index);
    err(p->range, "$" + n + " is used as an integer but given '" +
                      format::escapeNonPrintable(args[i - 1]) + "'; use str($" + n + ") for text");
    return;
  }
  R.constants[p] = *v;
}

std::optional<int64_t> Typer::compileTimeValue(const Expr *e) const {
  if (auto *i = as<IntegerLit>(e))
    return (int64_t)i->value;
  if (auto it = R.constants.find(e); it != R.constants.end())
    return it->second;
  if (auto *u = as<UnaryExpr>(e)) {
    auto v = compileTimeValue(u->operand.get());
    if (!v)
      return std::nullopt;
    switch (u->op) {
    case UnaryOp::Neg:
      return -*v;
    case UnaryOp::LogicalNot:
      return !*v;
    case UnaryOp::BitNot:
      return ~*v;
    case UnaryOp::Plus:
      return *v;
    default:
      return std::nullopt;
    }
  }
  if (auto *f = as<FieldExpr>(e)) { // typeinfo(e).btf_id
    const Expr *v = typeinfoFieldValue(f);
    return v ? compileTimeValue(v) : std::nullopt;
  }
  auto *b = as<BinaryExpr>(e);
  if (!b)
    return std::nullopt;
  // Upstream's `typeinfo(e).base_type == "int"` and `typeinfo(e) == typeinfo(int8)`.
  if (b->op == BinaryOp::Eq || b->op == BinaryOp::Ne)
    if (auto same = typeinfoEqual(b->lhs.get(), b->rhs.get()))
      return b->op == BinaryOp::Eq ? *same : !*same;
  auto l = compileTimeValue(b->lhs.get());
  if (!l)
    return std::nullopt;
  // As at run time: the right side of && and || only when the left does not decide.
  if (b->op == BinaryOp::LogicalAnd && !*l)
    return 0;
  if (b->op == BinaryOp::LogicalOr && *l)
    return 1;
  auto r = compileTimeValue(b->rhs.get());
  if (!r)
    return std::nullopt;
  uint64_t ul = *l, ur = *r;
  switch (b->op) {
  case BinaryOp::Add:
    return (int64_t)(ul + ur);
  case BinaryOp::Sub:
    return (int64_t)(ul - ur);
  case BinaryOp::Mul:
    return (int64_t)(ul * ur);
  case BinaryOp::Div: // unsigned, as btc divides
    return ur ? std::optional<int64_t>((int64_t)(ul / ur)) : std::nullopt;
  case BinaryOp::Mod:
    return ur ? std::optional<int64_t>((int64_t)(ul % ur)) : std::nullopt;
  case BinaryOp::BitAnd:
    return *l & *r;
  case BinaryOp::BitOr:
    return *l | *r;
  case BinaryOp::BitXor:
    return *l ^ *r;
  case BinaryOp::Shl:
    return ur < 64 ? std::optional<int64_t>((int64_t)(ul << ur)) : std::nullopt;
  case BinaryOp::Shr:
    return ur < 64 ? std::optional<int64_t>(*l >> ur) : std::nullopt;
  case BinaryOp::Eq:
    return *l == *r;
  case BinaryOp::Ne:
    return *l != *r;
  case BinaryOp::Lt:
    return *l < *r;
  case BinaryOp::Le:
    return *l <= *r;
  case BinaryOp::Gt:
    return *l > *r;
  case BinaryOp::Ge:
    return *l >= *r;
  case BinaryOp::LogicalAnd:
  case BinaryOp::LogicalOr:
    return *r != 0;
  }
  return std::nullopt;
}

TypeId Typer::miscFunctionCall(const CallExpr *c, FunctionId id) {
  switch (id) {
  case FunctionId::PpidCall:
  case FunctionId::PcommCall:
    return taskHelperCall(c, id);
  case FunctionId::StaticAssert: {
    const Type &t = ty(expr(c->args[0].get()));
    auto *msg = as<StringLit>(c->args[1].get());
    if (!msg) {
      err(c->args[1]->range, "static_assert() needs its message as a string literal");
      return R.types.none();
    }
    if (t.isNone())
      return R.types.none();
    auto v = compileTimeValue(c->args[0].get());
    std::string param = runTimeParamReason(c->args[0].get());
    if (!v)
      err(c->args[0]->range, "static_assert() needs a condition known at compile time" + param +
                                 (param.empty() ? "" : ", or check it at run time with assert()"));
    else if (!*v)
      err(c->range, msg->value);
    return R.types.none();
  }
  case FunctionId::Fail:
    return failCall(c);
  case FunctionId::Memcmp:
    return memcmpCall(c);
  case FunctionId::AssertStr: {
    const Type &t = ty(expr(c->args[0].get()));
    if (t.isNone() || t.isString())
      return R.types.none();
    auto charLike = [&](TypeId e) { return ty(e).isInt() && ty(e).size == 1; };
    if (t.isArray()) {
      if (!charLike(t.element))
        err(c->range, "string-like arrays must contain a char-like type");
    } else if (t.isPointer()) {
      if (!charLike(t.pointee))
        err(c->range, "string-like pointers must point to a char-like type");
    } else {
      err(c->range, "string-like values must be either strings, arrays or pointers");
    }
    return R.types.none();
  }
  case FunctionId::Assert: {
    const Type &cond = ty(expr(c->args[0].get()));
    if (!cond.isNone() && !cond.isInt() && !cond.isBool() && !cond.isPointer())
      err(c->args[0]->range, "assert() needs a condition, got " + cond.str());
    const Type &msg = ty(expr(c->args[1].get()));
    if (!msg.isNone() && !msg.isString())
      err(c->args[1]->range, "assert() needs a string message, got " + msg.str());
    return R.types.none();
  }
  default:
    return R.types.none();
  }
}

// ppid(task) is task->real_parent->tgid, as btc's ppid of the current task; pcomm(task)
// task->group_leader->comm.
TypeId Typer::taskHelperCall(const CallExpr *c, FunctionId id) {
  const Expr *task = c->args[0].get();
  const Type &t = ty(expr(task));
  if (t.isNone())
    return R.types.none();
  if (!t.isPointer() || !ty(t.pointee).isRecord() ||
      ty(t.pointee).name.find("task_struct") == std::string::npos) {
    err(task->range, c->callee + "() takes a struct task_struct pointer, got " + t.str());
    return R.types.none();
  }
  auto it = R.expansions.find(c);
  if (it == R.expansions.end())
    it = R.expansions
             .emplace(c, id == FunctionId::PpidCall
                             ? taskMember(task, "real_parent", "tgid", c->range)
                             : taskMember(task, "group_leader", "comm", c->range))
             .first;
  return expr(it->second.get());
}

// memcmp(a, b, n): the first n bytes of two strings, integer arrays or struct values
// (either with either: upstream compares the two expressions' bytes), as unsigned bytes.
// A struct (or an array of them) is compared as the copy a variable would hold.
TypeId Typer::memcmpCall(const CallExpr *c) {
  unsigned smaller = ~0u;
  for (int i = 0; i < 2; ++i) {
    TypeId id = expr(c->args[i].get());
    const Type &t = ty(id);
    if (t.isNone())
      return R.types.none();
    if (copiedAsRecord(id)) {
      SourceRange r = c->args[i]->range;
      if (!(t.isArray() ? arrayValue(id, r, "memcmp()") : recordValue(id, r, "memcmp()")))
        return R.types.none();
    } else if (!t.isString() && !(t.isArray() && innermostInteger(t))) {
      err(c->args[i]->range, "memcmp() of " + t.str() +
                                 " is not supported yet: btc compares strings, integer arrays "
                                 "and struct values");
      return R.types.none();
    }
    smaller = std::min(smaller, t.size);
  }
  auto *n = as<IntegerLit>(c->args[2].get());
  if (!n) {
    err(c->args[2]->range, "memcmp() count must be an integer literal");
    return R.types.none();
  }
  if (n->value > smaller) {
    err(c->args[2]->range, "memcmp() count " + std::to_string(n->value) +
                               " is more than the smaller operand's " + std::to_string(smaller) +
                               " bytes");
    return R.types.none();
  }
  return s64();
}

// fail(fmt, literals...) stops the compilation where it is reached: as upstream, any
// branch but one an `if comptime` rules out (which is not typed at all).
TypeId Typer::failCall(const CallExpr *c) {
  auto *fmt = as<StringLit>(c->args[0].get());
  if (!fmt) {
    err(c->range, functionInfo(FunctionId::Fail).usage);
    return R.types.none();
  }
  auto parsed = format::parsePrintf(fmt->value);
  if (!parsed) {
    err(c->args[0]->range, *parsed.error);
    return R.types.none();
  }
  const auto &convs = parsed.format.conversions;
  if (convs.size() != c->args.size() - 1) {
    err(c->range, "fail() format has " + std::to_string(convs.size()) + " conversions and " +
                      std::to_string(c->args.size() - 1) + " values");
    return R.types.none();
  }
  std::string text = parsed.format.texts[0];
  for (size_t i = 0; i < convs.size(); ++i) {
    const Expr *a = c->args[i + 1].get();
    expr(a);
    auto *s = as<StringLit>(a);
    auto n = s ? std::nullopt : compileTimeValue(a);
    if (!s && !n) {
      std::string param = runTimeParamReason(a);
      err(a->range, "fail() takes literals only: its message is made at compile time" + param +
                        (param.empty() ? "" : ", or report it at run time with errorf() and exit()"));
      return R.types.none();
    }
    if ((convs[i].argKind() == format::ArgKind::String) != (s != nullptr)) {
      err(a->range, "fail() conversion " + convs[i].spelling() + " does not take this value");
      return R.types.none();
    }
    text += s ? format::renderString(convs[i], s->value) : format::renderInteger(convs[i], *n);
    text += parsed.format.texts[i + 1];
  }
  err(c->range, text);
  return R.types.none();
}

} // namespace bt::sema
