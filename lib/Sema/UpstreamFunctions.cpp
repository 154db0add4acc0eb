// Typing of upstream bpftrace's (0.22+) helpers: the compile-time predicates
// (is_str, is_integer, ..., is_scalar of a map), strcap (but a pointer's) and
// default_str_length, whose values Sema computes into `constants`; kfunc_exist, read
// from the target's BTF; strstr; signal_name; pid(init) and tid(init), the builtins;
// cwd and abs_path, the walk PathWalk.cpp builds (of a string, an int8 array or pointer).
#include "PathWalk.h"
#include "Typer.h"

namespace bt::sema {

using namespace ast;

namespace {

// signal_name()'s value: upstream's macro gives a string[64].
constexpr unsigned kSignalNameSize = 64;

// How abs_path() reads its path: upstream's assert_str takes a string, an array of
// int8 or a pointer to int8 (none of uint8, as its check is against typeinfo(int8)).
std::optional<PathText> pathText(const TypeTable &types, const Type &path) {
  if (path.isString())
    return PathText::String;
  if (path.isPointer() || path.isArray()) {
    const Type &element = types.get(path.isPointer() ? path.pointee : path.element);
    if (element.isInt() && element.isSigned && element.size == 1)
      return path.isPointer() ? PathText::Pointer : PathText::Array;
  }
  return std::nullopt;
}

bool isLiteral(const Expr *e) {
  if (auto *u = as<UnaryExpr>(e); u && u->op == UnaryOp::Neg)
    e = u->operand.get();
  return as<IntegerLit>(e) || as<StringLit>(e);
}

} // namespace

TypeId Typer::upstreamFunctionCall(const CallExpr *c, FunctionId id) {
  auto constant = [&](int64_t v) {
    R.constants[c] = v;
    return id == FunctionId::Strstr || id == FunctionId::Strcap ? R.types.integer(8, true)
                                                                : u64();
  };
  switch (id) {
  case FunctionId::IsArray:
  case FunctionId::IsInteger:
  case FunctionId::IsLiteral:
  case FunctionId::IsPtr:
  case FunctionId::IsStr:
  case FunctionId::IsUnsignedInteger: {
    // The argument is typed, never run: the answer is the type's.
    const Expr *a = c->args[0].get();
    const Type &t = ty(expr(a));
    if (t.isNone())
      return R.types.none();
    switch (id) {
    case FunctionId::IsArray:
      return constant(t.isArray());
    case FunctionId::IsInteger:
      return constant(t.isInt());
    case FunctionId::IsLiteral:
      return constant(isLiteral(a));
    case FunctionId::IsPtr:
      return constant(t.isPointer());
    case FunctionId::IsStr:
      return constant(t.isString());
    default:
      return constant(t.isInt() && !t.isSigned);
    }
  }
  case FunctionId::IsScalar: {
    // A map without keys, as upstream; the map's other uses say which. Before a pass
    // of the typer has seen one there is no answer yet (an `if comptime` on it would
    // otherwise pick a branch the map's later uses contradict).
    auto *m = as<MapRef>(c->args[0].get());
    if (!m || !m->keys.empty()) {
      err(c->args[0]->range, functionInfo(id).usage);
      return R.types.none();
    }
    const MapInfo &mi = mapInfo(m);
    if (!mi.keysKnown && !report_)
      return R.types.none();
    return constant(mi.keysKnown && mi.keys.empty());
  }
  case FunctionId::DefaultStrLength:
    return constant(R.options.strlen);
  case FunctionId::Strcap: {
    const Type &t = ty(expr(c->args[0].get()));
    if (t.isNone())
      return R.types.none();
    if (t.isString())
      return constant(t.size);
    if (t.isArray())
      return constant(t.count);
    // A pointer's is its string's length, read at run time up to max_strlen bytes.
    if (t.isPointer() && ty(t.pointee).isInt() && ty(t.pointee).size == 1)
      return R.types.integer(8, true);
    err(c->args[0]->range,
        "strcap() needs a string, an array or a pointer to characters, got " + t.str());
    return R.types.none();
  }
  case FunctionId::KfuncExist: {
    auto *name = as<StringLit>(c->args[0].get());
    if (!name || name->value.empty()) {
      err(c->range, functionInfo(id).usage);
      return R.types.none();
    }
    if (!kernelTypes(c->range))
      return R.types.none();
    return constant(R.btf->functionPrototype(R.types, name->value).has_value());
  }
  case FunctionId::Strstr: {
    for (int i = 0; i < 2; ++i) {
      const Type &t = ty(expr(c->args[i].get()));
      if (!t.isNone() && !t.isString())
        err(c->args[i]->range, "strstr() needs a string, got " + t.str());
    }
    return R.types.integer(8, true);
  }
  case FunctionId::SignalName: {
    // Upstream's macro takes the number as an int32; its text fits upstream's string[64].
    const Type &t = ty(expr(c->args[0].get()));
    if (t.isNone())
      return R.types.none();
    if (!t.isInt()) {
      err(c->args[0]->range, "signal_name() needs a signal's number, got " + t.str());
      return R.types.none();
    }
    return R.types.string(kSignalNameSize);
  }
  case FunctionId::Cwd:
  case FunctionId::AbsPath: {
    // The arguments are checked here, then typed again in the walk's copy of them,
    // which is what runs.
    PathArgument path;
    if (id == FunctionId::AbsPath) {
      const Type given = ty(expr(c->args[0].get())); // a copy: typing the depth may grow the table
      std::optional<PathText> read = pathText(R.types, given);
      if (!given.isNone() && !read)
        err(c->args[0]->range,
            "abs_path() needs a string, an int8 array or an int8 pointer, got " + given.str());
      // An array is read through its address (`&$arr`), which that gate switches off.
      if (read == PathText::Array)
        if (auto refused = R.options.refusedUnstable("unstable_addr")) {
          err(c->args[0]->range, "abs_path() of an array reads it through '&': " + *refused);
          return R.types.none();
        }
      if (c->args.size() > 1) {
        const Type &depth = ty(expr(c->args[1].get()));
        if (!depth.isNone() && !depth.isInt())
          err(c->args[1]->range, "abs_path() needs a depth as an integer, got " + depth.str());
        if (!depth.isInt())
          return R.types.none();
      }
      if (!read)
        return R.types.none();
      // A pointer's or an array's text is read into a string of max_strlen bytes.
      path = {*read, *read == PathText::String ? given.size : R.options.strlen, given.count};
    }
    auto it = R.expansions.find(c);
    if (it == R.expansions.end())
      it = R.expansions.emplace(c, pathWalk(c, path, R.expansions.size(), D)).first;
    return expr(it->second.get());
  }
  case FunctionId::PidCall:
  case FunctionId::TidCall: {
    // btc's pid and tid are the initial namespace's (bpftrace 0.17's); curr_ns is the
    // pid namespace btrun runs in, which btrun writes to the globals before BEGIN.
    auto *ns = as<IdentifierRef>(c->args[0].get());
    if (ns && ns->name == "curr_ns") {
      R.usesPidNamespace = true;
      return u64();
    }
    if (!ns || ns->name != "init") {
      err(c->args[0]->range, functionInfo(id).usage);
      return R.types.none();
    }
    auto b = std::make_shared<BuiltinRef>(c->range);
    b->name = c->callee;
    TypeId t = expr(b.get());
    R.expansions.emplace(c, std::move(b));
    return t;
  }
  default:
    return R.types.none();
  }
}

} // namespace bt::sema
