// Casts to integer types: `(uint32)e` converts an integer or a pointer; between integers and
// integer arrays (upstream bpftrace's array casts) `(uint8[8])12345` gives the integer's
// bytes as an array and `(uint32)pton("1.2.3.4")` an array's bytes as an integer, both
// sides of one size. Casts to other types are pointerCast's (Member.cpp).
#include "Typer.h"

#include <map>

namespace bt::sema {

using namespace ast;

TypeId Typer::cast(const CastExpr *c) {
  const Type &t = ty(expr(c->operand.get()));
  static const std::map<std::string, std::pair<unsigned, bool>> ints = {
      {"int8", {1, true}},   {"int16", {2, true}},   {"int32", {4, true}},
      {"int64", {8, true}},  {"uint8", {1, false}},  {"uint16", {2, false}},
      {"uint32", {4, false}}, {"uint64", {8, false}}, {"bool", {1, false}},
  };
  auto it = ints.find(c->type.name);
  bool integer = it != ints.end() && c->type.name != "bool" && !c->type.pointerDepth;
  if (integer && c->type.arraySize >= 0) {
    auto [size, isSigned] = it->second;
    uint64_t bytes = uint64_t(c->type.arraySize) * size;
    if (t.isNone())
      return R.types.none();
    if (!t.isInt() || t.size != bytes) {
      err(c->range, "cannot cast " + t.str() + " to " + c->type.name + "[" +
                        std::to_string(c->type.arraySize) + "]" +
                        (t.isInt() ? " (an array cast needs both of one size)" : ""));
      return R.types.none();
    }
    return R.types.array(R.types.integer(size, isSigned), unsigned(c->type.arraySize));
  }
  if (it == ints.end() || c->type.pointerDepth || c->type.arraySize >= 0)
    return pointerCast(c, R.exprTypes[c->operand.get()]);
  if (integer && t.isArray() && ty(t.element).isInt() && t.size == it->second.first)
    return R.types.integer(it->second.first, it->second.second);
  if (!t.isNone() && !t.isInt() && !t.isPointer()) {
    err(c->range, "cannot cast " + t.str() + " to " + c->type.name +
                      (t.isArray() && ty(t.element).isInt()
                           ? " (an array cast needs both of one size)"
                           : ""));
    return R.types.none();
  }
  return R.types.integer(it->second.first, it->second.second);
}

} // namespace bt::sema
