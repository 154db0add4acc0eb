// Config blocks: "config = { key = value; ... }" before the probes. The
// entries are parsed here; what a key means is Sema's (which refuses config
// blocks for now: "not supported yet").
#include "Parser.h"

namespace bt::parse {

using namespace ast;

bool Parser::configAhead(size_t wordLen) const {
  const std::string &t = lex_.text();
  size_t p = lex_.state().pos + wordLen;
  while (p < t.size() && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' ||
                          t[p] == '\r'))
    ++p;
  return p < t.size() && t[p] == '=' && (p + 1 >= t.size() || t[p + 1] != '=');
}

void Parser::parseConfig(Program &prog) {
  Token kw = take(); // config
  // Its settings shape every probe, so bpftrace's grammar puts it before them.
  if (!prog.probes.empty())
    err(kw.range, "the config block must come before the first probe");
  Preamble pre;
  pre.kind = Preamble::Config;
  take(); // '='
  Token lb = peek();
  if (!expect(Tok::LBrace, "after 'config ='")) {
    skipProbe();
    return;
  }
  bool ok = true;
  while (ok && !abort_) {
    if (at(Tok::RBrace))
      break;
    if (at(Tok::Eof)) {
      expectClose(Tok::RBrace, lb);
      return;
    }
    if (accept(Tok::Semi))
      continue;
    const Token &k = peek();
    if (k.kind != Tok::Ident) {
      errAt(k, "expected configuration option name, found " + quoteTok(k));
      ok = false;
      break;
    }
    Token key = take();
    if (!expect(Tok::Assign, "after configuration option name")) {
      ok = false;
      break;
    }
    const Token &v = peek();
    ConfigEntry e;
    e.key = key.text;
    if (v.kind == Tok::Int || v.kind == Tok::Ident) {
      e.value = v.text;
    } else if (v.kind == Tok::String) {
      e.value = v.value;
      e.isString = true;
    } else {
      errAt(v, "expected a value for configuration option '" + key.text + "'");
      ok = false;
      break;
    }
    Token vt = take();
    e.range = span(key.range, vt.range);
    pre.config.push_back(std::move(e));
    if (!at(Tok::RBrace) && !accept(Tok::Semi)) {
      errAt(peek(), "expected ';' after configuration option");
      ok = false;
    }
  }
  if (!ok) {
    // Skip to the closing brace.
    while (!at(Tok::Eof) && !at(Tok::RBrace))
      take();
  }
  Token rb = take();
  pre.range = span(kw.range, rb.range);
  pre.text = lex_.text().substr(kw.start.pos, rb.endPos - kw.start.pos);
  if (ok)
    prog.preamble.push_back(std::move(pre));
}

} // namespace bt::parse
