// The top level: which item starts where (preamble lines, C definitions,
// config blocks, imports, functions, probes), probes themselves, and the recovery
// from a broken one. A new kind of top-level item gets its test in run() and
// its own Parse*.cpp file.
#include "Parser.h"

namespace bt::parse {

using namespace ast;

std::optional<Program> Parser::run() {
  Program prog;
  unsigned startErrors = diags_.errorCount();
  while (!abort_) {
    rewind();
    lex_.skipTrivia();
    checkErrorCap({});
    if (abort_)
      break;
    if (lex_.atEof())
      break;
    char c = lex_.peekChar();
    if (c == '#') {
      parsePreproc(prog);
      continue;
    }
    if (skipping()) {
      SourceRange r;
      lex_.scanPreprocLine(r); // a line of an excluded group
      continue;
    }
    size_t wlen = 0;
    std::string w = lex_.peekWord(&wlen);
    if (w == "struct" || w == "union" || w == "enum" || w == "typedef") {
      parseCDefinition(prog);
      continue;
    }
    if (w == "fn" && subprogAhead(wlen)) {
      parseSubprog(prog);
      continue;
    }
    if (w == "import" && importAhead(wlen)) {
      parseImport();
      continue;
    }
    if (w == "macro" && subprogAhead(wlen)) {
      parseMacro(prog);
      continue;
    }
    if (w == "let") {
      parseMapDecl(prog);
      continue;
    }
    if (w == "config" && configAhead(wlen)) {
      parseConfig(prog);
      continue;
    }
    if (c == '}' || c == ';' || c == ')' || c == ']') {
      Token t = take();
      err(t.range, std::string("unexpected '") + c + "' at top level");
      continue;
    }
    if (c == '{') {
      Token t = peek();
      err(t.range, "expected attach point before '{'");
      skipProbe();
      continue;
    }
    parseProbe(prog);
  }
  if (!abort_)
    for (const Conditional &c : conds_)
      err(c.opened, "unterminated conditional: #endif is missing");
  if (diags_.errorCount() > startErrors)
    return std::nullopt;
  return prog;
}

// Skips the rest of a broken probe: up to and including its body, or up to
// a line that looks like the start of the next probe ("name:" / "name {").
void Parser::skipProbe() {
  int depth = 0;
  bool first = true;
  while (!abort_) {
    const Token &t = peek();
    if (t.kind == Tok::Eof)
      return;
    if (depth == 0 && !first && t.newlineBefore && t.kind == Tok::Ident) {
      Tok n = peek(1).kind;
      if (n == Tok::Colon || n == Tok::LBrace || n == Tok::Comma)
        return;
    }
    first = false;
    Tok k = peek().kind;
    take();
    if (k == Tok::LBrace)
      ++depth;
    else if (k == Tok::RBrace && --depth <= 0)
      return;
  }
}

// attach points [/predicate/] { body }
void Parser::parseProbe(Program &prog) {
  Probe probe;
  if (!parseAttachPoints(probe)) {
    skipProbe();
    return;
  }
  probe.range.begin = probe.attachPoints.front().range.begin;
  if (at(Tok::Slash)) {
    Token slash = take();
    inPredicate_ = true;
    probe.predicate = parseExpr();
    inPredicate_ = false;
    if (!probe.predicate) {
      skipProbe();
      return;
    }
    if (!accept(Tok::Slash)) {
      const Token &t = peek();
      errAt(t, "expected '/' to end the predicate, found " + quoteTok(t));
      note(slash.range, "predicate starts here");
      skipProbe();
      return;
    }
  }
  if (!at(Tok::LBrace)) {
    const Token &t = peek();
    if (t.kind == Tok::Colon || t.kind == Tok::Comma)
      errAt(t, "unexpected " + quoteTok(t) + " after attach point");
    else
      errAt(t, "expected '{' to begin probe body, found " + quoteTok(t));
    skipProbe();
    return;
  }
  take(); // '{'
  SourceLoc end;
  if (!parseBlock(probe.body, end))
    return; // the error is reported; the block ran to end of file
  probe.range.end = end;
  prog.probes.push_back(std::move(probe));
}

} // namespace bt::parse
