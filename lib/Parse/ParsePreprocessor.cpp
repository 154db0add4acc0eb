// Preprocessor lines: #include, #define/#undef and the other directives.
// Each line is kept in the preamble as text (for the C preamble, and for Sema
// to refuse what is not supported yet); an object-like #define is also
// recorded in the macro table that the MacroExpander expands from.
//
// Conditionals (#ifdef, #if, ...) are kept as text, not evaluated: the place
// to evaluate them is here, with the MacroExpander skipping what they exclude.
#include "Parser.h"

namespace bt::parse {

using namespace ast;

std::string Lexer::scanPreprocLine(SourceRange &r) {
  LexState s = st_;
  SourceLoc last = loc();
  while (!atEof() && cur() != '\n') {
    if (cur() == '\\' && peekChar(1) == '\n') {
      advance(2);
      continue;
    }
    if (cur() == '\\' && peekChar(1) == '\r' && peekChar(2) == '\n') {
      advance(3);
      continue;
    }
    if (cur() != '\r' && cur() != ' ' && cur() != '\t')
      last = loc();
    advance();
  }
  r.begin = {s.line, s.col};
  r.end = last;
  std::string txt = text_.substr(s.pos, st_.pos - s.pos);
  while (!txt.empty() && (txt.back() == '\r' || txt.back() == ' ' ||
                          txt.back() == '\t'))
    txt.pop_back();
  return txt;
}

void Parser::parsePreproc(Program &prog) {
  SourceRange r;
  std::string text = lex_.scanPreprocLine(r);
  // The directive name.
  size_t p = 1;
  while (p < text.size() && (text[p] == ' ' || text[p] == '\t'))
    ++p;
  size_t b = p;
  while (p < text.size() && isIdentChar(text[p]))
    ++p;
  std::string dir = text.substr(b, p - b);
  Preamble pre;
  pre.text = text;
  pre.range = r;
  if (dir == "include") {
    pre.kind = Preamble::Include;
    // The argument: <...> or "...".
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t'))
      ++p;
    if (p >= text.size() || (text[p] != '<' && text[p] != '"')) {
      err(r, "expected \"FILENAME\" or <FILENAME> after #include");
      return;
    }
    char close = text[p] == '<' ? '>' : '"';
    if (text.find(close, p + 1) == std::string::npos) {
      err(r, std::string("expected '") + close + "' to end #include file name");
      return;
    }
  } else if (dir == "define" || dir == "undef") {
    pre.kind = Preamble::Define;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t'))
      ++p;
    size_t nb = p;
    while (p < text.size() && isIdentChar(text[p]))
      ++p;
    std::string name = text.substr(nb, p - nb);
    if (name.empty() || !isIdentStart(name[0])) {
      err(r, "macro name must be an identifier");
      return;
    }
    if (dir == "undef") {
      macros_.undef(name);
    } else if (p >= text.size() || text[p] != '(') {
      // An object-like macro: expanded wherever the identifier is used.
      macros_.define(name, text.substr(p));
    }
  } else if (dir == "ifdef" || dir == "ifndef" || dir == "if" ||
             dir == "elif" || dir == "else" || dir == "endif" ||
             dir == "pragma" || dir == "error" || dir == "warning" ||
             dir == "line") {
    // Kept as text for the C preamble (Define is the kind of every
    // preprocessor line that is no #include).
    pre.kind = Preamble::Define;
  } else {
    err(r, dir.empty() ? std::string("expected a preprocessor directive after '#'")
                       : "invalid preprocessing directive '#" + dir + "'");
    return;
  }
  prog.preamble.push_back(std::move(pre));
}

} // namespace bt::parse
