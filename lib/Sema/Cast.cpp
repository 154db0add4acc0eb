// Casts to integer types: `(uint32)e` converts an integer or a pointer; between integers and
// integer arrays (upstream bpftrace's array casts) `(uint8[8])12345` gives the integer's
// bytes as an array, `(int8[])"abc"` a string's, and `(uint32)pton("1.2.3.4")` an
// array's bytes as an integer;
// `(string[N])s` widens a string. Casts to other types are pointerCast's (Member.cpp).
#include "Enumerators.h"
#include "Typer.h"

#include <map>

namespace bt::sema {

using namespace ast;

// `(uint8[N])e`, `(uint8[])e`: an integer's bytes in memory order. As upstream: an integer
// literal has its smallest type (`(uint8[])1` is one byte); `[]` takes as many elements
// as the integer's size holds; an integer narrower than an array of up to 8 bytes is
// widened first (`(uint8[8])(uint32)x`), as an integer cast widens it. A string's bytes,
// its whole buffer (`(int8[])"abc"` is int8[4], the NUL too), cast as upstream casts them:
// to an array of exactly the buffer's size (upstream's way to see a char array BTF
// calls a string as bytes). Other values are refused, as upstream refuses them.
TypeId Typer::arrayCast(const CastExpr *c, const Type &from, unsigned elementSize,
                        bool isSigned) {
  if (from.isNone())
    return R.types.none();
  std::string to = spelling(c->type);
  bool string = from.isString();
  if (!from.isInt() && !string) {
    err(c->range, "cannot cast " + from.str() + " to " + to +
                      ": an array cast takes an integer or a string");
    return R.types.none();
  }
  std::optional<LiteralType> literal;
  if (!string)
    literal = literalType(c->operand.get());
  unsigned size = literal ? literal->bytes : from.size;
  std::string what = string ? from.str() : std::to_string(size) + "-byte integer";
  // `uint8[2][4]`: the outer array's element is itself an array (of arrays...) of integers.
  uint64_t rowBytes = elementSize;
  for (uint64_t n : c->type.innerSizes) {
    if (n == 0 || (!string && rowBytes * n > 8)) { // more than any integer's bytes
      err(c->range, "cannot cast " + what + " to " + to + ": its inner arrays hold " +
                        (n ? "more than 8 bytes" : "no element"));
      return R.types.none();
    }
    rowBytes *= n;
  }
  uint64_t count = uint64_t(c->type.arraySize);
  if (count == 0) {
    if (size % rowBytes != 0) {
      err(c->range, "cannot size " + to + " from " + what +
                        ": its size is no multiple of the element's");
      return R.types.none();
    }
    count = size / rowBytes;
  }
  uint64_t bytes = count * rowBytes;
  if (string && bytes != size) {
    err(c->range, "cannot cast " + what + " to " + to + " (" + std::to_string(bytes) +
                      " bytes): a string casts to an array of its buffer's size, " +
                      std::to_string(size) + " bytes (as bpftrace)");
    return R.types.none();
  }
  if (bytes != size && (bytes < size || bytes > 8)) {
    err(c->range, "cannot cast " + what + " to " + to + " (" + std::to_string(bytes) +
                      " bytes): an array cast needs both of one size, or an array of at "
                      "most 8 bytes wider than the integer");
    return R.types.none();
  }
  TypeId element = R.types.integer(elementSize, isSigned);
  for (auto n = c->type.innerSizes.rbegin(); n != c->type.innerSizes.rend(); ++n)
    element = R.types.array(element, unsigned(*n));
  return R.types.array(element, unsigned(count));
}

// As upstream's type checker: a string cast sizes a string's buffer, and may only widen
// it (the bytes past the string's are NULs).
TypeId Typer::stringCast(const CastExpr *c, const Type &from) {
  if (from.isNone())
    return R.types.none();
  std::string to = spelling(c->type);
  if (!from.isString()) {
    err(c->range, "cannot cast " + from.str() + " to " + to + ": a string cast takes a string" +
                      " (str() reads one from memory)");
    return R.types.none();
  }
  if (!c->type.innerSizes.empty()) {
    err(c->range, "cannot cast " + from.str() + " to " + to + ": a string is not an array");
    return R.types.none();
  }
  // `(string)s`, size left out: the operand's, as an array cast sizes `(uint8[])x`
  // (upstream's unsized string type is sized by what it types).
  if (c->type.arraySize <= 0)
    return R.types.string(from.size);
  if (uint64_t(c->type.arraySize) < from.size) {
    err(c->range, "cannot cast " + from.str() + " to " + to +
                      ": a string cast cannot shorten a string (as bpftrace)");
    return R.types.none();
  }
  return R.types.string(unsigned(c->type.arraySize));
}

// `(typeof(e))x`: a cast to e's type, where that is an integer, a pointer or a string
// (as the casts that name one: a string only widened).
TypeId Typer::typeofCast(const CastExpr *c, const Type &from) {
  std::optional<TypeId> to = typeofType(c->type);
  if (!to || from.isNone())
    return R.types.none();
  const Type &target = ty(*to);
  if (target.isString() && from.isString() && from.size <= target.size)
    return R.types.string(target.size);
  if ((target.isInt() || target.isPointer()) && (from.isInt() || from.isPointer()))
    return target.isInt() ? R.types.integer(target.size, target.isSigned) : *to;
  err(c->range, "cannot cast " + from.str() + " to typeof(...), " + target.str() +
                    (target.isInt() || target.isPointer() || target.isString()
                         ? ""
                         : ": a typeof cast names an integer, a pointer or a string"));
  return R.types.none();
}

// The integer at the innermost of nested arrays (`uint8` of uint8[2][4]); none if not one.
const Type *Typer::innermostInteger(const Type &array) const {
  const Type *element = &array;
  while (element->isArray())
    element = &ty(element->element);
  return element->isInt() ? element : nullptr;
}

// As upstream's type checker: a non-negative value known at compile time cast to an
// enum must be one of its enumerators' (`(enum E)3` where E has no 3 is a mistake, not a
// value to print as a number). Upstream checks no negative literal (`(enum E)-5` is its
// 64-bit value) and no value known only at run time; an enum whose enumerators btc
// cannot list takes any value.
void Typer::checkEnumCastValue(const CastExpr *c, const std::string &spelling) {
  std::optional<int64_t> value = compileTimeValue(c->operand.get());
  if (!value || *value < 0)
    return;
  auto enumerators = enumeratorsOf(R.cdefs.get(), *R.btf, spelling);
  if (!enumerators)
    return;
  for (const auto &enumerator : *enumerators)
    if (enumerator.first == static_cast<uint64_t>(*value))
      return;
  err(c->range, spelling + " has no enumerator of value " + std::to_string(*value));
}

TypeId Typer::cast(const CastExpr *c) {
  const Type &t = ty(expr(c->operand.get()));
  static const std::map<std::string, std::pair<unsigned, bool>> ints = {
      {"int8", {1, true}},   {"int16", {2, true}},   {"int32", {4, true}},
      {"int64", {8, true}},  {"uint8", {1, false}},  {"uint16", {2, false}},
      {"uint32", {4, false}}, {"uint64", {8, false}}, {"bool", {1, false}},
  };
  if (c->type.typeofExpr)
    return typeofCast(c, t);
  if (c->type.name == "string" && !c->type.pointerDepth)
    return stringCast(c, t);
  // Upstream's inet, timestamp, count_t, ...: no cast makes one, there as here.
  if (auto builtin = upstreamBuiltinType(c->type)) {
    if (*builtin)
      err(c->range, "cannot cast to " + spelling(c->type) + " (a cast makes an integer, a "
                    "bool, a string, a pointer or an integer array)");
    return R.types.none();
  }
  auto it = ints.find(c->type.name);
  bool integer = it != ints.end() && c->type.name != "bool" && !c->type.pointerDepth;
  // `(bool[N])e`: upstream's bool array, each byte true when not zero (Lower makes each
  // 0 or 1; bools are the integers 0 and 1 in btc).
  bool boolArray = c->type.name == "bool" && !c->type.pointerDepth;
  if ((integer || boolArray) && c->type.arraySize >= 0)
    return arrayCast(c, t, it->second.first, it->second.second);
  if (it == ints.end() || c->type.pointerDepth || c->type.arraySize >= 0)
    return pointerCast(c, R.exprTypes[c->operand.get()]);
  // Upstream's (bool)"str": true when the string is not empty.
  if (c->type.name == "bool" && t.isString())
    return R.types.integer(1, false);
  bool integerArray = t.isArray() && innermostInteger(t);
  if (integer && integerArray && t.size == it->second.first)
    return R.types.integer(it->second.first, it->second.second);
  if (!t.isNone() && !t.isInt() && !t.isPointer()) {
    err(c->range, "cannot cast " + t.str() + " to " + c->type.name +
                      (integerArray
                           ? " (an array cast needs both of one size)"
                           : ""));
    return R.types.none();
  }
  return R.types.integer(it->second.first, it->second.second);
}

} // namespace bt::sema
