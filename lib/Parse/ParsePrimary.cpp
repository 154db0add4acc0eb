// Operands: literals, variables, positional parameters, maps, calls,
// builtins, plain identifiers and parentheses (grouping or a tuple), and what
// an identifier can be: a keyword, a builtin or a name.
#include "Parser.h"

#include "bt/Basic/Builtins.h"

#include <unordered_set>

namespace bt::parse {

using namespace ast;

// Builtins come from the table (include/bt/Basic/Builtins.def).
bool isBuiltinName(const std::string &n) { return isBuiltinSpelling(n); }

bool isKeyword(const std::string &n) {
  static const std::unordered_set<std::string> s = {
      "if",     "else",  "unroll", "while",    "for",      "return",
      "break",  "continue", "let", "sizeof",   "offsetof", "struct",
      "union",  "enum"};
  return s.count(n) > 0;
}

ExprPtr Parser::parsePrimary() {
  const Token &t = peek();
  switch (t.kind) {
  case Tok::Int: {
    Token i = take();
    auto e = make<IntegerLit>(i.range);
    e->value = i.intValue;
    e->text = i.text;
    return e;
  }
  case Tok::String: {
    Token s = take();
    auto e = make<StringLit>(s.range);
    e->value = s.value;
    return e;
  }
  case Tok::Var: {
    Token v = take();
    auto e = make<VariableRef>(v.range);
    e->name = v.text;
    return e;
  }
  case Tok::Positional: {
    Token v = take();
    auto e = make<PositionalParamRef>(v.range);
    if (v.posIndex < 0) {
      e->isCount = true;
      e->index = 0;
    } else {
      e->index = v.posIndex;
    }
    return e;
  }
  case Tok::Map:
    return parseMap();
  case Tok::LParen:
    return parseParenOrTuple();
  case Tok::LBrace:
    return parseBlockExpr();
  case Tok::Ident:
    return parseIdentifier();
  case Tok::Error:
    take();
    return nullptr;
  default:
    errAt(t, "expected expression, found " + quoteTok(t));
    return nullptr;
  }
}

// An identifier: sizeof/offsetof, a call, a builtin or a plain name (an
// enum value, a type in a cast, ...) that Sema resolves.
ExprPtr Parser::parseIdentifier() {
  const Token &t = peek();
  const std::string &w = t.text;
  if (w == "sizeof")
    return parseSizeof();
  if (w == "offsetof")
    return parseOffsetof();
  if (w == "if")
    return parseIfExpr();
  if (isKeyword(w)) {
    errAt(t, "expected expression, found keyword '" + w + "'");
    return nullptr;
  }
  Token id = take();
  // bpftrace's boolean literals are the integers 1 and 0 (0.17 prints them so).
  if ((id.text == "true" || id.text == "false") && !at(Tok::LParen)) {
    auto i = make<IntegerLit>(id.range);
    i->value = id.text == "true";
    i->text = id.text;
    return i;
  }
  // Upstream's call spelling of a builtin: `pid()` is `pid`, unless a function of that
  // name takes no arguments (nsecs(), kstack()).
  if (at(Tok::LParen) && at(Tok::RParen, 1) && isBuiltinName(id.text)) {
    auto fn = lookupFunction(id.text);
    if (!fn || !functionInfo(*fn).supported || functionInfo(*fn).minArgs > 0) {
      take();
      auto b = make<BuiltinRef>(id.range);
      b->name = id.text;
      b->range.end = take().range.end;
      return b;
    }
  }
  // `name[type, ...](args)`: a call of a macro with type parameters.
  std::unique_ptr<CallExpr> typed;
  if (at(Tok::LBracket) && typeArgsAhead()) {
    typed = make<CallExpr>(id.range);
    if (!parseTypeArgs(*typed))
      return nullptr;
  }
  if (at(Tok::LParen)) {
    Token lp = take();
    DepthGuard g(*this, lp.range);
    if (!g.ok)
      return nullptr;
    auto c = typed ? std::move(typed) : make<CallExpr>(id.range);
    c->callee = id.text;
    c->calleeRange = id.range;
    // Upstream's typeinfo takes a type as sizeof does: typeinfo(int8), typeinfo(struct
    // task_struct *). `typeinfo((e))` keeps a name an expression.
    if (id.text == "typeinfo" && typeAheadInSizeof()) {
      c->typeArg = std::make_shared<TypeName>();
      if (!parseType(*c->typeArg, "in typeinfo") || !expectClose(Tok::RParen, lp))
        return nullptr;
    } else if (!parseExprList(c->args, Tok::RParen) || !expectClose(Tok::RParen, lp)) {
      return nullptr;
    }
    c->range.end = prev_.end;
    return c;
  }
  if (isBuiltinName(id.text)) {
    auto b = make<BuiltinRef>(id.range);
    b->name = id.text;
    return b;
  }
  auto i = make<IdentifierRef>(id.range);
  i->name = id.text;
  return i;
}

ExprPtr Parser::parseMap() {
  Token m = take();
  auto map = make<MapRef>(m.range);
  map->name = m.text;
  if (!at(Tok::LBracket))
    return map;
  Token lb = take();
  DepthGuard g(*this, lb.range);
  if (!g.ok)
    return nullptr;
  map->hasKeys = true;
  if (at(Tok::RBracket)) {
    Token rb = take();
    err(span(lb.range, rb.range), "expected a map key between '[' and ']'");
    return nullptr;
  }
  for (;;) {
    // A '*' standing alone as a key element: the wildcard key of upstream's
    // proposed `delete(@m[10, *])` (bpftrace PRs #2321 and #2922), which was closed
    // unmerged in favour of deleting inside a for loop over the map.
    if (at(Tok::Star) && (at(Tok::Comma, 1) || at(Tok::RBracket, 1))) {
      err(peek().range, "a wildcard map key ('*') is not bpftrace's (upstream's "
                        "delete(@m[k, *]) was never merged): delete the matching keys in "
                        "a for ($kv : @m) loop");
      return nullptr;
    }
    ExprPtr key = parseExpr();
    if (!key)
      return nullptr;
    map->keys.push_back(std::move(key));
    if (!accept(Tok::Comma))
      break;
  }
  if (!expectClose(Tok::RBracket, lb))
    return nullptr;
  map->range.end = prev_.end;
  return map;
}

ExprPtr Parser::parseParenOrTuple() {
  Token lp = take();
  DepthGuard g(*this, lp.range);
  if (!g.ok)
    return nullptr;
  if (at(Tok::RParen)) { // `()`: the empty tuple (upstream's, Python's spelling)
    take();
    auto tup = make<TupleExpr>(lp.range);
    tup->range.end = prev_.end;
    return tup;
  }
  if (at(Tok::Ident) && at(Tok::Assign, 1))
    return parseRecord(lp);
  ExprPtr e = parseExpr();
  if (!e)
    return nullptr;
  if (at(Tok::Comma)) {
    auto tup = make<TupleExpr>(lp.range);
    tup->elems.push_back(std::move(e));
    // A comma may end the list: `(1,)` is a tuple of one element, `(1, 2,)` of two.
    while (accept(Tok::Comma) && !at(Tok::RParen)) {
      ExprPtr x = parseExpr();
      if (!x)
        return nullptr;
      tup->elems.push_back(std::move(x));
    }
    if (!expectClose(Tok::RParen, lp))
      return nullptr;
    tup->range.end = prev_.end;
    return tup;
  }
  if (!expectClose(Tok::RParen, lp))
    return nullptr;
  // No node for parentheses: the inner expression's range grows to cover them.
  e->range = {lp.range.begin, prev_.end};
  return e;
}

// `(name=value, ...)` (upstream bpftrace 0.24+): every field named, each name once.
ExprPtr Parser::parseRecord(const Token &lp) {
  auto rec = make<TupleExpr>(lp.range);
  do {
    if (!at(Tok::Ident) || !at(Tok::Assign, 1)) {
      errAt(peek(), "expected 'name=value': every field of a record has a name");
      return nullptr;
    }
    Token name = take();
    take();
    for (const std::string &n : rec->names)
      if (n == name.text) {
        err(name.range, "record field '" + n + "' is given twice");
        return nullptr;
      }
    ExprPtr x = parseExpr();
    if (!x)
      return nullptr;
    rec->names.push_back(name.text);
    rec->elems.push_back(std::move(x));
  } while (accept(Tok::Comma));
  if (!expectClose(Tok::RParen, lp))
    return nullptr;
  rec->range.end = prev_.end;
  return rec;
}

} // namespace bt::parse
