// Statements: blocks, the statement dispatch, expression statements,
// assignments, declarations (let) and jumps (return, break, continue), and the
// recovery after a broken statement. Control flow is in ParseControlFlow.cpp.
#include "Parser.h"

namespace bt::parse {

using namespace ast;

// After '{': statements up to the matching '}'. With `value`, a last expression
// statement without its ';' becomes the block's value (a block expression).
bool Parser::parseBlock(StmtList &out, SourceLoc &end, ExprPtr *value) {
  // The '{' was the previous token.
  Token lb;
  lb.kind = Tok::LBrace;
  lb.range = prev_;
  DepthGuard g(*this, prev_);
  if (!g.ok)
    return false;
  for (;;) {
    const Token &t = peek();
    if (t.kind == Tok::RBrace) {
      end = t.range.end;
      take();
      return true;
    }
    if (t.kind == Tok::Eof) {
      // After an unterminated string the missing '}' is no news.
      if (!eofReported_ && !abort_ && !lex_.sawUnterminated()) {
        eofReported_ = true;
        err(lb.range, "unmatched '{'");
      }
      return false;
    }
    if (t.kind == Tok::Semi) {
      take();
      continue;
    }
    StmtPtr s = parseStatement();
    if (!s) {
      syncStatement();
      continue;
    }
    auto *es = as<ExprStmt>(s.get());
    if (value && es && at(Tok::RBrace) && es->range.end.line == prev_.end.line &&
        es->range.end.col == prev_.end.col) {
      *value = std::move(es->expr);
      continue;
    }
    out.push_back(std::move(s));
  }
}

// At '{' in an expression: `{ stmt; ...; e }`.
ExprPtr Parser::parseBlockExpr() {
  Token lb = take();
  auto b = make<BlockExpr>(lb.range);
  SourceLoc end;
  if (!parseBlock(b->stmts, end, &b->value))
    return nullptr;
  b->range.end = end;
  // A last `if ... else ...` is the value, each branch's last expression its value
  // (upstream's nested if-expressions): it parsed as a statement, not knowing it ended
  // the block.
  if (!b->value && !b->stmts.empty() && as<IfStmt>(b->stmts.back().get()) &&
      endsInValue(b->stmts)) {
    b->value = ifStmtAsValue(*as<IfStmt>(b->stmts.back().get()));
    b->stmts.pop_back();
  }
  if (!b->value) {
    err(b->range, "a block used as a value must end in an expression without ';'");
    return nullptr;
  }
  return b;
}

// Skips to just after the next ';' at this level, just after a balanced
// '{...}' that ends a statement, or to the '}' that closes this block.
void Parser::syncStatement() {
  int depth = 0;
  while (!abort_) {
    const Token &t = peek();
    switch (t.kind) {
    case Tok::Eof:
      return;
    case Tok::Semi:
      take();
      if (depth == 0)
        return;
      break;
    case Tok::LBrace: case Tok::LParen: case Tok::LBracket:
      ++depth;
      take();
      break;
    case Tok::RBrace:
      if (depth == 0)
        return;
      take();
      if (--depth == 0)
        return;
      break;
    case Tok::RParen: case Tok::RBracket:
      take();
      if (depth > 0)
        --depth;
      break;
    default:
      take();
      break;
    }
  }
}

StmtPtr Parser::parseStatement() {
  const Token &t = peek();
  if (t.kind == Tok::Ident) {
    const std::string &w = t.text;
    if (w == "if")
      return parseIf();
    if (w == "while" || w == "unroll")
      return parseLoop();
    if (w == "for")
      return parseFor();
    if (w == "else") {
      errAt(t, "'else' without a preceding 'if'");
      return nullptr;
    }
    // Upstream's statement imports (behind its unstable_import_statement gate, off by
    // default, for its standard library's C) name a C header, source or object, whose
    // declarations are the whole program's wherever the import is written.
    if (w == "import" && at(Tok::String, 1)) {
      errAt(t, "import inside a block is not supported: write it at the top level, where it "
               "takes in the same (upstream's imports inside a block, behind "
               "unstable_import_statement, take in C for the whole program)");
      return nullptr;
    }
  }
  if (t.kind == Tok::LBrace) {
    Token lb = take();
    auto b = make<BlockStmt>(lb.range);
    SourceLoc end;
    if (!parseBlock(b->body, end))
      return nullptr;
    b->range.end = end;
    return b;
  }
  StmtPtr s = parseSimpleStatement();
  if (!s)
    return nullptr;
  if (accept(Tok::Semi) || at(Tok::RBrace))
    return s;
  const Token &n = peek();
  if (n.kind == Tok::Error)
    return nullptr;
  err(afterPrev(), "expected ';' after statement");
  // A token on a new line most likely starts the next statement.
  if (!n.newlineBefore)
    syncStatement();
  return s;
}

StmtPtr Parser::parseSimpleStatement() {
  const Token &t = peek();
  if (t.kind == Tok::Ident) {
    if (t.text == "return") {
      Token kw = take();
      auto j = std::make_unique<JumpStmt>(kw.range, JumpKind::Return);
      if (!at(Tok::Semi) && !at(Tok::RBrace)) {
        j->value = parseExpr();
        if (!j->value)
          return nullptr;
        j->range.end = j->value->range.end;
      }
      return j;
    }
    if (t.text == "break" || t.text == "continue") {
      Token kw = take();
      return std::make_unique<JumpStmt>(
          kw.range, kw.text == "break" ? JumpKind::Break : JumpKind::Continue);
    }
    if (t.text == "let")
      return parseLet();
    // Upstream's discard, `_ = has_key(@m, k);`: the value is computed and dropped.
    if (t.text == "_" && peek(1).kind == Tok::Assign) {
      take();
      take();
      ExprPtr value = parseExpr();
      if (!value)
        return nullptr;
      auto s = make<ExprStmt>(value->range);
      s->expr = std::move(value);
      s->discard = true;
      return s;
    }
  }
  ExprPtr lhs = parseExpr();
  if (!lhs)
    return nullptr;
  Tok k = peek().kind;
  if (k != Tok::Assign && !isCompoundAssign(k)) {
    auto s = make<ExprStmt>(lhs->range);
    s->expr = std::move(lhs);
    return s;
  }
  return parseAssignment(std::move(lhs));
}

// At '=' or a compound assignment after `lhs`.
StmtPtr Parser::parseAssignment(ExprPtr lhs) {
  Token op = take();
  bool compound = op.kind != Tok::Assign;
  if (lhs->kind != ExprKind::Variable && lhs->kind != ExprKind::Map) {
    err(lhs->range, std::string("expression is not assignable; '") +
                        tokSpelling(op.kind) +
                        "' needs a variable or a map on its left");
    return nullptr;
  }
  ExprPtr value = parseExpr();
  if (!value)
    return nullptr;
  SourceRange r = span(lhs->range, value->range);
  if (lhs->kind == ExprKind::Variable) {
    auto s = make<AssignVarStmt>(r);
    s->var.reset(static_cast<VariableRef *>(lhs.release()));
    s->compound = compound;
    s->op = binaryOpOf(op.kind);
    s->value = std::move(value);
    return s;
  }
  auto s = make<AssignMapStmt>(r);
  s->map.reset(static_cast<MapRef *>(lhs.release()));
  s->compound = compound;
  s->op = binaryOpOf(op.kind);
  s->value = std::move(value);
  return s;
}

StmtPtr Parser::parseLet() {
  Token kw = take(); // let
  if (!at(Tok::Var)) {
    errAt(peek(), "expected a variable name after 'let'");
    return nullptr;
  }
  Token v = take();
  auto s = make<VarDeclStmt>(span(kw.range, v.range));
  s->var = make<VariableRef>(v.range);
  s->var->name = v.text;
  if (accept(Tok::Colon)) {
    if (!parseType(s->type, "after ':'"))
      return nullptr;
    s->hasType = true;
    s->range.end = s->type.range.end;
  }
  if (at(Tok::Assign)) {
    take();
    s->value = parseExpr();
    if (!s->value)
      return nullptr;
    s->range.end = s->value->range.end;
  } else if (isCompoundAssign(peek().kind)) {
    errAt(peek(), "a declaration takes '=', not '" +
                      std::string(tokSpelling(peek().kind)) + "'");
    return nullptr;
  }
  return s;
}

} // namespace bt::parse

namespace bt::parse {

using namespace ast;

// At top level: `let @m = kind(size);`.
void Parser::parseMapDecl(Program &prog) {
  Token kw = take(); // let
  if (!at(Tok::Map)) {
    errAt(peek(), "expected a map after 'let' outside a probe (let @m = hash(N);)");
    skipProbe();
    return;
  }
  Token m = take();
  MapDecl d;
  d.name = m.text;
  d.nameRange = m.range;
  if (!expect(Tok::Assign, "after the map name")) {
    skipProbe();
    return;
  }
  if (!at(Tok::Ident) || !at(Tok::LParen, 1)) {
    errAt(peek(), "expected a map kind: hash(N), lruhash(N), percpuhash(N), "
                  "percpulruhash(N) or percpuarray(1)");
    skipProbe();
    return;
  }
  Token kind = take();
  d.kind = kind.text;
  d.kindRange = kind.range;
  Token lp = take();
  d.size = parseExpr();
  if (!d.size || !expectClose(Tok::RParen, lp)) {
    skipProbe();
    return;
  }
  d.range = span(kw.range, prev_);
  if (!accept(Tok::Semi)) {
    err(afterPrev(), "expected ';' after the map declaration");
    skipProbe();
    return;
  }
  prog.mapDecls.push_back(std::move(d));
}

} // namespace bt::parse
