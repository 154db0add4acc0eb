// The bpftrace lexer (private to lib/Parse): text in, tokens out.
//
// Ordinary tokens come from next(). Attach points, preprocessor lines and C
// definitions are context dependent, so the parser asks for them explicitly
// with the raw scanners (scanAttachPoint, scanPreprocLine, scanCDefinition)
// after rewinding the lexer to the start of the construct; each scanner is
// defined beside the parser code of its construct (ParseAttachPoint.cpp,
// ParsePreprocessor.cpp, ParseCDefinition.cpp). Macros are expanded after
// lexing, by the MacroExpander.
#pragma once

#include "bt/Parse/AST.h"
#include "bt/Parse/Source.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bt::parse {

enum class Tok {
  Eof,
  Error, // a lexical error, already reported
  Ident,
  Int,
  String,
  Var,        // $name
  Positional, // $1, $#
  Map,        // @name, @
  LBrace, RBrace, LParen, RParen, LBracket, RBracket,
  Semi, Comma, Colon, Question, Dot, Arrow, Hash,
  Plus, Minus, Star, Slash, Percent, Amp, Pipe, Caret, Bang, Tilde,
  Assign, EqEq, NotEq, Lt, Le, Gt, Ge, Shl, Shr, AmpAmp, PipePipe,
  PlusPlus, MinusMinus,
  PlusEq, MinusEq, StarEq, SlashEq, PercentEq, AmpEq, PipeEq, CaretEq,
  ShlEq, ShrEq,
};

const char *tokSpelling(Tok k);

// A position in the text, enough to resume lexing there.
struct LexState {
  size_t pos = 0;
  uint32_t line = 1, col = 1;
};

struct Token {
  Tok kind = Tok::Eof;
  std::string text;     // as written
  std::string value;    // decoded string / name without sigil
  uint64_t intValue = 0;
  int posIndex = 0;     // $N -> N; $# -> -1
  SourceRange range;    // end is inclusive (the last character)
  LexState start;       // where the token (or its macro use) begins
  size_t endPos = 0;    // offset one past the token
  bool newlineBefore = false; // a newline separates it from the previous token
};

// The error cap shared by the lexer, the macro expander and the parser: the
// error that would exceed it becomes "too many errors" and parsing stops.
struct ErrorCap {
  unsigned limit = 20;
  bool hit = false;
};

class Lexer {
public:
  // `placeAt` (optional): every token and error is placed there (used for
  // macro bodies, which are lexed at their use).
  Lexer(const std::string &text, DiagnosticEngine &diags, ErrorCap &cap,
        const SourceRange *placeAt = nullptr);

  // The next ordinary token (macros are expanded later: MacroExpander).
  Token next();
  LexState state() const { return st_; }
  void reset(LexState s);

  // Skip whitespace and comments; returns true if a newline was crossed.
  bool skipTrivia();
  char peekChar(size_t ahead = 0) const {
    size_t p = st_.pos + ahead;
    return p < text_.size() ? text_[p] : '\0';
  }
  bool atEof() const { return st_.pos >= text_.size(); }
  // The identifier starting at the current position (empty when none).
  std::string peekWord(size_t *len = nullptr) const;

  // Raw scanners, called at the current position (after skipTrivia).
  bool scanAttachPoint(ast::AttachPoint &out);
  bool relativeFilePath(const std::string &kind, size_t segment, size_t slash) const;
  // btc's arguments, put in place of an unquoted `$N` in an attach point (null: such a
  // `$N` is an error); `*readArgs` is set when one is.
  void setPositionalArgs(const std::vector<std::string> *args, bool *readArgs) {
    positionalArgs_ = args;
    readArgs_ = readArgs;
  }
  std::string scanPreprocLine(SourceRange &r);
  // Scans a C struct/union/enum/typedef definition; returns false on error.
  bool scanCDefinition(std::string &text, SourceRange &r,
                       std::string *typedefName);

  SourceLoc loc() const { return at(st_.line, st_.col); }
  // A location in this lexer's file.
  SourceLoc at(uint32_t line, uint32_t col) const { return {line, col, file_}; }
  // Locations name the DiagnosticEngine's file `file` (an imported script).
  void setFile(uint32_t file) { file_ = file; }
  SourceLoc locBefore() const; // the location of the character before pos

  const std::string &text() const { return text_; }
  // A string or comment ran to the end of its line or of the file.
  bool sawUnterminated() const { return sawUnterminated_; }

private:
  void advance(size_t n = 1);
  char cur() const { return peekChar(0); }
  void lexNumber(Token &t);
  void lexString(Token &t);
  void finish(Token &t, const LexState &s);
  void error(SourceRange r, std::string msg);
  bool skipBlockComment();
  std::optional<std::string> scanAttachPositional(SourceLoc &last);

  std::string text_;
  DiagnosticEngine &diags_;
  ErrorCap &cap_;
  bool hasPlace_ = false;
  SourceRange place_;
  LexState st_;
  uint32_t file_ = 0;
  bool sawUnterminated_ = false;
  const std::vector<std::string> *positionalArgs_ = nullptr;
  bool *readArgs_ = nullptr;
};

// Reports an error unless the cap is reached (see ErrorCap).
void reportError(DiagnosticEngine &diags, ErrorCap &cap, SourceRange r,
                 std::string msg);

bool isIdentStart(char c);
bool isIdentChar(char c);
bool isDigit(char c);

} // namespace bt::parse
