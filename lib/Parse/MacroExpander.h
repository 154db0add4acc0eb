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
// Function-like C macros are defined but never expanded, as in bpftrace (a use
// is an unknown function); bpftrace's own `macro name(args) { ... }` is another
// construct.
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
  // `#define NAME(params) body`: defined (for #ifdef), never expanded.
  void defineFunctionLike(const std::string &name) {
    bodies_.erase(name);
    functionLike_.insert(name);
  }
  void undef(const std::string &name) {
    bodies_.erase(name);
    functionLike_.erase(name);
  }
  bool isDefined(const std::string &name) const {
    return bodies_.count(name) > 0 || functionLike_.count(name) > 0;
  }
  // The body of a defined macro, or null.
  const std::string *body(const std::string &name) const {
    auto it = bodies_.find(name);
    return it == bodies_.end() ? nullptr : &it->second;
  }

private:
  friend class MacroExpander;
  std::map<std::string, std::string> bodies_;
  std::set<std::string> functionLike_;
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
