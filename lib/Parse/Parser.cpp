// The parser's machinery: the door, tokens, error reporting and the bounds on
// nesting. The grammar is in the Parse*.cpp files (see Parser.h).
#include "Parser.h"

#include "bt/Parse/Parser.h"

namespace bt {
namespace parse {

constexpr int kMaxDepth = 256;
constexpr unsigned kMaxErrors = 20;
constexpr int kMaxHeight = 4096;

Parser::Parser(const SourceFile &f, DiagnosticEngine &d, const ParseOptions &options,
               uint32_t file)
    : diags_(d), lex_(f.text(), d, cap_), tokens_(lex_, d, cap_, macros_) {
  lex_.setFile(file);
  lex_.setPositionalArgs(options.positionalArgs ? &*options.positionalArgs : nullptr,
                         options.attachPointsReadArgs);
  eof_.kind = Tok::Eof;
  cap_.limit = kMaxErrors;
  for (const auto &[name, body] : options.predefined)
    macros_.define(name, body);
}

void Parser::rewind() {
  if (!la_.empty()) {
    tokens_.reset(la_.front().start);
    la_.clear();
  }
}

void Parser::err(SourceRange r, std::string msg) {
  if (abort_)
    return;
  reportError(diags_, cap_, r, std::move(msg));
  checkErrorCap(r);
}

void Parser::errAt(const Token &t, std::string msg) {
  if (t.kind == Tok::Error)
    return;
  if (t.kind == Tok::Eof) {
    if (eofReported_)
      return;
    eofReported_ = true;
  }
  err(t.range, std::move(msg));
}

void Parser::note(SourceRange r, std::string msg) {
  if (!abort_ && !cap_.hit)
    diags_.note(r, std::move(msg));
}

bool Parser::expectClose(Tok close, const Token &open) {
  if (accept(close))
    return true;
  const Token &t = peek();
  const char *o = tokSpelling(open.kind);
  if (t.kind == Tok::Error)
    return false;
  if (t.kind == Tok::Eof || t.kind == Tok::Semi || t.kind == Tok::RBrace ||
      t.kind == Tok::LBrace) {
    if (t.kind == Tok::Eof) {
      if (eofReported_)
        return false;
      eofReported_ = true;
    }
    err(open.range, std::string("unmatched '") + o + "'");
    return false;
  }
  err(t.range, std::string("expected '") + tokSpelling(close) + "', found " +
                   quoteTok(t));
  note(open.range, std::string("to match this '") + o + "'");
  return false;
}

bool Parser::expect(Tok k, const char *what) {
  if (accept(k))
    return true;
  errAt(peek(), std::string("expected '") + tokSpelling(k) + "' " + what);
  return false;
}

bool Parser::tooDeep(SourceRange r) {
  if (depth_ <= kMaxDepth && height_ <= kMaxHeight)
    return false;
  if (!abort_) {
    err(r, depth_ > kMaxDepth
               ? "nesting is too deep (the limit is " +
                     std::to_string(kMaxDepth) + " levels)"
               : std::string("expression is too complex to parse"));
    abort_ = true;
  }
  return true;
}

std::string quoteTok(const Token &t) {
  switch (t.kind) {
  case Tok::Eof: return "end of file";
  case Tok::Ident: case Tok::Int: case Tok::Var: case Tok::Positional:
  case Tok::Map:
    return "'" + t.text + "'";
  case Tok::String: return "string literal";
  default: return std::string("'") + tokSpelling(t.kind) + "'";
  }
}

} // namespace parse

std::optional<ast::Program> parseProgram(const SourceFile &file,
                                         DiagnosticEngine &diags,
                                         const ParseOptions &options) {
  parse::Parser p(file, diags, options);
  auto prog = p.run();
  if (!prog)
    return std::nullopt;
  unsigned startErrors = diags.errorCount();
  parse::resolveImports(*prog, file, p.imports(), diags, options);
  if (diags.errorCount() > startErrors)
    return std::nullopt;
  parse::expandScriptMacros(*prog, diags);
  if (diags.errorCount() > startErrors)
    return std::nullopt;
  return prog;
}

} // namespace bt
