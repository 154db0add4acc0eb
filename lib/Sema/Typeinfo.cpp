// typeinfo(e) and typeinfo(TYPE): upstream's compile-time record of a type, behind its
// unstable_typeinfo gate (checked in Call.cpp). The argument is typed, never run. Sema
// builds the record literal a script would write, `(btf_id = (uint64)0, base_type =
// "int", full_type = "int64")`, and types it as the script's own; Lower lowers that
// literal. The names are upstream's: base_type its kind of type, full_type the type as
// upstream spells it (no spaces in a tuple, "record { .a = int64 }", "struct task_struct",
// "int8 *"). btf_id is 0, as upstream leaves it ("not yet populated" there).
#include "Typer.h"

namespace bt::sema {

using namespace ast;

namespace {

struct UpstreamTypeNames {
  std::string base, full;
};

// The type as upstream spells it (its typestr), or nullopt for a kind upstream's
// typeinfo has no spelling btc can match.
std::optional<std::string> upstreamSpelling(const TypeTable &types, TypeId id);

std::optional<std::string> joined(const TypeTable &types, const Type &t, const char *sep,
                                  bool named) {
  std::string s;
  for (size_t i = 0; i < t.fields.size(); ++i) {
    auto field = upstreamSpelling(types, t.fields[i].type);
    if (!field)
      return std::nullopt;
    s += (i ? sep : "") + (named ? "." + t.fields[i].name + " = " : std::string()) + *field;
  }
  return s;
}

// The aggregations' names: upstream's sum(), min() and max() take their argument's sign
// (usum_t, umin_t, umax_t of an unsigned one), its avg() and stats() are always signed.
// btc's min() and max() still compare and print as signed, as bpftrace 0.17's do: only
// sum()'s sign changes what btrun prints.
const char *aggregationName(AggKind agg, bool isSigned) {
  switch (agg) {
  case AggKind::Count: return "count_t";
  case AggKind::Sum: return isSigned ? "sum_t" : "usum_t";
  case AggKind::Min: return isSigned ? "min_t" : "umin_t";
  case AggKind::Max: return isSigned ? "max_t" : "umax_t";
  case AggKind::Avg: return "avg_t";
  case AggKind::Stats: return "stats_t";
  case AggKind::Hist: return "hist_t";
  case AggKind::Lhist: return "lhist_t";
  case AggKind::Tseries: return "tseries_t";
  case AggKind::None: break;
  }
  return "none";
}

std::string stackName(const Type &t) {
  return "stack_" + std::string(obj::toString(t.stackMode)) + "_" + std::to_string(t.frames);
}

std::optional<UpstreamTypeNames> upstreamNames(const TypeTable &types, TypeId id) {
  const Type &t = types.get(id);
  auto full = upstreamSpelling(types, id);
  if (!full)
    return std::nullopt;
  std::string base;
  switch (t.kind) {
  case TypeKind::Int: base = "int"; break;
  case TypeKind::Bool: base = "bool"; break;
  // macaddr()'s text is upstream's mac_address; strerror() and syscall_name() are
  // strings there (its stdlib macros give a string[64]).
  case TypeKind::String: base = t.bpftraceSize ? "mac_address" : "string"; break;
  case TypeKind::ErrorText:
  case TypeKind::SyscallName: base = "string"; break;
  case TypeKind::Pointer: base = "pointer"; break;
  case TypeKind::Array: base = "array"; break;
  case TypeKind::Record:
    base = t.origin != RecordOrigin::Tuple ? "c_struct" : t.isNamedTuple() ? "record" : "tuple";
    break;
  case TypeKind::Aggregation: base = aggregationName(t.agg, t.isSigned); break;
  case TypeKind::KernelStack: base = "kstack"; break;
  case TypeKind::UserStack: base = "ustack"; break;
  case TypeKind::KernelSymbol: base = "ksym_t"; break;
  case TypeKind::UserSymbol: base = "usym_t"; break;
  case TypeKind::Timestamp: base = "timestamp"; break;
  case TypeKind::UserName: base = "username"; break;
  case TypeKind::CgroupPath: base = "cgroup_path_t"; break;
  case TypeKind::InetAddress: base = "inet"; break;
  case TypeKind::Buffer: base = "buffer"; break;
  case TypeKind::None:
  case TypeKind::TracepointArgs: return std::nullopt;
  }
  return UpstreamTypeNames{base, *full};
}

std::optional<std::string> upstreamSpelling(const TypeTable &types, TypeId id) {
  const Type &t = types.get(id);
  switch (t.kind) {
  case TypeKind::Int:
    // A kernel enum keeps its name ("enum NAME"), as upstream's enum types.
    if (!t.name.empty())
      return t.name;
    return t.str();
  case TypeKind::String:
    return t.bpftraceSize ? "mac_address" : t.str();
  case TypeKind::ErrorText:
  case TypeKind::SyscallName:
    return std::string("string[64]");
  case TypeKind::Pointer: {
    // Upstream spells no address space in a type.
    if (!t.pointee.index())
      return std::string("void *");
    auto pointee = upstreamSpelling(types, t.pointee);
    return pointee ? std::optional(*pointee + " *") : std::nullopt;
  }
  case TypeKind::Array: {
    // Upstream's element first: int8[4][2] for two arrays of four, where C writes int8[2][4].
    auto element = upstreamSpelling(types, t.element);
    return element ? std::optional(*element + "[" + std::to_string(t.count) + "]")
                   : std::nullopt;
  }
  case TypeKind::Record: {
    if (t.origin != RecordOrigin::Tuple) {
      std::string keyword = t.isUnion ? "union" : "struct";
      if (!t.name.empty())
        return keyword + " " + t.name;
      auto fields = joined(types, t, ",", false);
      return fields ? std::optional(keyword + " {" + *fields + "}") : std::nullopt;
    }
    if (t.isNamedTuple()) {
      auto fields = joined(types, t, ", ", true);
      return fields ? std::optional("record { " + *fields + " }") : std::nullopt;
    }
    auto fields = joined(types, t, ",", false);
    return fields ? std::optional("(" + *fields + ")") : std::nullopt;
  }
  case TypeKind::Bool: return std::string("bool");
  case TypeKind::Aggregation: return std::string(aggregationName(t.agg, t.isSigned));
  case TypeKind::KernelStack:
  case TypeKind::UserStack: return stackName(t);
  case TypeKind::KernelSymbol: return std::string("ksym_t");
  case TypeKind::UserSymbol: return std::string("usym_t");
  case TypeKind::Timestamp: return std::string("timestamp");
  case TypeKind::UserName: return std::string("username");
  case TypeKind::CgroupPath: return std::string("cgroup_path_t");
  case TypeKind::InetAddress: return "inet[" + std::to_string(t.size) + "]";
  case TypeKind::Buffer: return t.str();
  case TypeKind::None:
  case TypeKind::TracepointArgs: break;
  }
  return std::nullopt;
}

// The record literal of the names, (btf_id = (uint64)0, base_type = "...", full_type = "...").
std::shared_ptr<TupleExpr> typeinfoRecord(SourceRange r, const UpstreamTypeNames &names) {
  auto rec = std::make_shared<TupleExpr>(r);
  auto zero = std::make_unique<IntegerLit>(r);
  zero->text = "0";
  auto id = std::make_unique<CastExpr>(r);
  id->type.name = "uint64";
  id->type.range = r;
  id->operand = std::move(zero);
  rec->elems.push_back(std::move(id));
  rec->names.emplace_back("btf_id");
  for (auto [field, value] : {std::pair{"base_type", &names.base}, std::pair{"full_type", &names.full}}) {
    auto s = std::make_unique<StringLit>(r);
    s->value = *value;
    rec->elems.push_back(std::move(s));
    rec->names.emplace_back(field);
  }
  return rec;
}

// The record literal a typeinfo() call stands for, once typed; null for anything else.
const TupleExpr *typeinfoRecordOf(const SemaResult &R, const Expr *e) {
  auto *c = as<CallExpr>(e);
  if (!c)
    return nullptr;
  auto id = R.functions.find(c);
  if (id == R.functions.end() || id->second != FunctionId::Typeinfo)
    return nullptr;
  auto it = R.expansions.find(c);
  return it == R.expansions.end() ? nullptr : as<TupleExpr>(it->second.get());
}

// The names an earlier pass of the typer built the record of, if it did.
bool sameNames(const Expr *built, const UpstreamTypeNames &names) {
  auto *rec = as<TupleExpr>(built);
  if (!rec || rec->elems.size() != 3)
    return false;
  auto *base = as<StringLit>(rec->elems[1].get());
  auto *full = as<StringLit>(rec->elems[2].get());
  return base && full && base->value == names.base && full->value == names.full;
}

} // namespace

// Whether upstream types `e` bool: true and false, a comparison, `&&`, `||`, `!`, a cast
// to bool and a variable declared bool or first given one of these. btc holds each as
// bpftrace 0.17 does (an integer that prints 1 or 0), so only typeinfo tells them apart.
bool Typer::upstreamBool(const Expr *e) const {
  if (auto *i = as<IntegerLit>(e))
    return i->text == "true" || i->text == "false";
  if (auto *b = as<BinaryExpr>(e)) {
    switch (b->op) {
    case BinaryOp::Eq: case BinaryOp::Ne: case BinaryOp::Lt: case BinaryOp::Le:
    case BinaryOp::Gt: case BinaryOp::Ge: case BinaryOp::LogicalAnd: case BinaryOp::LogicalOr:
      return true;
    default:
      return false;
    }
  }
  if (auto *u = as<UnaryExpr>(e))
    return u->op == UnaryOp::LogicalNot;
  if (auto *c = as<CastExpr>(e))
    return !c->type.typeofExpr && c->type.name == "bool" && !c->type.pointerDepth &&
           c->type.arraySize < 0;
  if (auto *v = as<VariableRef>(e)) {
    auto found = R.bindings.find(v);
    return found != R.bindings.end() && R.scopes.declaration(found->second).declaredBool;
  }
  return false;
}

// Compile-time knowledge of the records, so that upstream's stdlib style works in
// `if comptime` and static_assert: `typeinfo(e).base_type == "int"`, `typeinfo(e) ==
// typeinfo(int8)`, `typeinfo(e).btf_id`.
const Expr *Typer::typeinfoFieldValue(const FieldExpr *f) const {
  const TupleExpr *rec = typeinfoRecordOf(R, f->base.get());
  if (!rec)
    return nullptr;
  for (size_t i = 0; i < rec->names.size(); ++i) {
    if (rec->names[i] != f->field)
      continue;
    const Expr *v = rec->elems[i].get();
    if (auto *id = as<CastExpr>(v)) // btf_id's (uint64)0
      return id->operand.get();
    return v;
  }
  return nullptr;
}

std::optional<bool> Typer::typeinfoEqual(const Expr *l, const Expr *r) const {
  const TupleExpr *a = typeinfoRecordOf(R, l), *b = typeinfoRecordOf(R, r);
  if (a && b) // their btf_ids are both 0: the names decide
    return sameNames(a, {as<StringLit>(b->elems[1].get())->value,
                         as<StringLit>(b->elems[2].get())->value});
  // A text field against a string literal (either side).
  auto text = [&](const Expr *e, bool &fromRecord) -> std::optional<std::string> {
    if (auto *s = as<StringLit>(e))
      return s->value;
    auto *f = as<FieldExpr>(e);
    auto *s = f ? as<StringLit>(typeinfoFieldValue(f)) : nullptr;
    fromRecord = s != nullptr;
    return s ? std::optional(s->value) : std::nullopt;
  };
  bool left = false, right = false;
  auto tl = text(l, left), tr = text(r, right);
  if (tl && tr && (left || right))
    return *tl == *tr;
  return std::nullopt;
}

TypeId Typer::typeinfoCall(const CallExpr *c) {
  // The argument's type may be known only in a later pass (a map's value): the record
  // follows it.
  auto record = [&](const UpstreamTypeNames &names) {
    auto it = R.expansions.find(c);
    if (it == R.expansions.end() || !sameNames(it->second.get(), names))
      R.expansions[c] = typeinfoRecord(c->range, names);
    return expr(R.expansions.at(c).get());
  };
  // A map holding an aggregation is its aggregation to upstream (`count_t`), where a
  // read of it would give btc's integer.
  if (auto *m = c->args.empty() ? nullptr : as<MapRef>(c->args[0].get())) {
    const MapInfo &mi = mapInfo(m);
    if (mi.agg != AggKind::None) {
      const char *name = aggregationName(mi.agg, ty(mi.value).isSigned);
      return record({name, name});
    }
  }
  // An unsized string names no size: upstream spells it "string" (btc holds one in
  // max_strlen bytes).
  const TypeName *arg = c->typeArg.get();
  if (arg && arg->name == "string" && arg->arraySize < 0 && !arg->pointerDepth &&
      !cType("string", true))
    return record({"string", "string"});
  // void: no value's type, but upstream's typeinfo names it.
  if (arg && arg->name == "void" && arg->arraySize < 0 && !arg->pointerDepth &&
      !cType("void", true))
    return record({"void", "void"});
  TypeId t;
  if (c->typeArg) {
    std::optional<TypeId> named = namedType(*c->typeArg, true);
    if (!named)
      return R.types.none();
    t = *named;
  } else {
    t = expr(c->args[0].get());
    if (ty(t).isNone())
      return R.types.none(); // an error said why, or a later pass of the typer will know
    if (upstreamBool(c->args[0].get()))
      return record({"bool", "bool"});
  }
  std::optional<UpstreamTypeNames> names = upstreamNames(R.types, t);
  // btc's bool is a uint8 (0.17's), which upstream's typeinfo names bool: `bool`,
  // `bool *`, `bool[4]`.
  if (names && arg && !arg->typeofExpr && arg->name == "bool" && !cType("bool", true)) {
    if (names->base == "int")
      names->base = "bool";
    names->full.replace(0, std::string("uint8").size(), "bool");
  }
  if (!names) {
    err(c->typeArg ? c->typeArg->range : c->args[0]->range,
        "typeinfo() of " + ty(t).str() + " is not supported yet (a tracepoint's args "
        "differ per attach point; upstream names the struct it builds for each)");
    return R.types.none();
  }
  return record(*names);
}

} // namespace bt::sema
