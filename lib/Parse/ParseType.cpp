// Types where the grammar takes one: casts, sizeof, offsetof, and the types
// of function parameters, results and declarations. Whether "(name)" is a
// cast is decided by looking ahead (castAhead).
#include "Parser.h"

#include <unordered_set>

namespace bt::parse {

using namespace ast;

// Type names that always start a cast: "(uint32)x".
bool isBuiltinTypeName(const std::string &n) {
  static const std::unordered_set<std::string> s = {
      "bool",    "int8",    "int16",   "int32",    "int64",    "uint8",
      "uint16",  "uint32",  "uint64",  "char",     "short",    "int",
      "long",    "void",    "float",   "double",   "_Bool",    "size_t",
      "ssize_t", "u8",      "u16",     "u32",      "u64",      "s8",
      "s16",     "s32",     "s64",     "__u8",     "__u16",    "__u32",
      "__u64",   "__s8",    "__s16",   "__s32",    "__s64",    "int8_t",
      "int16_t", "int32_t", "int64_t", "uint8_t",  "uint16_t", "uint32_t",
      "uint64_t", "uintptr_t", "intptr_t", "pid_t", "uid_t",   "gid_t",
      "unsigned", "signed", "struct",  "union",    "enum",     "const",
      "volatile"};
  return s.count(n) > 0;
}

// Reads a type starting at lookahead index i without consuming it.
bool Parser::scanType(size_t i, TypeName &out, size_t &next, bool &decorated) {
  decorated = false;
  out = TypeName();
  auto word = [&](size_t k) -> const std::string * {
    const Token &t = peek(k);
    return t.kind == Tok::Ident ? &t.text : nullptr;
  };
  // Qualifiers are accepted and dropped.
  while (word(i) && (*word(i) == "const" || *word(i) == "volatile"))
    ++i;
  const std::string *w = word(i);
  if (!w)
    return false;
  SourceRange begin = peek(i).range;
  SourceRange last = begin;
  if (*w == "struct" || *w == "union" || *w == "enum") {
    const std::string *n = word(i + 1);
    if (!n || isKeyword(*n))
      return false;
    out.name = *w + " " + *n;
    last = peek(i + 1).range;
    i += 2;
  } else if (*w == "unsigned" || *w == "signed" || *w == "long" ||
             *w == "short") {
    out.name = *w;
    ++i;
    for (int k = 0; k < 3; ++k) {
      const std::string *m = word(i);
      if (!m || (*m != "char" && *m != "short" && *m != "int" && *m != "long"))
        break;
      out.name += " " + *m;
      last = peek(i).range;
      ++i;
    }
  } else {
    if (isKeyword(*w))
      return false;
    out.name = *w;
    ++i;
  }
  while (word(i) && (*word(i) == "const" || *word(i) == "volatile"))
    ++i;
  while (peek(i).kind == Tok::Star && out.pointerDepth < 64) {
    ++out.pointerDepth;
    last = peek(i).range;
    decorated = true;
    ++i;
    while (word(i) && (*word(i) == "const" || *word(i) == "volatile"))
      ++i;
  }
  // `[]` is upstream's array whose size the cast's operand gives: size 0, as upstream
  // reads `[0]` too.
  if (peek(i).kind == Tok::LBracket && peek(i + 1).kind == Tok::RBracket) {
    out.arraySize = 0;
    last = peek(i + 1).range;
    decorated = true;
    i += 2;
  } else if (peek(i).kind == Tok::LBracket) {
    if (peek(i + 1).kind != Tok::Int || peek(i + 2).kind != Tok::RBracket)
      return false;
    uint64_t n = peek(i + 1).intValue;
    out.arraySize = n > (uint64_t(1) << 40) ? int64_t(1) << 40 : int64_t(n);
    last = peek(i + 2).range;
    decorated = true;
    i += 3;
  }
  // `uint8[2][4]`: two arrays of four, as in C; only the outermost size may be left out.
  while (out.arraySize >= 0 && peek(i).kind == Tok::LBracket && peek(i + 1).kind == Tok::Int &&
         peek(i + 2).kind == Tok::RBracket) {
    uint64_t n = peek(i + 1).intValue;
    out.innerSizes.push_back(n > (uint64_t(1) << 40) ? uint64_t(1) << 40 : n);
    last = peek(i + 2).range;
    i += 3;
  }
  out.range = span(begin, last);
  next = i;
  return true;
}

bool Parser::parseType(TypeName &out, const char *context) {
  size_t next = 0;
  bool decorated = false;
  if (atWord("typeof") && at(Tok::LParen, 1))
    return parseTypeof(out, context);
  if (!scanType(0, out, next, decorated)) {
    const Token &t = peek();
    if (t.kind == Tok::Ident &&
        (t.text == "struct" || t.text == "union" || t.text == "enum"))
      errAt(peek(1), "expected a name after '" + t.text + "'");
    else
      errAt(t, std::string("expected a type name ") + context + ", found " +
                   quoteTok(t));
    return false;
  }
  for (size_t k = 0; k < next; ++k)
    take();
  return true;
}

// Upstream's `typeof(e)` names the type of an expression, `typeof(type)` the type.
bool Parser::parseTypeof(TypeName &out, const char *context) {
  Token kw = take();
  Token lp = take();
  DepthGuard g(*this, lp.range);
  if (!g.ok)
    return false;
  if (typeAheadInSizeof()) {
    if (!parseType(out, context))
      return false;
  } else {
    ExprPtr e = parseExpr();
    if (!e)
      return false;
    out = TypeName();
    out.name = "typeof";
    out.typeofExpr = std::move(e);
  }
  if (!expectClose(Tok::RParen, lp))
    return false;
  out.range = span(kw.range, prev_);
  return true;
}

// At '(': does a cast "(type)" follow?
bool Parser::castAhead() {
  const Token &t = peek(1);
  if (t.kind != Tok::Ident)
    return false;
  if (t.text == "typeof" && at(Tok::LParen, 2))
    return true;
  const std::string &n = t.text;
  bool known = isBuiltinTypeName(n) || typedefs_.count(n) > 0 || macroTypeParams_.count(n) > 0;
  if (!known && (isBuiltinName(n) || isKeyword(n) || macros_.isDefined(n)))
    return false;
  TypeName tn;
  size_t next = 0;
  bool decorated = false;
  if (!scanType(1, tn, next, decorated) || peek(next).kind != Tok::RParen)
    return false;
  if (known || decorated)
    return true;
  // "(name) operand": a parenthesised identifier cannot be followed by an
  // operand, so this is a cast to a type Sema will look up.
  switch (peek(next + 1).kind) {
  case Tok::Int: case Tok::String: case Tok::Var: case Tok::Positional:
  case Tok::Map: case Tok::Ident: case Tok::LParen:
    return true;
  default:
    return false;
  }
}

bool namesUpstreamBuiltinType(const std::string &n) {
  static const std::unordered_set<std::string> s = {
      "string",  "inet",    "buffer",  "void",          "timestamp",  "macaddr_t",
      "cgroup_path_t", "strerror_t", "min_t", "max_t", "sum_t",    "count_t",
      "avg_t",   "stats_t", "umin_t",  "umax_t",        "usum_t",     "ucount_t",
      "uavg_t",  "ustats_t"};
  return s.count(n) > 0;
}

// After "sizeof(": a type rather than an expression?
bool Parser::typeAheadInSizeof(Tok close) {
  const Token &t = peek(0);
  if (t.kind != Tok::Ident)
    return false;
  const std::string &n = t.text;
  if (n == "typeof" && at(Tok::LParen, 1))
    return true;
  // Upstream's lexer makes these its boolean literals, never a type's name.
  if (n == "true" || n == "false")
    return false;
  if (macroExprParams_.count(n) && !namesUpstreamBuiltinType(n))
    return false;
  if (isBuiltinTypeName(n) || typedefs_.count(n) || macroTypeParams_.count(n))
    return true;
  if (isBuiltinName(n) || isKeyword(n) || macros_.isDefined(n))
    return false;
  TypeName tn;
  size_t next = 0;
  bool decorated = false;
  return scanType(0, tn, next, decorated) && peek(next).kind == close;
}

// At '(' where castAhead() saw "(type)": the cast and its operand.
ExprPtr Parser::parseCast() {
  Token lp = take();
  DepthGuard g(*this, lp.range);
  if (!g.ok)
    return nullptr;
  auto c = make<CastExpr>(lp.range);
  if (!parseType(c->type, "in cast"))
    return nullptr;
  if (!expectClose(Tok::RParen, lp))
    return nullptr;
  c->operand = parseUnary();
  if (!c->operand)
    return nullptr;
  c->range.end = c->operand->range.end;
  return c;
}

ExprPtr Parser::parseSizeof() {
  Token kw = take();
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after 'sizeof'");
    return nullptr;
  }
  Token lp = take();
  DepthGuard g(*this, lp.range);
  if (!g.ok)
    return nullptr;
  auto s = make<SizeofExpr>(kw.range);
  if (typeAheadInSizeof()) {
    s->ofType = true;
    if (!parseType(s->type, "in sizeof"))
      return nullptr;
  } else {
    s->operand = parseExpr();
    if (!s->operand)
      return nullptr;
  }
  if (!expectClose(Tok::RParen, lp))
    return nullptr;
  s->range.end = prev_.end;
  return s;
}

ExprPtr Parser::parseOffsetof() {
  Token kw = take();
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after 'offsetof'");
    return nullptr;
  }
  Token lp = take();
  DepthGuard g(*this, lp.range);
  if (!g.ok)
    return nullptr;
  auto o = make<OffsetofExpr>(kw.range);
  bool ofType = typeAheadInSizeof(Tok::Comma);
  if (ofType ? !parseType(o->type, "in offsetof") : !(o->operand = parseExpr()))
    return nullptr;
  if (!expect(Tok::Comma, ofType ? "after the type in offsetof" : "after the expression in offsetof"))
    return nullptr;
  for (;;) {
    const Token &f = peek();
    if (f.kind != Tok::Ident && f.kind != Tok::Int) {
      errAt(f, "expected field name in offsetof, found " + quoteTok(f));
      return nullptr;
    }
    o->fieldPath.push_back(take().text);
    if (!accept(Tok::Dot))
      break;
  }
  if (!expectClose(Tok::RParen, lp))
    return nullptr;
  o->range.end = prev_.end;
  return o;
}

} // namespace bt::parse
