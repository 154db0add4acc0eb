// Typing of the string and byte functions: strlen, strcontains, str_concat, bswap, and of
// strerror,
// whose value btrun prints (an errno as its message), and join, an output statement.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::stringFunctionCall(const CallExpr *c, FunctionId id) {
  std::vector<TypeId> ts;
  for (const auto &a : c->args)
    ts.push_back(expr(a.get()));
  auto needString = [&](size_t i) {
    if (!ty(ts[i]).isNone() && !ty(ts[i]).isString())
      err(c->args[i]->range, c->callee + "() needs a string, got " + ty(ts[i]).str());
  };
  switch (id) {
  case FunctionId::Strlen:
    needString(0);
    return u64();
  case FunctionId::Strcontains:
    needString(0);
    needString(1);
    return u64();
  case FunctionId::StrConcat: {
    // Upstream's str_concat: the first string's characters, then the second's, in a
    // string whose size holds both (one NUL dropped). A char pointer or array is read
    // into a string first, with str(), as upstream's strings are.
    needString(0);
    needString(1);
    const Type &a = ty(ts[0]), &b = ty(ts[1]);
    if (!a.isString() || !b.isString())
      return R.types.none();
    return R.types.string(a.size + b.size - 1);
  }
  case FunctionId::Bswap: {
    // The bytes of the argument's own width reversed, as an unsigned of that width.
    const Type &t = ty(ts[0]);
    if (t.isNone())
      return R.types.none();
    if (!t.isInt()) {
      err(c->args[0]->range, "bswap() needs an integer, got " + t.str());
      return R.types.none();
    }
    return R.types.integer(t.size, false);
  }
  case FunctionId::Strerror:
    if (!ty(ts[0]).isNone() && !ty(ts[0]).isInt())
      err(c->args[0]->range, "strerror() needs an error number, got " + ty(ts[0]).str());
    return R.types.errorText();
  case FunctionId::Join: {
    // join(array [, separator]): a pointer to char pointers (args->argv); btrun prints.
    const Type &array = ty(ts[0]);
    if (!array.isNone() && !array.isInt() && !array.isPointer())
      err(c->args[0]->range, "join() needs a pointer to an array of strings, got " + array.str());
    if (c->args.size() == 2 && !as<StringLit>(c->args[1].get()))
      err(c->args[1]->range, "join() separator must be a string literal");
    return R.types.none();
  }
  default:
    return R.types.none();
  }
}

} // namespace bt::sema
