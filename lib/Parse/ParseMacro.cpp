// bpftrace macros: "macro name($var, @map, expr) { statements; value }".
#include "Parser.h"

namespace bt::parse {

using namespace ast;

namespace {
// The names upstream's lexer makes type tokens, never an identifier: its integer types
// and the struct/union/enum keywords. (C's names, u32 or size_t, are identifiers there.)
bool namesUpstreamType(const std::string &n) {
  static const char *const kTypes[] = {"bool",   "int8",   "int16",  "int32",
                                       "int64",  "uint8",  "uint16", "uint32",
                                       "uint64", "struct", "union",  "enum"};
  for (const char *k : kTypes)
    if (n == k)
      return true;
  return false;
}
} // namespace

void Parser::parseMacro(Program &prog) {
  Token kw = take(); // macro
  MacroDef m;
  if (!at(Tok::Ident)) {
    errAt(peek(), "expected a macro name after 'macro'");
    skipProbe();
    return;
  }
  Token name = take();
  m.name = name.text;
  m.nameRange = name.range;
  if (at(Tok::LBracket) && !parseMacroTypeParams(m)) {
    skipProbe();
    return;
  }
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after the macro name");
    skipProbe();
    return;
  }
  Token lp = take();
  bool ok = true;
  while (ok && !at(Tok::RParen)) {
    const Token &t = peek();
    MacroParam p;
    if (t.kind == Tok::Var)
      p.kind = MacroParam::Variable;
    else if (t.kind == Tok::Map && t.text != "@")
      p.kind = MacroParam::Map;
    else if (t.kind == Tok::Ident && namesUpstreamType(t.text)) {
      errAt(t, "a macro parameter cannot be named '" + t.text + "': it is a type "
               "(upstream's grammar takes none there)");
      ok = false;
      break;
    } else if (t.kind == Tok::Ident && !isBuiltinName(t.text) && !isKeyword(t.text))
      p.kind = MacroParam::Expression;
    else {
      errAt(t, "expected a macro parameter ($variable, @map or a name that is no "
               "builtin), found " + quoteTok(t));
      ok = false;
      break;
    }
    Token pt = take();
    p.name = pt.text;
    p.range = pt.range;
    for (const MacroParam &q : m.typeParams)
      if (q.name == p.name) {
        err(p.range, "macro parameter " + p.name + " is also a type parameter");
        ok = false;
      }
    for (const MacroParam &q : m.params)
      if (q.name == p.name) {
        err(p.range, "macro parameter " + p.name + " is named twice");
        ok = false;
      }
    m.params.push_back(std::move(p));
    if (!accept(Tok::Comma))
      break;
  }
  if (!ok || !expectClose(Tok::RParen, lp)) {
    skipProbe();
    return;
  }
  if (!at(Tok::LBrace)) {
    errAt(peek(), "expected '{' to begin the macro body, found " + quoteTok(peek()));
    skipProbe();
    return;
  }
  take();
  SourceLoc end;
  for (const MacroParam &p : m.params)
    if (p.kind == MacroParam::Expression)
      macroExprParams_.insert(p.name);
  for (const MacroParam &p : m.typeParams)
    macroTypeParams_.insert(p.name);
  bool parsed = parseBlock(m.body, end, &m.value);
  macroExprParams_.clear();
  macroTypeParams_.clear();
  if (!parsed)
    return;
  // A body ending in `if ... else ...` whose branches end in values gives that
  // if-expression's value, as a block expression does (upstream's if-expressions).
  if (!m.value && !m.body.empty() && as<IfStmt>(m.body.back().get()) && endsInValue(m.body)) {
    m.value = ifStmtAsValue(*as<IfStmt>(m.body.back().get()));
    m.body.pop_back();
  }
  m.range = {kw.range.begin, end};
  prog.macros.push_back(std::move(m));
}

} // namespace bt::parse
