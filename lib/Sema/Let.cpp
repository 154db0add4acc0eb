// `let $x [: type] [= e];` (bpftrace 0.22+): a variable declared in the block
// the statement is in, visible from there to the end of that block; without a
// value it starts as zero (an empty string). Declaring a name that an
// enclosing block already has, or that this one has, is an error: bpftrace
// allows no shadowing. The type is an integer type, bool, string, or what a cast
// names: a pointer, struct, union, enum or typedef.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

// As the largest strlen btc's config takes: a declared string is no bigger than str()'s.
constexpr unsigned kMaxDeclaredString = 32768;

std::optional<TypeId> Typer::declaredType(const TypeName &t) {
  static const std::map<std::string, std::pair<unsigned, bool>> ints = {
      {"int8", {1, true}},    {"int16", {2, true}},   {"int32", {4, true}},
      {"int64", {8, true}},   {"uint8", {1, false}},  {"uint16", {2, false}},
      {"uint32", {4, false}}, {"uint64", {8, false}}, {"bool", {1, false}},
  };
  if (t.typeofExpr) {
    std::optional<TypeId> of = typeofType(t);
    if (!of)
      return std::nullopt;
    const Type &type = ty(*of);
    if (type.isRecord() && type.origin != RecordOrigin::Tuple)
      return recordValue(*of, t.range, "a variable") ? of : std::nullopt;
    if (type.isInt() || type.isString() || type.isPointer() || type.isRecord())
      return of;
    if (type.isArray())
      return heldArrayType(*of, t.range) ? of : std::nullopt;
    err(t.range, "variables of type " + type.str() + " (typeof) are not supported yet");
    return std::nullopt;
  }
  if (t.pointerDepth == 0 && t.arraySize < 0) {
    if (auto it = ints.find(t.name); it != ints.end())
      return R.types.integer(it->second.first, it->second.second);
    if (t.name == "string")
      return R.types.string(R.options.strlen);
  }
  // `string[N]`: a string held in N bytes (upstream's sized string declaration).
  if (t.name == "string" && t.pointerDepth == 0 && t.arraySize > 0 && t.innerSizes.empty()) {
    if (t.arraySize > int64_t(kMaxDeclaredString)) {
      err(t.range, "a declared string holds at most " + std::to_string(kMaxDeclaredString) +
                       " bytes");
      return std::nullopt;
    }
    return R.types.string(unsigned(t.arraySize));
  }
  // `int8[4]`, `uint16[2][3]`, `bool[8]`: an integer array, zeroed until a value is
  // assigned (as every declared variable starts at zero); a value must be an array of
  // the same element type and count.
  if (t.pointerDepth == 0 && t.arraySize >= 0 && t.name != "string")
    if (auto it = ints.find(t.name); it != ints.end())
      return declaredArray(t, R.types.integer(it->second.first, it->second.second));
  // `string[8][4]`: four strings of 8 bytes, as upstream reads a type's suffixes left
  // to right (string[8], then an array of 4 of them); `$a[i]` is a string[8].
  if (t.name == "string" && t.pointerDepth == 0 && t.arraySize > 0 &&
      t.innerSizes.size() == 1 && t.innerSizes[0] > 0) {
    if (t.arraySize > int64_t(kMaxDeclaredString)) {
      err(t.range, "a declared string holds at most " + std::to_string(kMaxDeclaredString) +
                       " bytes");
      return std::nullopt;
    }
    TypeId array = R.types.array(R.types.string(unsigned(t.arraySize)),
                                 unsigned(std::min<uint64_t>(t.innerSizes[0], kMaxDeclaredString + 1)));
    return heldArrayType(array, t.range) ? std::optional<TypeId>(array) : std::nullopt;
  }
  // Upstream's inet, buffer[N], timestamp, count_t, ...: a variable of one takes its type
  // from the value assigned to it (`$a = ntop(x)`), not from a declaration.
  if (t.name != "string" && t.name != "void") {
    if (auto builtin = upstreamBuiltinType(t)) {
      if (*builtin)
        err(t.range, "declaring the type '" + spelling(t) + "' (of a variable, a "
                     "function's parameter or result) is not supported yet: a variable "
                     "takes it from the value assigned");
      return std::nullopt;
    }
  }
  if (t.name == "string") {
    err(t.range, "variables of type '" + spelling(t) + "' are not supported yet: a declared "
                 "string is string[N], one string of N bytes, or string[N][M], M of them");
    return std::nullopt;
  }
  // `int8 *[4]`, `struct point[2]`, `struct rlimit[16]`: arrays of pointers or of struct
  // values, zeroed until assigned as integer arrays are; an array of structs is held at
  // the compile-time layout, as one copied from memory is (each element's members
  // read through CO-RE into it).
  if (t.arraySize >= 0) {
    ast::TypeName elementName = t;
    elementName.arraySize = -1;
    elementName.innerSizes.clear();
    std::optional<TypeId> element = namedType(elementName);
    std::optional<TypeId> array = element ? arrayOfNamed(t, *element, /*recordsAllowed=*/true)
                                          : std::nullopt;
    if (!array || !heldArrayType(*array, t.range))
      return std::nullopt;
    return array;
  }
  if (t.name == "void" && t.pointerDepth == 0) {
    err(t.range, "a variable cannot be of type 'void'");
    return std::nullopt;
  }
  // A pointer, struct, union, enum or typedef, as a cast names it (the script's own
  // definition first, as upstream bpftrace resolves a name).
  std::optional<TypeId> named = namedType(t);
  if (named && ty(*named).isRecord() && !recordValue(*named, t.range, "a variable"))
    return std::nullopt;
  return named;
}

// What a declared array of any element type may hold: as many bytes as a declared
// string, and an array of structs what a struct value copy takes.
bool Typer::heldArrayType(TypeId array, SourceRange r) {
  if (ty(array).size > kMaxDeclaredString) {
    err(r, "a declared array holds at most " + std::to_string(kMaxDeclaredString) + " bytes");
    return false;
  }
  return !copiedAsRecord(array) || arrayValue(array, r, "a variable");
}

// A declared array lives in the program's memory (the stack, or the per-CPU scratch map
// past on_stack_limit): at most as many bytes as a declared string.
std::optional<TypeId> Typer::declaredArray(const TypeName &t, TypeId element) {
  std::optional<TypeId> array = arrayOfNamed(t, element);
  if (!array)
    return std::nullopt;
  if (ty(*array).size > kMaxDeclaredString) {
    err(t.range, "a declared array holds at most " + std::to_string(kMaxDeclaredString) +
                     " bytes");
    return std::nullopt;
  }
  return array;
}

namespace {

// An integer literal, or a negated one: its magnitude and whether it is negated.
struct SignedLiteral {
  uint64_t magnitude;
  bool negative;
};
std::optional<SignedLiteral> signedLiteral(const Expr *e) {
  bool negative = false;
  if (auto *u = as<UnaryExpr>(e); u && u->op == UnaryOp::Neg) {
    negative = true;
    e = u->operand.get();
  }
  auto *i = as<IntegerLit>(e);
  if (!i)
    return std::nullopt;
  return SignedLiteral{i->value, negative};
}

} // namespace

std::optional<LiteralType> literalType(const Expr *e) {
  std::optional<SignedLiteral> lit = signedLiteral(e);
  if (!lit)
    return std::nullopt;
  auto [v, negative] = *lit;
  for (unsigned bytes : {1u, 2u, 4u}) {
    uint64_t bits = 8 * bytes;
    if (negative ? v <= (uint64_t(1) << (bits - 1)) : v < (uint64_t(1) << bits))
      return LiteralType{bytes, negative};
  }
  return LiteralType{8, negative};
}

namespace {

std::string intName(unsigned bytes, bool isSigned) {
  return (isSigned ? "int" : "uint") + std::to_string(8 * bytes);
}

// Whether an integer literal (or a negated one) lies in the range of an integer type of
// `bytes` bytes: upstream compares a literal's value, so 1 fits int8 though its own
// type (the smallest that holds it) is uint8. Not a literal: nullopt.
std::optional<bool> literalFits(const Expr *e, unsigned bytes, bool isSigned) {
  std::optional<SignedLiteral> lit = signedLiteral(e);
  if (!lit)
    return std::nullopt;
  auto [v, negative] = *lit;
  unsigned bits = 8 * bytes;
  if (!isSigned)
    return !negative && (bits == 64 || v < (uint64_t(1) << bits));
  uint64_t magnitude = uint64_t(1) << (bits - 1);
  return negative ? v <= magnitude : v < magnitude;
}

} // namespace

// What is assigned to `let $x: T` must fit T, as upstream bpftrace (0.22+) checks: an
// integer literal by its value, a cast or a variable declared with a type by its size
// and sign (an unsigned one fits a wider signed type). Other integers are 64 bits in
// btc, as bpftrace 0.17's arithmetic has them, and are truncated to T.
void Typer::checkFitsDeclared(DeclId d, const Expr *value, TypeId valueType) {
  const Declaration &decl = R.scopes.declaration(d);
  const Type &want = ty(decl.type);
  const Type &got = ty(valueType);
  if (!want.isInt() || !got.isInt())
    return;
  if (decl.declaredBool) {
    checkTruthValue(decl, value, got);
    return;
  }
  std::optional<LiteralType> have = literalType(value);
  if (!have) {
    bool explicitType = as<CastExpr>(value) != nullptr;
    if (auto *v = as<VariableRef>(value))
      if (auto b = R.bindings.find(v); b != R.bindings.end())
        explicitType = R.scopes.declaration(b->second).typed;
    if (!explicitType)
      return;
    have = LiteralType{got.size, got.isSigned};
  }
  std::optional<bool> literalInRange = literalFits(value, want.size, want.isSigned);
  bool fits = literalInRange ? *literalInRange
              : have->isSigned == want.isSigned ? have->bytes <= want.size
                                                : !have->isSigned && have->bytes < want.size;
  if (!fits)
    err(value->range, "type mismatch for " + decl.name + ": trying to assign value of type '" +
                          intName(have->bytes, have->isSigned) +
                          "' when variable already has a type '" +
                          intName(want.size, want.isSigned) + "'");
}

// A `bool` variable takes what upstream bpftrace types bool: true, false (0 and 1),
// a comparison, `&&`, `||`, `!`, a cast to bool, another bool variable or a call;
// any other integer is its message's type mismatch (`let $b: bool = 2` included).
void Typer::checkTruthValue(const Declaration &decl, const Expr *value, const Type &got) {
  std::string have;
  if (std::optional<LiteralType> lit = literalType(value)) {
    auto *i = as<IntegerLit>(value);
    if (i && i->value <= 1)
      return;
    have = intName(lit->bytes, lit->isSigned);
  } else if (auto *b = as<BinaryExpr>(value)) {
    switch (b->op) {
    case BinaryOp::Eq: case BinaryOp::Ne: case BinaryOp::Lt: case BinaryOp::Le:
    case BinaryOp::Gt: case BinaryOp::Ge: case BinaryOp::LogicalAnd: case BinaryOp::LogicalOr:
      return;
    default:
      have = intName(got.size, got.isSigned);
    }
  } else if (auto *u = as<UnaryExpr>(value); u && u->op == UnaryOp::LogicalNot) {
    return;
  } else if (auto *c = as<CastExpr>(value)) {
    if (c->type.name == "bool" && c->type.pointerDepth == 0)
      return;
    have = c->type.name;
  } else if (auto *v = as<VariableRef>(value)) {
    auto found = R.bindings.find(v);
    if (found != R.bindings.end() && R.scopes.declaration(found->second).declaredBool)
      return;
    have = intName(got.size, got.isSigned);
  } else if (as<CallExpr>(value)) {
    return;
  } else {
    have = intName(got.size, got.isSigned);
  }
  err(value->range, "type mismatch for " + decl.name + ": trying to assign value of type '" +
                        have + "' when variable already has a type 'bool'");
}

// `let $s: string[N]` keeps its N bytes, as upstream keeps a declared string's size:
// a longer string is a type mismatch, not a cut one.
bool Typer::fitsSizedString(const Declaration &decl, TypeId value, SourceRange r) {
  const Type &held = ty(decl.type), &given = ty(value);
  if (!decl.sizedString || !held.isString() || !given.isString() || given.size <= held.size)
    return true;
  err(r, "type mismatch for " + decl.name + ": trying to assign value of type 'string[" +
             std::to_string(given.size) + "]' when variable already has a type 'string[" +
             std::to_string(held.size) + "]'");
  return false;
}

// A declaration whose type was refused still declares its name, typed with no type (as
// no other declaration is: Sema.cpp's refusedDeclaration), so that each later use is not
// a second error ("use of undefined variable") for the same mistake.
void Typer::refuseDeclaration(const VarDeclStmt *s) {
  auto [it, added] = R.letDeclarations.try_emplace(s, 0);
  if (added) {
    if (R.scopes.lookup(scope_, s->var->name)) { // shadowing: the earlier one stays
      R.letDeclarations.erase(it);
      return;
    }
    it->second = R.scopes.declare(scope_, s->var->name, R.types.none(), s->var->range);
    R.scopes.declaration(it->second).typed = true;
  }
  R.bindings[s->var.get()] = it->second;
}

// TailRecursion.cpp's loop starts each iteration (a call) with `let $v;` for each
// variable the body assigns without a `let`, placed at the function's name: only to
// zero it. That declaration is not an assignment, so a use before one is undefined as
// without recursion, and a variable only an uncompiled `if comptime` branch assigns
// stays untyped without an error of its own.
static bool loopReset(const VarDeclStmt *s, const Subprog *function) {
  if (!function || s->hasType || s->value)
    return false;
  auto same = [](SourceLoc a, SourceLoc b) {
    return a.line == b.line && a.col == b.col && a.file == b.file;
  };
  return same(s->range.begin, function->nameRange.begin) &&
         same(s->range.end, function->nameRange.end);
}

void Typer::varDecl(const VarDeclStmt *s) {
  const std::string &name = s->var->name;
  std::optional<TypeId> declared;
  if (s->hasType) {
    declared = declaredType(s->type);
    // Only once it is reported: in the fixed point's earlier passes a typeof(...) may
    // name a variable not yet typed, which a later pass types.
    if (!declared) {
      if (report_)
        refuseDeclaration(s);
      return;
    }
  }
  TypeId value = s->value ? expr(s->value.get()) : R.types.none();
  const Type &vt = ty(value);
  // A declared pointer points where its value does (`let $p: T * = (T *)uptr(a)`), or,
  // without one, where a cast of an integer would in this probe; a declared struct holds
  // pointers into that memory likewise (`let $s: struct foo = *(struct foo *)arg0`).
  if (declared && (ty(*declared).isPointer() || copiedAsRecord(*declared))) {
    const Type &want = ty(*declared);
    bool same = want.isPointer() ? vt.isPointer() && vt.pointee == want.pointee
                                 : R.types.declared(value) == R.types.declared(*declared);
    declared = readIn(R.types.declared(*declared), same ? vt.addressSpace : integerPointerSpace());
  } else if (declared && ty(*declared).isArray()) {
    // An array of pointers likewise (`let $l: int8 *[2] = $p->labels`): its elements point
    // where the value's do, else where an integer cast to a pointer would.
    TypeId element = *declared, valueElement = value;
    while (ty(element).isArray())
      element = ty(element).element;
    while (ty(valueElement).isArray())
      valueElement = ty(valueElement).element;
    if (ty(element).isPointer()) {
      TypeId fromValue = ty(valueElement).isPointer()
                             ? readIn(*declared, ty(valueElement).addressSpace)
                             : *declared;
      declared = fromValue == value ? fromValue : readIn(*declared, integerPointerSpace());
    }
  }
  if (vt.kind == TypeKind::Aggregation) {
    err(s->value->range, "cannot assign " + vt.str() + " to a variable");
    return;
  }
  // A struct or union value is copied as `$s = *p` copies it.
  if (vt.isRecord() && vt.origin != RecordOrigin::Tuple &&
      !recordValue(value, s->value->range, "a variable"))
    return;
  // A variable holds a copy of an array of structs (any other array: its address).
  if (vt.isArray() && copiedAsRecord(value) && !arrayValue(value, s->value->range, "a variable"))
    return;
  auto [it, added] = R.letDeclarations.try_emplace(s, 0);
  if (added) {
    // An earlier declaration of the name, in this block or one around it.
    if (std::optional<DeclId> earlier = R.scopes.lookup(scope_, name)) {
      const Declaration &d = R.scopes.declaration(*earlier);
      err(s->var->range, "variable " + name + " is already declared" +
                             (d.scope == scope_ ? "" : " in an enclosing block") +
                             " (bpftrace allows no shadowing)");
      if (report_)
        D.note(d.defined, "declared here");
      R.letDeclarations.erase(it);
      return;
    }
    it->second = R.scopes.declare(scope_, name, declared.value_or(R.types.none()), s->var->range);
    R.scopes.declaration(it->second).typed = declared.has_value();
    R.scopes.declaration(it->second).declaredBool =
        declared && s->type.name == "bool" && s->type.pointerDepth == 0 && s->type.arraySize < 0;
    R.scopes.declaration(it->second).sizedString =
        declared && s->type.name == "string" && s->type.arraySize > 0;
    changed = true;
  } else if (report_) {
    // The fixed point's passes met it before; a declaration written after this
    // one in the same or an enclosing block may have taken the name since.
    std::optional<DeclId> found = R.scopes.lookup(scope_, name);
    if (found && *found != it->second && assigned_.count(*found)) {
      err(s->var->range, "variable " + name + " is already declared (bpftrace allows no shadowing)");
      D.note(R.scopes.declaration(*found).defined, "declared here");
      return;
    }
  }
  DeclId d = it->second;
  R.bindings[s->var.get()] = d;
  if (s->value) {
    if (declared && ty(*declared).isInt() && !vt.isNone() && !vt.isInt())
      err(s->value->range, "cannot assign " + vt.str() + " to " + name + ", declared " +
                               spelling(s->type));
    else if (declared && ty(*declared).isInt())
      checkFitsDeclared(d, s->value.get(), value);
    else if (!declared)
      unifyVariable(d, value, s->range);
    else if (fitsSizedString(R.scopes.declaration(d), value, s->value->range))
      unifyTracked(R.scopes.declaration(d).type, value, s->range, "variable " + name);
  }
  bool reset = loopReset(s, functions_.empty() ? nullptr : functions_.back().function);
  if (!reset)
    assigned_.insert(d);
  record(s->var.get(), R.scopes.declaration(d).type);
  // Every pass before this one has seen the assignments after it.
  if (ty(R.scopes.declaration(d).type).isNone() && !reset)
    err(s->range, "the type of " + name + " is unknown: give it a type (let " + name +
                      ": int64) or a value");
}

} // namespace bt::sema
