// Expressions by precedence: the ternary, binary operators (one precedence
// table: binaryPrec), prefix operators, postfix operators (fields,
// indexing, ++/--). Operands are in ParsePrimary.cpp, casts and types in
// ParseType.cpp.
#include "Parser.h"

namespace bt::parse {

using namespace ast;

int binaryPrec(Tok k) {
  switch (k) {
  case Tok::PipePipe: return 1;
  case Tok::AmpAmp: return 2;
  case Tok::Pipe: return 3;
  case Tok::Caret: return 4;
  case Tok::Amp: return 5;
  case Tok::EqEq: case Tok::NotEq: return 6;
  case Tok::Lt: case Tok::Le: case Tok::Gt: case Tok::Ge: return 7;
  case Tok::Shl: case Tok::Shr: return 8;
  case Tok::Plus: case Tok::Minus: return 9;
  case Tok::Star: case Tok::Slash: case Tok::Percent: return 10;
  default: return 0;
  }
}

BinaryOp binaryOpOf(Tok k) {
  switch (k) {
  case Tok::PipePipe: return BinaryOp::LogicalOr;
  case Tok::AmpAmp: return BinaryOp::LogicalAnd;
  case Tok::Pipe: case Tok::PipeEq: return BinaryOp::BitOr;
  case Tok::Caret: case Tok::CaretEq: return BinaryOp::BitXor;
  case Tok::Amp: case Tok::AmpEq: return BinaryOp::BitAnd;
  case Tok::EqEq: return BinaryOp::Eq;
  case Tok::NotEq: return BinaryOp::Ne;
  case Tok::Lt: return BinaryOp::Lt;
  case Tok::Le: return BinaryOp::Le;
  case Tok::Gt: return BinaryOp::Gt;
  case Tok::Ge: return BinaryOp::Ge;
  case Tok::Shl: case Tok::ShlEq: return BinaryOp::Shl;
  case Tok::Shr: case Tok::ShrEq: return BinaryOp::Shr;
  case Tok::Plus: case Tok::PlusEq: return BinaryOp::Add;
  case Tok::Minus: case Tok::MinusEq: return BinaryOp::Sub;
  case Tok::Star: case Tok::StarEq: return BinaryOp::Mul;
  case Tok::Slash: case Tok::SlashEq: return BinaryOp::Div;
  case Tok::Percent: case Tok::PercentEq: return BinaryOp::Mod;
  default: return BinaryOp::Add;
  }
}

bool isCompoundAssign(Tok k) {
  switch (k) {
  case Tok::PlusEq: case Tok::MinusEq: case Tok::StarEq: case Tok::SlashEq:
  case Tok::PercentEq: case Tok::AmpEq: case Tok::PipeEq: case Tok::CaretEq:
  case Tok::ShlEq: case Tok::ShrEq:
    return true;
  default:
    return false;
  }
}

ExprPtr Parser::parseTernary() {
  ExprPtr c = parseBinary(1);
  if (!c || !at(Tok::Question))
    return c;
  Token q = take();
  DepthGuard g(*this, q.range);
  if (!g.ok)
    return nullptr;
  ExprPtr a = parseTernary();
  if (!a)
    return nullptr;
  if (!accept(Tok::Colon)) {
    const Token &t = peek();
    errAt(t, "expected ':' in conditional expression, found " + quoteTok(t));
    note(q.range, "to match this '?'");
    return nullptr;
  }
  ExprPtr b = parseTernary();
  if (!b)
    return nullptr;
  auto t = make<TernaryExpr>(span(c->range, b->range));
  t->cond = std::move(c);
  t->thenExpr = std::move(a);
  t->elseExpr = std::move(b);
  return t;
}

ExprPtr Parser::parseBinary(int minPrec) {
  ExprPtr lhs = parseUnary();
  if (!lhs)
    return nullptr;
  ChainGuard chain(*this);
  for (;;) {
    const Token &t = peek();
    int prec = binaryPrec(t.kind);
    if (prec == 0 || prec < minPrec)
      return lhs;
    // In a predicate, a '/' followed by '{' ends it.
    if (inPredicate_ && t.kind == Tok::Slash && peek(1).kind == Tok::LBrace)
      return lhs;
    Token op = take();
    if (!chain.link(op.range))
      return nullptr;
    ExprPtr rhs = parseBinary(prec + 1);
    if (!rhs)
      return nullptr;
    auto b = make<BinaryExpr>(span(lhs->range, rhs->range), binaryOpOf(op.kind));
    b->opRange = op.range;
    b->lhs = std::move(lhs);
    b->rhs = std::move(rhs);
    lhs = std::move(b);
  }
}

ExprPtr Parser::makeIncDec(ExprPtr target, bool inc, bool prefix,
                           SourceRange r, const Token &op) {
  if (target->kind != ExprKind::Variable && target->kind != ExprKind::Map) {
    err(target->range, std::string("operand of '") + (inc ? "++" : "--") +
                           "' must be a variable or a map");
    return nullptr;
  }
  auto e = make<IncDecExpr>(r);
  e->increment = inc;
  e->prefix = prefix;
  e->target = std::move(target);
  return e;
}

ExprPtr Parser::parseUnary() {
  const Token &t = peek();
  UnaryOp op;
  switch (t.kind) {
  case Tok::Minus: op = UnaryOp::Neg; break;
  case Tok::Plus: op = UnaryOp::Plus; break;
  case Tok::Bang: op = UnaryOp::LogicalNot; break;
  case Tok::Tilde: op = UnaryOp::BitNot; break;
  case Tok::Star: op = UnaryOp::Deref; break;
  case Tok::Amp: op = UnaryOp::AddressOf; break;
  case Tok::PlusPlus:
  case Tok::MinusMinus: {
    Token o = take();
    DepthGuard g(*this, o.range);
    if (!g.ok)
      return nullptr;
    ExprPtr e = parseUnary();
    if (!e)
      return nullptr;
    SourceRange r = span(o.range, e->range);
    return makeIncDec(std::move(e), o.kind == Tok::PlusPlus, true, r, o);
  }
  case Tok::LParen:
    if (castAhead())
      return parseCast();
    return parsePostfix();
  default:
    return parsePostfix();
  }
  Token o = take();
  DepthGuard g(*this, o.range);
  if (!g.ok)
    return nullptr;
  ExprPtr e = parseUnary();
  if (!e)
    return nullptr;
  auto u = make<UnaryExpr>(span(o.range, e->range), op);
  u->operand = std::move(e);
  return u;
}

ExprPtr Parser::parsePostfix() {
  ExprPtr e = parsePrimary();
  if (!e)
    return nullptr;
  ChainGuard chain(*this);
  for (;;) {
    const Token &t = peek();
    if (t.kind == Tok::Dot && at(Tok::Dot, 1))
      return e; // a range's `..` (for loops)
    if ((t.kind == Tok::Dot || t.kind == Tok::Arrow ||
         t.kind == Tok::LBracket || t.kind == Tok::PlusPlus ||
         t.kind == Tok::MinusMinus) &&
        !chain.link(t.range))
      return nullptr;
    if (t.kind == Tok::Dot || t.kind == Tok::Arrow) {
      Token op = take();
      const Token &f = peek();
      if (f.kind != Tok::Ident && f.kind != Tok::Int) {
        errAt(f, std::string("expected field name after '") +
                     tokSpelling(op.kind) + "', found " + quoteTok(f));
        return nullptr;
      }
      Token ft = take();
      auto fe = make<FieldExpr>(span(e->range, ft.range));
      fe->base = std::move(e);
      fe->field = ft.text;
      fe->arrow = op.kind == Tok::Arrow;
      fe->fieldRange = ft.range;
      e = std::move(fe);
    } else if (t.kind == Tok::LBracket) {
      Token lb = take();
      DepthGuard g(*this, lb.range);
      if (!g.ok)
        return nullptr;
      ExprPtr idx = parseExpr();
      if (!idx || !expectClose(Tok::RBracket, lb))
        return nullptr;
      auto ie = make<IndexExpr>(span(e->range, prev_));
      ie->base = std::move(e);
      ie->index = std::move(idx);
      e = std::move(ie);
    } else if (t.kind == Tok::PlusPlus || t.kind == Tok::MinusMinus) {
      Token op = take();
      SourceRange r = span(e->range, op.range);
      e = makeIncDec(std::move(e), op.kind == Tok::PlusPlus, false, r, op);
      if (!e)
        return nullptr;
    } else {
      return e;
    }
  }
}

bool Parser::parseExprList(std::vector<ExprPtr> &out, Tok close) {
  if (at(close))
    return true;
  for (;;) {
    ExprPtr e = parseExpr();
    if (!e)
      return false;
    out.push_back(std::move(e));
    if (!accept(Tok::Comma))
      return true;
  }
}

} // namespace bt::parse
