// The macro pass (private to lib/Parse): a token stream transform that sits
// between the lexer and the parser.
//
// Object-like macros (`#define NAME body`, recorded by the parser as it meets
// the directive) are replaced wherever NAME is lexed as an identifier. A body
// is lexed at its use: every token of an expansion, and every error in it, is
// placed at the macro's name, so diagnostics point at the line that used it.
// A macro is not expanded inside its own expansion, and nesting and the total
// number of expanded tokens are bounded (a located "expands too deeply").
//
// Function-like macros stay preamble text that Sema refuses ("not supported
// yet"); bpftrace's rules for them (arguments, expansion in probes) belong here.
#pragma once

#include "Lexer.h"

#include <deque>
#include <map>
#include <set>
#include <string>

namespace bt::parse {

// The macros defined so far, shared by an expander and those of the macro
// bodies it expands.
class MacroTable {
public:
  // `#define NAME body`; a body's continuation lines are joined by a space.
  void define(const std::string &name, const std::string &body);
  void undef(const std::string &name) { bodies_.erase(name); }
  bool isDefined(const std::string &name) const {
    return bodies_.count(name) > 0;
  }

private:
  friend class MacroExpander;
  std::map<std::string, std::string> bodies_;
  size_t expandedTokens_ = 0; // all expansions together, to bound blow-up
  bool capReported_ = false;  // the bound's error is reported once, not per nesting level
};

class MacroExpander {
public:
  // `active`: the macros being expanded around this one (not expanded again);
  // `depth`: how many expansions enclose it.
  MacroExpander(Lexer &lex, DiagnosticEngine &diags, ErrorCap &cap,
                MacroTable &macros, std::set<std::string> active = {},
                int depth = 0);

  // The next token after expansion.
  Token next();
  // Drops what is left of an expansion and resumes lexing at `s`.
  void reset(LexState s);

private:
  // The expansions together passed their bound: reported once, at the script's use of
  // the outermost macro; an error token.
  Token tooManyTokens(Token use);

  Lexer &lex_;
  DiagnosticEngine &diags_;
  ErrorCap &cap_;
  MacroTable &macros_;
  std::set<std::string> active_;
  int depth_ = 0;
  std::deque<Token> pending_; // the rest of the current expansion
};

} // namespace bt::parse
