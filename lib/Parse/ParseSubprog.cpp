// User-defined functions: "fn name($a: type, ...): type { body }".
#include "Parser.h"

namespace bt::parse {

using namespace ast;

// "fn name(" starts a function; anything else is an attach point.
bool Parser::subprogAhead(size_t wordLen) const {
  const std::string &t = lex_.text();
  size_t p = lex_.state().pos + wordLen;
  while (p < t.size() && (t[p] == ' ' || t[p] == '\t'))
    ++p;
  return p < t.size() && (isIdentStart(t[p]) || t[p] == '(');
}

// "import \"file\"" (bpftrace 0.24+), as opposed to an attach point named import.
bool Parser::importAhead(size_t wordLen) const {
  const std::string &t = lex_.text();
  size_t p = lex_.state().pos + wordLen;
  while (p < t.size() && (t[p] == ' ' || t[p] == '\t'))
    ++p;
  return p < t.size() && t[p] == '"';
}

void Parser::parseSubprog(Program &prog) {
  Token kw = take(); // fn
  Subprog fn;
  const Token &n = peek();
  if (n.kind != Tok::Ident) {
    errAt(n, "expected a function name after 'fn'");
    skipProbe();
    return;
  }
  Token name = take();
  fn.name = name.text;
  fn.nameRange = name.range;
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after the function name");
    skipProbe();
    return;
  }
  Token lp = take();
  bool ok = true;
  if (!at(Tok::RParen)) {
    for (;;) {
      if (!at(Tok::Var)) {
        errAt(peek(), "expected a parameter ($name: type), found " +
                          quoteTok(peek()));
        ok = false;
        break;
      }
      Token v = take();
      SubprogParam prm;
      prm.var = make<VariableRef>(v.range);
      prm.var->name = v.text;
      if (!expect(Tok::Colon, "after the parameter name") ||
          !parseType(prm.type, "for the parameter")) {
        ok = false;
        break;
      }
      prm.range = span(v.range, prm.type.range);
      fn.params.push_back(std::move(prm));
      if (!accept(Tok::Comma))
        break;
    }
  }
  if (!ok || !expectClose(Tok::RParen, lp)) {
    skipProbe();
    return;
  }
  if (accept(Tok::Colon)) {
    if (!parseType(fn.returnType, "for the return type")) {
      skipProbe();
      return;
    }
  } else {
    fn.returnType.name = "void";
    fn.returnType.range = prev_;
  }
  if (!at(Tok::LBrace)) {
    errAt(peek(), "expected '{' to begin the function body, found " +
                      quoteTok(peek()));
    skipProbe();
    return;
  }
  take();
  SourceLoc end;
  if (!parseBlock(fn.body, end))
    return;
  fn.range = {kw.range.begin, end};
  prog.functions.push_back(std::move(fn));
}

} // namespace bt::parse
