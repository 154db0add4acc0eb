// C definitions at the top level: struct, union, enum and typedef. They are
// kept as text for the C preamble; a typedef's name is remembered so that
// "(name)x" parses as a cast.
#include "Parser.h"

#include <vector>

namespace bt::parse {

using namespace ast;

void Parser::parseCDefinition(Program &prog) {
  Preamble pre;
  pre.kind = Preamble::CDefinition;
  std::string tdname;
  if (!lex_.scanCDefinition(pre.text, pre.range, &tdname)) {
    checkErrorCap(pre.range);
    return;
  }
  if (!tdname.empty())
    typedefs_.insert(tdname);
  prog.preamble.push_back(std::move(pre));
}

bool Lexer::scanCDefinition(std::string &out, SourceRange &r,
                            std::string *typedefName) {
  // At 'struct', 'union', 'enum' or 'typedef'. A definition runs to its
  // balanced closing brace (plus an optional ';'); a typedef runs to ';'.
  LexState s = st_;
  std::string kw = peekWord();
  bool isTypedef = kw == "typedef";
  int depth = 0;
  bool sawBrace = false;
  std::string lastIdent;
  SourceLoc lastLoc = loc();
  std::vector<SourceLoc> opens;
  while (!atEof()) {
    char c = cur();
    if (c == '/' && (peekChar(1) == '/' || peekChar(1) == '*')) {
      skipTrivia();
      continue;
    }
    if (isIdentStart(c)) {
      std::string w;
      while (isIdentChar(cur())) {
        w += cur();
        lastLoc = loc();
        advance();
      }
      if (depth == 0)
        lastIdent = w;
      continue;
    }
    if (c == '"' || c == '\'') {
      char q = c;
      advance();
      while (!atEof() && cur() != q && cur() != '\n') {
        if (cur() == '\\')
          advance();
        advance();
      }
      lastLoc = loc();
      advance();
      continue;
    }
    if (c == '{') {
      opens.push_back(loc());
      ++depth;
      sawBrace = true;
    } else if (c == '}') {
      if (depth == 0) {
        error({loc(), loc()}, "unexpected '}' in C definition");
        return false;
      }
      opens.pop_back();
      --depth;
      if (depth == 0 && !isTypedef) {
        lastLoc = loc();
        advance();
        // An optional ';' (possibly after whitespace on the same line).
        LexState save = st_;
        while (cur() == ' ' || cur() == '\t')
          advance();
        if (cur() == ';') {
          lastLoc = loc();
          advance();
        } else {
          st_ = save;
        }
        break;
      }
    } else if (c == ';' && depth == 0) {
      lastLoc = loc();
      advance();
      break;
    }
    if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r'))
      lastLoc = loc();
    advance();
  }
  r.begin = at(s.line, s.col);
  r.end = lastLoc;
  out = text_.substr(s.pos, st_.pos - s.pos);
  if (depth > 0) {
    error({opens.front(), opens.front()}, "unmatched '{' in C definition");
    return false;
  }
  if (atEof() && !sawBrace && out.find(';') == std::string::npos) {
    error(r, "expected ';' after C declaration");
    return false;
  }
  if (isTypedef && typedefName)
    *typedefName = lastIdent;
  return true;
}

} // namespace bt::parse
