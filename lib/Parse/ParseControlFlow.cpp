// Control flow: if/else (else-if chains), while, unroll and for loops.
#include "Parser.h"

namespace bt::parse {

using namespace ast;

std::unique_ptr<IfStmt> Parser::parseIf(bool elseIf) {
  Token kw = take(); // if
  // A long else-if chain is a sequence, not nesting: bound it by height.
  DepthGuard g(*this, kw.range, !elseIf);
  if (!g.ok)
    return nullptr;
  auto s = make<IfStmt>(kw.range);
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after 'if'");
    return nullptr;
  }
  Token lp = take();
  s->cond = parseExpr();
  if (!s->cond || !expectClose(Tok::RParen, lp))
    return nullptr;
  if (!expect(Tok::LBrace, "after if condition"))
    return nullptr;
  SourceLoc end;
  if (!parseBlock(s->thenBody, end))
    return nullptr;
  s->range.end = end;
  if (atWord("else")) {
    take();
    s->hasElse = true;
    if (atWord("if")) {
      auto nested = parseIf(true);
      if (!nested)
        return nullptr;
      s->range.end = nested->range.end;
      s->elseBody.push_back(std::move(nested));
    } else {
      if (!at(Tok::LBrace)) {
        errAt(peek(), "expected '{' or 'if' after 'else'");
        return nullptr;
      }
      take();
      if (!parseBlock(s->elseBody, end))
        return nullptr;
      s->range.end = end;
    }
  }
  return s;
}

StmtPtr Parser::parseLoop() {
  Token kw = take(); // while / unroll
  bool isWhile = kw.text == "while";
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after '" + kw.text + "'");
    return nullptr;
  }
  Token lp = take();
  ExprPtr e = parseExpr();
  if (!e || !expectClose(Tok::RParen, lp))
    return nullptr;
  if (!expect(Tok::LBrace, isWhile ? "after while condition"
                                   : "after unroll count"))
    return nullptr;
  StmtList body;
  SourceLoc end;
  if (!parseBlock(body, end))
    return nullptr;
  SourceRange r{kw.range.begin, end};
  if (isWhile) {
    auto s = make<WhileStmt>(r);
    s->cond = std::move(e);
    s->body = std::move(body);
    return s;
  }
  auto s = make<UnrollStmt>(r);
  s->count = std::move(e);
  s->body = std::move(body);
  return s;
}

StmtPtr Parser::parseFor() {
  Token kw = take(); // for
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after 'for'");
    return nullptr;
  }
  Token lp = take();
  if (!at(Tok::Var)) {
    errAt(peek(), "expected a variable after 'for ('");
    return nullptr;
  }
  Token v = take();
  auto s = make<ForStmt>(kw.range);
  s->var = make<VariableRef>(v.range);
  s->var->name = v.text;
  if (!expect(Tok::Colon, "after the loop variable"))
    return nullptr;
  s->iterable = parseExpr();
  if (!s->iterable)
    return nullptr;
  if (at(Tok::Dot) && at(Tok::Dot, 1)) { // start..end
    take();
    take();
    s->rangeEnd = parseExpr();
    if (!s->rangeEnd)
      return nullptr;
  }
  if (!expectClose(Tok::RParen, lp))
    return nullptr;
  if (!expect(Tok::LBrace, "after for loop header"))
    return nullptr;
  SourceLoc end;
  if (!parseBlock(s->body, end))
    return nullptr;
  s->range.end = end;
  return s;
}

} // namespace bt::parse
