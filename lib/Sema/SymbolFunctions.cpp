// Typing of the functions that name a kernel symbol: kaddr("name"). The address is
// the run host's, filled in when btrun loads the object (lib/Lower/SymbolFunctions.cpp).
#include "Typer.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::symbolFunctionCall(const CallExpr *c, FunctionId id) {
  if (id != FunctionId::Kaddr)
    return R.types.none();
  auto *name = as<StringLit>(c->args[0].get());
  if (!name || name->value.empty() || name->value.find('\0') != std::string::npos) {
    err(c->args[0]->range, "kaddr() takes a kernel symbol's name as a string literal");
    return R.types.none();
  }
  if (R.percpuVariables.count(name->value)) {
    err(c->args[0]->range, "kaddr(\"" + name->value + "\") beside percpu_kaddr(\"" + name->value +
                               "\") in one script is not supported yet");
    return R.types.none();
  }
  R.kaddrSymbols.insert(name->value);
  return u64();
}

} // namespace bt::sema
