#include "MacroExpander.h"

namespace bt::parse {

constexpr int kMaxMacroDepth = 32;
constexpr size_t kMaxExpandedTokens = 1000000;

void MacroTable::define(const std::string &name, const std::string &body) {
  std::string joined;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size() &&
        (body[i + 1] == '\n' || body[i + 1] == '\r')) {
      while (i + 1 < body.size() && (body[i + 1] == '\n' || body[i + 1] == '\r'))
        ++i;
      joined += ' ';
      continue;
    }
    joined += body[i];
  }
  functionLike_.erase(name);
  bodies_[name] = joined;
}

MacroExpander::MacroExpander(Lexer &lex, DiagnosticEngine &diags,
                             ErrorCap &cap, MacroTable &macros,
                             std::set<std::string> active, int depth)
    : lex_(lex), diags_(diags), cap_(cap), macros_(macros),
      active_(std::move(active)), depth_(depth) {}

void MacroExpander::reset(LexState s) {
  lex_.reset(s);
  pending_.clear();
}

Token MacroExpander::tooManyTokens(Token use) {
  // Named after the use in the script text (depth 0), not the innermost macro.
  if (depth_ == 0 && !macros_.capReported_) {
    macros_.capReported_ = true;
    reportError(diags_, cap_, use.range,
                "macro '" + use.text + "' expands to more than " +
                    std::to_string(kMaxExpandedTokens) + " tokens");
  }
  use.kind = Tok::Error;
  return use;
}

Token MacroExpander::next() {
  for (;;) {
    if (!pending_.empty()) {
      Token t = std::move(pending_.front());
      pending_.pop_front();
      return t;
    }
    Token t = lex_.next();
    if (t.kind != Tok::Ident || macros_.bodies_.empty())
      return t;
    auto it = macros_.bodies_.find(t.text);
    if (it == macros_.bodies_.end() || active_.count(t.text))
      return t;
    if (depth_ >= kMaxMacroDepth) {
      reportError(diags_, cap_, t.range,
                  "macro '" + t.text + "' expands too deeply");
      t.kind = Tok::Error;
      return t;
    }
    if (macros_.expandedTokens_ > kMaxExpandedTokens)
      return tooManyTokens(t);
    // Expand the macro: lex its body with every token placed at the use.
    std::set<std::string> act = active_;
    act.insert(t.text);
    Lexer bodyLexer(it->second, diags_, cap_, &t.range);
    MacroExpander sub(bodyLexer, diags_, cap_, macros_, std::move(act),
                      depth_ + 1);
    bool first = true;
    for (;;) {
      Token s = sub.next();
      if (s.kind == Tok::Eof)
        break;
      s.start = t.start;
      s.endPos = t.endPos;
      if (first)
        s.newlineBefore = t.newlineBefore;
      first = false;
      pending_.push_back(std::move(s));
      // A cut-short expansion would parse as a different program: refuse it.
      if (++macros_.expandedTokens_ > kMaxExpandedTokens) {
        pending_.clear();
        return tooManyTokens(t);
      }
    }
    // An empty expansion simply vanishes; loop for the next token.
  }
}

} // namespace bt::parse
