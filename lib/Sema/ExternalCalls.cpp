// Calls of the functions an imported BPF C source defines (`import "x.bpf.c";`,
// include/bt/Sema/ExternalC.h), or an imported BPF object (`import "x.bpf.o";`): typed
// by the C's own prototype, as upstream types them by the BTF of the compiled C. A script's integers are 64-bit where C's are often
// narrower, so an integer argument is converted to the parameter's type as C converts
// it, where upstream asks for the exact type; a pointer parameter takes any pointer, as
// upstream's does, or `&@m`; what a script cannot hand to C (a string, a tuple, a
// struct) is a located error.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::externalCall(const CallExpr *c, const ExternalCFunction &f, bool statement) {
  if (c->typeArg) {
    err(c->range, f.name + "() takes no type argument");
    return R.types.none();
  }
  if (c->args.size() != f.params.size()) {
    err(c->range, f.name + "() of " + f.file + " takes " + std::to_string(f.params.size()) +
                      " argument" + (f.params.size() == 1 ? "" : "s") + ", " +
                      std::to_string(c->args.size()) + " given");
    return R.types.none();
  }
  // `&@m` handed to a C function: the map itself (upstream's unstable_addr), a pointer
  // the C gives to the map helpers. The script must use the map too, for its layout is
  // the one the script's uses make (docs/OBJECT.md), which the C must match. Lower
  // passes the map's definition in .maps for it (ProbeLowering::externalCall).
  auto mapArgument = [&](const UnaryExpr *u, const ExternalCType &p, const std::string &param) {
    auto *m = as<MapRef>(u->operand.get());
    if (auto refused = R.options.refusedUnstable("unstable_addr")) {
      err(u->range, "'&': " + *refused);
      return false;
    }
    if (m->hasKeys) {
      err(u->range, "'&" + m->name + "[...]' is not supported: upstream reads it as (&" +
                        m->name + ")[...], an index off the map's own address");
      return false;
    }
    if (p.kind != ExternalCType::Pointer) {
      err(u->range, f.name + "() takes a '" + p.spelling + "' for its " + param +
                        ", not a map");
      return false;
    }
    if (f.inObject) {
      // A global function is verified apart from its callers, with pointer arguments
      // to sized memory only: the verifier refuses a map there.
      err(u->range, "'&" + m->name + "': " + f.name + "() of " + f.file +
                        " is a global function of a BPF object, which the verifier checks on "
                        "its own and passes no map");
      return false;
    }
    if (mapByName(m->name))
      return true;
    err(u->range, "'&" + m->name + "': the script uses " + m->name +
                      " nowhere else, so it has no layout for the C to read");
    return false;
  };
  bool ok = true;
  for (size_t i = 0; i < f.params.size(); ++i) {
    const ExternalCType &p = f.params[i];
    std::string param = f.paramNames[i].empty() ? "argument " + std::to_string(i + 1)
                                                 : "parameter '" + f.paramNames[i] + "'";
    if (auto *u = as<UnaryExpr>(c->args[i].get());
        u && u->op == UnaryOp::AddressOf && as<MapRef>(u->operand.get())) {
      ok = mapArgument(u, p, param) && ok;
      continue;
    }
    const Type &t = ty(expr(c->args[i].get()));
    if (t.isNone()) {
      ok = false;
      continue;
    }
    if (p.kind == ExternalCType::Pointer) {
      // As upstream: any pointer for any pointer parameter; the C says what it points
      // at, and the verifier refuses a use the pointer's memory does not allow.
      if (!t.isPointer()) {
        err(c->args[i]->range, f.name + "() needs a pointer for its " + param + " ('" +
                                   p.spelling + "'), got " + t.str());
        ok = false;
      }
    } else if (p.kind != ExternalCType::Int && p.kind != ExternalCType::Bool) {
      err(c->args[i]->range, "passing a '" + p.spelling + "' (" + param + " of " + f.name +
                                 "()) from a script is not supported yet: only integers "
                                 "and pointers");
      ok = false;
    } else if (!t.isInt() && !t.isBool()) {
      err(c->args[i]->range, f.name + "() needs an integer for its " + param + " ('" +
                                 p.spelling + "'), got " + t.str());
      ok = false;
    }
  }
  if (!ok)
    return R.types.none();
  R.externalCalls[c] = &f;
  switch (f.result.kind) {
  case ExternalCType::Void:
    // The verifier checks an object's global function apart from its callers and
    // refuses one that returns no scalar ("doesn't return scalar"): refused here rather
    // than by btrun on the host.
    if (f.inObject)
      err(c->range, f.name + "() of " + f.file + " returns void: the kernel's verifier "
                    "refuses a call of a global BPF function that returns no integer; make "
                    "it return one");
    else if (!statement)
      err(c->range, f.name + "() returns void; use it as a statement");
    return R.types.none();
  case ExternalCType::Int:
    return R.types.integer(f.result.bytes, f.result.isSigned);
  case ExternalCType::Bool: // an integer, 1 or 0, as 0.17 holds and prints a bool
    return R.types.integer(1, false);
  default:
    err(c->range, f.name + "() returns a '" + f.result.spelling +
                      "', which a script cannot take yet: only integers");
    return R.types.none();
  }
}

} // namespace bt::sema
