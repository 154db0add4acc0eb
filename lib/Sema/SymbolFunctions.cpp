// Typing of the functions that name a kernel symbol: kaddr("name"), or kaddr(str($1))
// with the arguments given to btc. The address is the run host's, filled in when btrun
// loads the object (lib/Lower/SymbolFunctions.cpp).
#include "Typer.h"

#include "bt/Sema/PositionalText.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::symbolFunctionCall(const CallExpr *c, FunctionId id) {
  if (id != FunctionId::Kaddr)
    return R.types.none();
  const Expr *arg = c->args[0].get();
  std::optional<std::string> name;
  if (auto *lit = as<StringLit>(arg))
    name = lit->value;
  else if (auto *str = as<CallExpr>(arg); str && str->callee == "str") {
    // kaddr(str($1)): bpftrace 0.17 substitutes the argument as it compiles. btc can when
    // it is given the arguments; otherwise $1 is btrun's, too late for the name that
    // libbpf resolves as it loads the object.
    expr(arg);
    name = fixedPositionalText(arg, R.options.positionalArgs);
    uint64_t offset = 0;
    const PositionalParamRef *p =
        str->args.size() == 1 ? positionalText(str->args[0].get(), offset) : nullptr;
    if (p && !name) {
      err(arg->range, "kaddr(str($" + std::to_string(p->index) + ")): btc reads $" +
                          std::to_string(p->index) +
                          " at run time, from btrun's arguments, and kaddr() needs the name "
                          "when it compiles: give the arguments to btc after the script "
                          "(btc SCRIPT ARG...) to compile them in");
      return R.types.none();
    }
  }
  if (!name || name->empty() || name->find('\0') != std::string::npos) {
    err(arg->range, name ? "kaddr() of an empty symbol name (the argument given to btc)"
                         : "kaddr() takes a kernel symbol's name as a string literal");
    return R.types.none();
  }
  return u64();
}

} // namespace bt::sema
