// Preprocessor lines: #include, #define/#undef, the conditionals and the
// other directives. #include, #define, #undef and #pragma lines are kept in
// the preamble as text (Sema refuses #include and #pragma); a #define is also
// recorded in the macro table that the MacroExpander expands from.
//
// Conditionals (#if/#ifdef/#ifndef/#elif/#else/#endif) are evaluated here, as
// bpftrace's C preprocessor evaluates them: the top level (Parser::run) skips
// the lines of a group they exclude, so what is there need not even parse.
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
  r.begin = at(s.line, s.col);
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
  if (dir == "if" || dir == "ifdef" || dir == "ifndef" || dir == "elif" ||
      dir == "else" || dir == "endif") {
    conditionalDirective(dir, text.substr(p), r);
    return;
  }
  // In an excluded group every other line is skipped, as C does, whatever it says.
  if (skipping())
    return;
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
    if (dir == "undef")
      macros_.undef(name);
    else if (p < text.size() && text[p] == '(')
      macros_.defineFunctionLike(name);
    else
      // An object-like macro: expanded wherever the identifier is used.
      macros_.define(name, text.substr(p));
  } else if (dir == "error") {
    size_t m = text.find_first_not_of(" \t", p);
    err(r, m == std::string::npos ? std::string("#error") : "#error: " + text.substr(m));
    return;
  } else if (dir == "pragma" || dir == "warning" || dir == "line") {
    // Kept as text: Sema hands #pragma to clang with the C definitions, refuses the others.
    pre.kind = Preamble::Define;
  } else {
    err(r, dir.empty() ? std::string("expected a preprocessor directive after '#'")
                       : "invalid preprocessing directive '#" + dir + "'");
    return;
  }
  prog.preamble.push_back(std::move(pre));
}

void Parser::conditionalDirective(const std::string &dir, const std::string &rest,
                                  SourceRange r) {
  // The macro name of #ifdef/#ifndef: one identifier and nothing after it.
  auto macroName = [&](std::string &name) {
    size_t p = rest.find_first_not_of(" \t");
    size_t e = p;
    while (e < rest.size() && isIdentChar(rest[e]))
      ++e;
    name = p == std::string::npos ? "" : rest.substr(p, e - p);
    if (name.empty() || !isIdentStart(name[0])) {
      err(r, "#" + dir + " needs a macro name");
      return false;
    }
    size_t tail = rest.find_first_not_of(" \t\r", e);
    if (tail != std::string::npos && rest.compare(tail, 2, "//") != 0 &&
        rest.compare(tail, 2, "/*") != 0) {
      err(r, "unexpected text after the macro name of #" + dir);
      return false;
    }
    return true;
  };
  auto condition = [&](bool &value) {
    int64_t v = 0;
    std::string error;
    if (!evalPreprocCondition(rest, macros_, v, error)) {
      err(r, "#" + dir + ": " + error);
      return false;
    }
    value = v != 0;
    return true;
  };
  if (dir == "if" || dir == "ifdef" || dir == "ifndef") {
    Conditional c{r, !skipping(), false, false, false};
    // An excluded group's conditionals only nest; their conditions are not read.
    if (c.outerTaking) {
      bool value = false;
      std::string name;
      if (dir == "if" ? !condition(value) : !macroName(name))
        value = false;
      else if (dir != "if")
        value = macros_.isDefined(name) == (dir == "ifdef");
      c.taking = c.taken = value;
    }
    conds_.push_back(c);
    return;
  }
  if (conds_.empty()) {
    err(r, "#" + dir + " without #if");
    return;
  }
  Conditional &c = conds_.back();
  if (dir == "endif") {
    conds_.pop_back();
    return;
  }
  if (c.sawElse) {
    err(r, "#" + dir + " after #else");
    note(c.opened, "in the conditional that starts here");
    c.taking = false;
    return;
  }
  if (dir == "else") {
    c.sawElse = true;
    c.taking = c.outerTaking && !c.taken;
    c.taken = c.taken || c.taking;
    return;
  }
  // #elif: its condition is read only when no earlier group was included.
  bool value = false;
  if (c.outerTaking && !c.taken && !condition(value))
    value = false;
  c.taking = c.outerTaking && !c.taken && value;
  c.taken = c.taken || c.taking;
}

} // namespace bt::parse
