// Typing of function calls: the checks shared by all (arity, statement or value), the
// dispatch to each row's checker (Functions.def's Check column), and the checkers of
// printf, print, str, strncmp, ksym, strftime, ... and the aggregations.
#include "Typer.h"

#include "bt/Sema/PositionalText.h"

namespace bt::sema {

using namespace ast;

namespace {
// A row's Check column names a checker of the call, or of the call and its id where
// one checker takes several rows.
TypeId check(Typer &t, TypeId (Typer::*f)(const CallExpr *), const CallExpr *c, FunctionId) {
  return (t.*f)(c);
}
TypeId check(Typer &t, TypeId (Typer::*f)(const CallExpr *, FunctionId), const CallExpr *c,
             FunctionId id) {
  return (t.*f)(c, id);
}
} // namespace

std::optional<FunctionId> Typer::resolve(const CallExpr *c) {
  if (auto it = R.functions.find(c); it != R.functions.end())
    return it->second;
  auto id = lookupFunction(c->callee);
  if (id)
    R.functions.emplace(c, *id);
  return id;
}

AggKind Typer::aggregationOf(const CallExpr *c) {
  auto id = resolve(c);
  return id && functionInfo(*id).supported ? sema::aggregationOf(*id) : AggKind::None;
}

bool Typer::checkArity(const CallExpr *c, const FunctionInfo &info) {
  size_t given = c->args.size() + (c->typeArg ? 1 : 0); // typeinfo(TYPE)
  if (given >= info.minArgs && given <= info.maxArgs)
    return true;
  // Rows without a usage text take a fixed number of arguments.
  if (*info.usage)
    err(c->range, info.usage);
  else
    err(c->range, c->callee + "() takes " + std::to_string(info.minArgs) + " argument" +
                      (info.minArgs == 1 ? "" : "s") + ", " + std::to_string(given) + " given");
  return false;
}

TypeId Typer::aggregationCall(const CallExpr *call) {
  if (!checkArity(call, functionInfo(R.functions.at(call))))
    return R.types.none();
  for (size_t i = 0; i < call->args.size(); ++i) {
    if (i == 3 && aggregationOf(call) == AggKind::Tseries)
      break; // its aggregation's name: tseriesParams
    const Type &t = ty(expr(call->args[i].get()));
    if (!t.isNone() && !t.isInt())
      err(call->args[i]->range, call->callee + "() needs an integer, got " + t.str());
  }
  // A sum of an unsigned argument is unsigned (bpftrace's usum_t), printed as such.
  bool isSigned = call->args.empty() || !ty(expr(call->args[0].get())).isInt() ||
                  ty(expr(call->args[0].get())).isSigned;
  TypeId type = R.types.aggregation(aggregationOf(call), isSigned);
  record(call, type);
  return type;
}

std::optional<int64_t> Typer::literal(const Expr *e) const {
  if (auto *i = as<IntegerLit>(e))
    return (int64_t)i->value;
  // A C macro or enumerator (AF_INET) is a literal, as bpftrace's preprocessor makes it;
  // so is $N or $# given to btc (btc SCRIPT ARG...), as bpftrace substitutes them. Either
  // is valued once typed.
  if ((as<IdentifierRef>(e) && R.cdefs) || as<PositionalParamRef>(e))
    if (auto it = R.constants.find(e); it != R.constants.end())
      return it->second;
  if (auto *u = as<UnaryExpr>(e); u && u->op == UnaryOp::Neg)
    if (auto *i = as<IntegerLit>(u->operand.get()))
      return -(int64_t)i->value;
  return std::nullopt;
}

// Upstream's hist(v, k) splits each power of two into 2^k buckets, 0 <= k <= 5; every
// hist() of one map must use the same k, as upstream requires.
void Typer::histParams(const CallExpr *call, MapInfo &mi) {
  int64_t bits = 0;
  if (call->args.size() == 2) {
    auto k = literal(call->args[1].get());
    if (!k || *k < 0 || *k > 5) {
      err(call->args[1]->range, "hist() bits must be an integer literal from 0 to 5");
      return;
    }
    bits = *k;
  }
  if (mi.histBits >= 0 && mi.histBits != bits) {
    err(call->range, "hist() bits of " + mi.name + " differ from an earlier use (" +
                         std::to_string(mi.histBits) + " there, " + std::to_string(bits) +
                         " here)");
    return;
  }
  mi.histBits = int(bits);
}

void Typer::lhistParams(const CallExpr *call, MapInfo &mi) {
  if (call->args.size() != 4)
    return;
  auto mn = literal(call->args[1].get()), mx = literal(call->args[2].get()),
       st = literal(call->args[3].get());
  if (!mn || !mx || !st) {
    std::string param;
    for (size_t i = 1; i < 4 && param.empty(); ++i)
      param = runTimeParamReason(call->args[i].get());
    err(call->range, "lhist() min, max and step must be integer literals" + param);
    return;
  }
  // bpftrace 0.17 and upstream both refuse a negative min.
  if (*mn < 0) {
    err(call->args[1]->range, "lhist() min must be non-negative (provided min " +
                                  std::to_string(*mn) + ")");
    return;
  }
  if (*st <= 0 || *mx <= *mn) {
    err(call->range, "lhist() needs step > 0 and max > min");
    return;
  }
  if ((*mx - *mn) / *st > 1000) {
    err(call->range, "lhist() would have more than 1000 buckets");
    return;
  }
  if (mi.lhistStep && (mi.lhistMin != *mn || mi.lhistMax != *mx || mi.lhistStep != *st)) {
    err(call->range, "lhist() parameters of " + mi.name + " differ from an earlier use");
    return;
  }
  mi.lhistMin = *mn;
  mi.lhistMax = *mx;
  mi.lhistStep = *st;
}

TypeId Typer::call(const CallExpr *c, bool statement) {
  const std::string &n = c->callee;
  auto id = resolve(c);
  if (!id) {
    if (R.options.externalC)
      if (const ExternalCFunction *f = R.options.externalC->find(n))
        return externalCall(c, *f, statement);
    err(c->calleeRange, "unknown function '" + n + "'");
    return R.types.none();
  }
  const FunctionInfo &info = functionInfo(*id);
  // Upstream's gate comes first, as there: off by default (lib/Sema/Config.cpp).
  if (*id == FunctionId::Typeinfo) {
    if (auto refused = R.options.refusedUnstable("unstable_typeinfo")) {
      err(c->calleeRange, "typeinfo(): " + *refused);
      return R.types.none();
    }
  }
  if (!info.supported) {
    err(c->calleeRange, "function '" + n + "' is not supported yet" +
                            (*info.usage ? std::string(" (") + info.usage + ")" : ""));
    return R.types.none();
  }
  if (info.kind == FunctionKind::Aggregation) {
    err(c->range, n + "() must be assigned to a map, as in @x = " + n + "()");
    return R.types.none();
  }
  if (info.kind == FunctionKind::Statement && !statement)
    err(c->range, n + "() has no value; use it as a statement");
  if (!checkArity(c, info))
    return R.types.none();
  if (!pinnedIteratorAllows(c, *id))
    return R.types.none();
  switch (*id) {
#define FUNCTION(Id, Spelling, MinArgs, MaxArgs, Arguments, Kind, Usage, Check, Lower)         \
  case FunctionId::Id:                                                                      \
    return check(*this, &Typer::Check, c, *id);
#include "bt/Basic/Functions.def"
  default: // the aggregations and the rows not supported, refused above
    return R.types.none();
  }
}

std::vector<Type> Typer::argTypes(const CallExpr *c) {
  std::vector<Type> ts;
  for (const auto &a : c->args)
    ts.push_back(ty(expr(a.get())));
  return ts;
}

// printf, and cat, system, errorf and warnf, whose first argument is a printf format.
TypeId Typer::formatCall(const CallExpr *c, FunctionId id) {
  if (!as<StringLit>(c->args[0].get())) {
    err(c->range, functionInfo(id).usage);
    return R.types.none();
  }
  auto ts = argTypes(c);
  for (size_t i = 1; i < ts.size(); ++i)
    if (ts[i].isNone())
      return R.types.none();
  // A tuple, record (args) or array is printed by %s as print() prints it (upstream
  // 0.24+): its members are copied into the event as print()'s are.
  for (size_t i = 1; i < ts.size(); ++i) {
    TypeId argType = R.typeOf(c->args[i].get());
    std::string use = std::string(functionInfo(id).spelling) + "()";
    if (ts[i].isRecord() && ts[i].origin != RecordOrigin::Tuple &&
        !recordValue(argType, c->args[i]->range, use))
      return R.types.none();
    if (ts[i].isArray() && !arrayValue(argType, c->args[i]->range, use))
      return R.types.none();
  }
  if (report_ && sema::checkFormat(as<StringLit>(c->args[0].get())->value,
                                   std::vector<Type>(ts.begin() + 1, ts.end()),
                                   c->args[0]->range, D))
    symbolicConversions(c, std::vector<Type>(ts.begin() + 1, ts.end()));
  return R.types.none();
}

TypeId Typer::printCall(const CallExpr *c) {
  auto *whole = as<MapRef>(c->args[0].get());
  if (whole && whole->keys.empty()) {
    // print(@m, top, div): the last `top` entries (0: all), values divided by div.
    // Values of the running kernel's bytes (`@s = *curtask`) are printed by the layout
    // btrun reads from that kernel's BTF (lib/Runtime/KernelRecords.cpp).
    MapInfo &mi = mapInfo(whole);
    // div 0 divides by nothing, as in bpftrace 0.17; btrun applies both as 0.17 does.
    for (size_t i = 1; i < c->args.size(); ++i)
      if (!as<IntegerLit>(c->args[i].get()))
        err(c->args[i]->range,
            std::string("print() ") + (i == 1 ? "top" : "div") + " must be an integer literal");
    if (report_ && c->args.size() > 1 && mi.agg == AggKind::Stats)
      D.warning(c->range, "print()'s top and div arguments are ignored when used on stats() maps.");
    return R.types.none();
  }
  if (c->args.size() != 1) {
    err(c->range, functionInfo(FunctionId::Print).usage);
    return R.types.none();
  }
  // One key of a histogram or stats() map is no one value: bpftrace refuses print(@h[k])
  // at the call (upstream: "cannot print the value of individual keys"), and so does btc.
  if (auto *keyed = as<MapRef>(c->args[0].get()); keyed && !keyed->keys.empty()) {
    AggKind agg = mapInfo(keyed).agg;
    if (agg == AggKind::Hist || agg == AggKind::Lhist || agg == AggKind::Stats ||
        agg == AggKind::Tseries) {
      mapKeys(keyed);
      err(c->range, "print() cannot print one key of a " + std::string(aggName(agg)) +
                        "() map: print the whole map, print(" + keyed->name + ")");
      return R.types.none();
    }
  }
  TypeId valueId = expr(c->args[0].get());
  const Type &t = ty(valueId);
  // An array prints as bpftrace 0.17 prints one, `[1,2]`, `[{ .a = 1 },{ .a = 2 }]`.
  if (t.isRecord() && t.origin != RecordOrigin::Tuple)
    recordValue(valueId, c->args[0]->range, "print()");
  else if (t.isArray())
    arrayValue(valueId, c->args[0]->range, "print()");
  else if (!t.isNone() && !t.isInt() && !t.isString() && !t.isHostText() && !t.isBuffer() &&
           !t.isRecord() && !t.isPointer())
    err(c->args[0]->range, "print() of " + t.str() + " is not supported yet");
  return R.types.none();
}

TypeId Typer::timeCall(const CallExpr *c) {
  if (c->args.size() == 1 && !as<StringLit>(c->args[0].get()))
    err(c->range, functionInfo(FunctionId::Time).usage);
  else if (c->args.size() == 1 && report_)
    sema::checkFormatText(as<StringLit>(c->args[0].get())->value, c->args[0]->range, D);
  return R.types.none();
}

TypeId Typer::strCall(const CallExpr *c) {
  // str($N) is the Nth argument's text, not a pointer to read; str($N + K) its text
  // from offset K.
  uint64_t offset = 0;
  if (auto *p = positionalText(c->args[0].get(), offset)) {
    std::string name = "$" + std::to_string(p->index);
    if (R.options.positionalArgs) {
      // Given to btc: Lower writes the argument's text as a literal.
      R.params.readFixed = true;
      const auto &args = *R.options.positionalArgs;
      size_t length = static_cast<size_t>(p->index) <= args.size() ? args[p->index - 1].size() : 0;
      if (offset > length)
        err(c->args[0]->range, "str(" + name + " + " + std::to_string(offset) +
                                   "): the offset is past the end of " + name + " (" +
                                   std::to_string(length) + " characters)");
    } else {
      R.params.asString.insert(p->index);
    }
    // The text lies in a string of strlen bytes (a literal, or btrun's slot).
    if (offset >= R.options.strlen)
      err(c->args[0]->range, "str(" + name + " + " + std::to_string(offset) +
                                 "): the offset is past the string size (" +
                                 std::to_string(R.options.strlen) + " bytes)");
    record(p, R.types.string(R.options.strlen));
  } else {
    const Type &t = ty(expr(c->args[0].get()));
    if (!t.isNone() && !t.isInt() && !t.isPointer() && !t.isString())
      err(c->args[0]->range, "str() needs a pointer or a string, got " + t.str());
  }
  if (c->args.size() == 2) {
    const Type &n = ty(expr(c->args[1].get()));
    auto *lit = as<IntegerLit>(c->args[1].get());
    // As upstream: a length known negative at compile time is an error, not a read of
    // what a huge unsigned length would bound.
    if (std::optional<int64_t> known = lit ? std::nullopt : compileTimeValue(c->args[1].get());
        known && *known < 0) {
      err(c->args[1]->range, "str() cannot use a negative length (" + std::to_string(*known) + ")");
      return R.types.none();
    }
    // A length known only at run time bounds the read or a string's copy.
    if (!lit && !n.isNone() && !n.isInt())
      err(c->args[1]->range, "str() length must be an integer, got " + n.str());
    else if (lit && (lit->value == 0 || lit->value > 4096))
      err(c->args[1]->range, "str() length must be from 1 to 4096");
  }
  return R.types.string(R.options.strlen);
}

// clear(@m) and zero(@m).
TypeId Typer::clearCall(const CallExpr *c, FunctionId id) {
  auto *m = as<MapRef>(c->args[0].get());
  if (!m || !m->keys.empty()) {
    err(c->range, functionInfo(id).usage);
    return R.types.none();
  }
  mapInfo(m);
  return R.types.none();
}

TypeId Typer::nsecsCall(const CallExpr *c) {
  // nsecs() is the builtin nsecs (CLOCK_MONOTONIC, as bpftrace 0.17's).
  if (!c->args.empty()) {
    auto *clock = as<IdentifierRef>(c->args[0].get());
    if (clock && clock->name == "sw_tai")
      R.usesTaiDelta = true;
    else if (!clock || (clock->name != "monotonic" && clock->name != "boot" &&
                        clock->name != "tai"))
      err(c->args[0]->range, functionInfo(FunctionId::NsecsCall).usage);
  }
  return u64();
}

TypeId Typer::ksymCall(const CallExpr *c) {
  const Type &t = ty(expr(c->args[0].get()));
  // A pointer is an address too (`ksym(args.function)` of a `void *` field), as in bpftrace.
  if (!t.isNone() && !t.isInt() && !t.isPointer()) {
    err(c->args[0]->range, "ksym() needs an address, got " + t.str());
    return R.types.none();
  }
  return R.types.kernelSymbol();
}

TypeId Typer::usymCall(const CallExpr *c) {
  const Type &t = ty(expr(c->args[0].get()));
  // A pointer is an address too (`usym($ops->handler)`, a function pointer member), as in bpftrace.
  if (!t.isNone() && !t.isInt() && !t.isPointer()) {
    err(c->args[0]->range, "usym() needs an address, got " + t.str());
    return R.types.none();
  }
  return R.types.userSymbol();
}

TypeId Typer::strftimeCall(const CallExpr *c) {
  auto *fmt = as<StringLit>(c->args[0].get());
  if (!fmt) {
    err(c->range, functionInfo(FunctionId::Strftime).usage);
    return R.types.none();
  }
  const Type &t = ty(expr(c->args[1].get()));
  if (!t.isNone() && !t.isInt()) {
    err(c->args[1]->range, "strftime() needs nanoseconds, got " + t.str());
    return R.types.none();
  }
  return R.types.timestamp(fmt->value);
}

TypeId Typer::strncmpCall(const CallExpr *c) {
  // 0 when the strings agree in their first n characters, else 1 (as bpftrace).
  auto ts = argTypes(c);
  for (int i = 0; i < 2; ++i)
    if (!ts[i].isNone() && !ts[i].isString())
      err(c->args[i]->range, "strncmp() compares strings, got " + ts[i].str());
  const Expr *length = c->args[2].get();
  std::optional<int64_t> n = literal(length);
  if (!n)
    err(length->range, "strncmp() length must be an integer literal" +
                           runTimeParamReason(length));
  else if (*n < 0) // as bpftrace 0.17, which requires a non-negative size
    err(length->range, "strncmp() length must not be negative, got " + std::to_string(*n));
  else // Lower compares this many bytes, whatever spelled it (-0, a macro, $N)
    R.constants[length] = *n;
  return u64();
}

TypeId Typer::exitCall(const CallExpr *c) {
  // Upstream's exit(code): a literal travels in the manifest, any other integer in the
  // exit record (btrun exits with its low 8 bits, as a process status keeps them).
  if (!c->args.empty()) {
    auto *code = as<IntegerLit>(c->args[0].get());
    const Type &t = ty(expr(c->args[0].get()));
    if (!t.isNone() && !t.isInt())
      err(c->args[0]->range, "exit() code must be an integer, got " + t.str());
    else if (code && code->value > 255)
      err(c->args[0]->range, "exit() code must be from 0 to 255");
  }
  return R.types.none();
}

} // namespace bt::sema
