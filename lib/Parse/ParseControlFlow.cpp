// Control flow: if/else (else-if chains), while, unroll and for loops.
#include "Parser.h"

namespace bt::parse {

using namespace ast;

// The condition of `if`/`while`: any expression, parenthesised (bpftrace 0.17)
// or not (0.24+: `if $x > 1 {`); a parenthesised one is simply an expression.
ExprPtr Parser::parseCondition(const char *keyword) {
  if (at(Tok::LBrace)) {
    errAt(peek(), std::string("expected a condition after '") + keyword + "'");
    return nullptr;
  }
  return parseExpr();
}

std::unique_ptr<IfStmt> Parser::parseIf(bool elseIf) {
  Token kw = take(); // if
  // A long else-if chain is a sequence, not nesting: bound it by height.
  DepthGuard g(*this, kw.range, !elseIf);
  if (!g.ok)
    return nullptr;
  auto s = make<IfStmt>(kw.range);
  if (atWord("comptime")) {
    take();
    s->comptime = true;
  }
  // Upstream also writes the keyword inside the parentheses: `if (comptime c)`.
  bool comptimeInside = !s->comptime && at(Tok::LParen) && atWord("comptime", 1);
  if (comptimeInside) {
    take();
    take();
    s->comptime = true;
  }
  s->cond = parseCondition("if");
  if (!s->cond)
    return nullptr;
  if (comptimeInside && !expect(Tok::RParen, "after the 'if (comptime' condition"))
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

// Upstream's `if c { a } else { b }` where a value is needed (bpftrace 0.24+): each
// branch a block expression, `else if` chains nesting, so it is the ternary
// `c ? { a } : { b }` and types as one (both branches of one kind).
ExprPtr Parser::parseIfExpr() {
  Token kw = take(); // if
  DepthGuard g(*this, kw.range);
  if (!g.ok)
    return nullptr;
  if (atWord("comptime")) {
    errAt(peek(), "'if comptime' is a statement, not a value: write the ternary c ? a : b");
    return nullptr;
  }
  auto t = make<TernaryExpr>(kw.range);
  t->cond = parseCondition("if");
  if (!t->cond)
    return nullptr;
  if (!at(Tok::LBrace)) {
    errAt(peek(), "expected '{' after if condition");
    return nullptr;
  }
  t->thenExpr = parseBlockExpr();
  if (!t->thenExpr)
    return nullptr;
  if (!atWord("else")) {
    err(span(kw.range, t->thenExpr->range), "an 'if' used as a value needs an 'else' branch");
    return nullptr;
  }
  take();
  if (atWord("if"))
    t->elseExpr = parseIfExpr();
  else if (at(Tok::LBrace))
    t->elseExpr = parseBlockExpr();
  else
    errAt(peek(), "expected '{' or 'if' after 'else'");
  if (!t->elseExpr)
    return nullptr;
  t->range.end = t->elseExpr->range.end;
  return t;
}

// Whether a block's statements end in a value: an expression, or an if with an else
// whose branches each end in one (an if statement that ends a block used as a value).
bool Parser::endsInValue(const StmtList &body) {
  if (body.empty())
    return false;
  if (as<ExprStmt>(body.back().get()))
    return true;
  auto *s = as<IfStmt>(body.back().get());
  return s && s->hasElse && !s->comptime && endsInValue(s->thenBody) &&
         endsInValue(s->elseBody);
}

// The if-expression an if statement stands for; endsInValue holds of it.
ExprPtr Parser::ifStmtAsValue(IfStmt &s) {
  auto t = make<TernaryExpr>(s.range);
  t->cond = std::move(s.cond);
  t->thenExpr = branchAsValue(s.thenBody, s.range);
  t->elseExpr = branchAsValue(s.elseBody, s.range);
  return t;
}

// One branch's statements as a block expression, its last statement the value.
ExprPtr Parser::branchAsValue(StmtList &body, SourceRange range) {
  auto b = make<BlockExpr>(range);
  if (auto *e = as<ExprStmt>(body.back().get()))
    b->value = std::move(e->expr);
  else
    b->value = ifStmtAsValue(*as<IfStmt>(body.back().get()));
  body.pop_back();
  b->stmts = std::move(body);
  return b;
}

StmtPtr Parser::parseLoop() {
  Token kw = take(); // while / unroll
  bool isWhile = kw.text == "while";
  ExprPtr e;
  if (isWhile) {
    e = parseCondition("while");
    if (!e)
      return nullptr;
  } else {
    if (!at(Tok::LParen)) {
      errAt(peek(), "expected '(' after '" + kw.text + "'");
      return nullptr;
    }
    Token lp = take();
    e = parseExpr();
    if (!e || !expectClose(Tok::RParen, lp))
      return nullptr;
  }
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
  // bpftrace 0.24+ writes the header without parentheses: for $i : 0..5 {
  bool paren = at(Tok::LParen);
  Token lp = paren ? take() : kw;
  if (!at(Tok::Var)) {
    errAt(peek(), paren ? "expected a variable after 'for ('"
                        : "expected '(' or a variable after 'for'");
    return nullptr;
  }
  Token v = take();
  auto s = make<ForStmt>(kw.range);
  s->var = make<VariableRef>(v.range);
  s->var->name = v.text;
  if (!expect(Tok::Colon, "after the loop variable"))
    return nullptr;
  // A map or a range's bounds are unary expressions, as bpftrace's grammar has them: a
  // binary one is parenthesised ((1+1)..10), so `a+b..c` cannot read two ways.
  s->iterable = parseUnary();
  if (!s->iterable)
    return nullptr;
  if (at(Tok::Dot) && at(Tok::Dot, 1)) { // start..end
    take();
    take();
    s->rangeEnd = parseUnary();
    if (!s->rangeEnd)
      return nullptr;
  }
  if (paren && !expectClose(Tok::RParen, lp))
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
