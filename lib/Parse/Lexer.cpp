#include "Lexer.h"


#include <cctype>
#include <limits>

namespace bt::parse {

bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isIdentChar(char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
static bool isHexDigit(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int hexVal(char c) {
  if (isDigit(c))
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return c - 'A' + 10;
}

const char *tokSpelling(Tok k) {
  switch (k) {
  case Tok::Eof: return "end of file";
  case Tok::Error: return "invalid token";
  case Tok::Ident: return "identifier";
  case Tok::Int: return "integer";
  case Tok::String: return "string";
  case Tok::Var: return "variable";
  case Tok::Positional: return "positional parameter";
  case Tok::Map: return "map";
  case Tok::LBrace: return "{";
  case Tok::RBrace: return "}";
  case Tok::LParen: return "(";
  case Tok::RParen: return ")";
  case Tok::LBracket: return "[";
  case Tok::RBracket: return "]";
  case Tok::Semi: return ";";
  case Tok::Comma: return ",";
  case Tok::Colon: return ":";
  case Tok::Question: return "?";
  case Tok::Dot: return ".";
  case Tok::Arrow: return "->";
  case Tok::Hash: return "#";
  case Tok::Plus: return "+";
  case Tok::Minus: return "-";
  case Tok::Star: return "*";
  case Tok::Slash: return "/";
  case Tok::Percent: return "%";
  case Tok::Amp: return "&";
  case Tok::Pipe: return "|";
  case Tok::Caret: return "^";
  case Tok::Bang: return "!";
  case Tok::Tilde: return "~";
  case Tok::Assign: return "=";
  case Tok::EqEq: return "==";
  case Tok::NotEq: return "!=";
  case Tok::Lt: return "<";
  case Tok::Le: return "<=";
  case Tok::Gt: return ">";
  case Tok::Ge: return ">=";
  case Tok::Shl: return "<<";
  case Tok::Shr: return ">>";
  case Tok::AmpAmp: return "&&";
  case Tok::PipePipe: return "||";
  case Tok::PlusPlus: return "++";
  case Tok::MinusMinus: return "--";
  case Tok::PlusEq: return "+=";
  case Tok::MinusEq: return "-=";
  case Tok::StarEq: return "*=";
  case Tok::SlashEq: return "/=";
  case Tok::PercentEq: return "%=";
  case Tok::AmpEq: return "&=";
  case Tok::PipeEq: return "|=";
  case Tok::CaretEq: return "^=";
  case Tok::ShlEq: return "<<=";
  case Tok::ShrEq: return ">>=";
  }
  return "?";
}

Lexer::Lexer(const std::string &text, DiagnosticEngine &diags, ErrorCap &cap,
             const SourceRange *placeAt)
    : text_(text), diags_(diags), cap_(cap) {
  if (placeAt) {
    hasPlace_ = true;
    place_ = *placeAt;
  }
}

void Lexer::reset(LexState s) { st_ = s; }

void Lexer::advance(size_t n) {
  for (size_t i = 0; i < n && st_.pos < text_.size(); ++i) {
    if (text_[st_.pos] == '\n') {
      ++st_.line;
      st_.col = 1;
    } else {
      ++st_.col;
    }
    ++st_.pos;
  }
}

SourceLoc Lexer::locBefore() const {
  // Columns are bytes: the previous character is one column back unless it
  // ended a line; callers use this only within a line.
  if (st_.col > 1)
    return at(st_.line, st_.col - 1);
  return at(st_.line, st_.col);
}

void Lexer::error(SourceRange r, std::string msg) {
  if (hasPlace_)
    r = place_;
  reportError(diags_, cap_, r, std::move(msg));
}

void reportError(DiagnosticEngine &diags, ErrorCap &cap, SourceRange r,
                 std::string msg) {
  if (cap.hit)
    return;
  if (diags.errorCount() >= cap.limit) {
    diags.error(r, "too many errors emitted, stopping now");
    cap.hit = true;
    return;
  }
  diags.error(r, std::move(msg));
}

std::string Lexer::peekWord(size_t *len) const {
  size_t p = st_.pos;
  if (p >= text_.size() || !isIdentStart(text_[p]))
    return {};
  size_t e = p;
  while (e < text_.size() && isIdentChar(text_[e]))
    ++e;
  if (len)
    *len = e - p;
  return text_.substr(p, e - p);
}

bool Lexer::skipBlockComment() {
  // At "/*".
  SourceRange r{loc(), at(st_.line, st_.col + 1)};
  advance(2);
  while (!atEof()) {
    if (cur() == '*' && peekChar(1) == '/') {
      advance(2);
      return true;
    }
    advance();
  }
  error(r, "unterminated /* comment");
  sawUnterminated_ = true;
  return false;
}

bool Lexer::skipTrivia() {
  bool nl = false;
  while (!atEof()) {
    char c = cur();
    if (c == '\n') {
      nl = true;
      advance();
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      advance();
    } else if (c == '/' && peekChar(1) == '/') {
      while (!atEof() && cur() != '\n')
        advance();
    } else if (c == '/' && peekChar(1) == '*') {
      skipBlockComment();
    } else if (c == '#' && peekChar(1) == '!' && st_.pos == 0) {
      // A shebang line.
      while (!atEof() && cur() != '\n')
        advance();
    } else {
      break;
    }
  }
  return nl;
}

void Lexer::finish(Token &t, const LexState &s) {
  t.start = s;
  t.endPos = st_.pos;
  t.text = text_.substr(s.pos, st_.pos - s.pos);
  if (hasPlace_) {
    t.range = place_;
  } else {
    t.range.begin = at(s.line, s.col);
    t.range.end = locBefore();
    if (t.range.end.line != s.line || st_.pos == s.pos)
      t.range.end = t.range.begin;
  }
}

Token Lexer::next() {
  Token t;
  t.newlineBefore = skipTrivia();
  LexState s = st_;
  if (atEof()) {
    t.kind = Tok::Eof;
    finish(t, s);
    return t;
  }
  char c = cur();
  auto one = [&](Tok k) {
    advance();
    t.kind = k;
  };
  auto two = [&](Tok k) {
    advance(2);
    t.kind = k;
  };
  auto three = [&](Tok k) {
    advance(3);
    t.kind = k;
  };
  char n1 = peekChar(1), n2 = peekChar(2);
  if (isIdentStart(c)) {
    while (isIdentChar(cur()))
      advance();
    t.kind = Tok::Ident;
    finish(t, s);
    t.value = t.text;
    return t;
  }
  if (isDigit(c)) {
    lexNumber(t);
    finish(t, s);
    return t;
  }
  switch (c) {
  case '"':
    lexString(t);
    finish(t, s);
    return t;
  case '$':
    advance();
    if (isIdentStart(cur())) {
      while (isIdentChar(cur()))
        advance();
      t.kind = Tok::Var;
    } else if (isDigit(cur())) {
      uint64_t v = 0;
      while (isDigit(cur())) {
        if (v < 1000000)
          v = v * 10 + (cur() - '0');
        advance();
      }
      t.kind = Tok::Positional;
      t.posIndex = static_cast<int>(v);
      if (v == 0 || v >= 1000000) {
        t.kind = Tok::Error;
        finish(t, s);
        error(t.range, v == 0 ? "'$0' is no positional parameter; they "
                                "start at $1"
                              : "positional parameter '" + t.text +
                                    "' is out of range");
        return t;
      }
    } else if (cur() == '#') {
      advance();
      t.kind = Tok::Positional;
      t.posIndex = -1;
    } else {
      t.kind = Tok::Error;
      finish(t, s);
      error(t.range, "unexpected character '$'");
      return t;
    }
    finish(t, s);
    t.value = t.text;
    return t;
  case '@':
    advance();
    while (isIdentChar(cur()))
      advance();
    t.kind = Tok::Map;
    finish(t, s);
    t.value = t.text;
    return t;
  case '{': one(Tok::LBrace); break;
  case '}': one(Tok::RBrace); break;
  case '(': one(Tok::LParen); break;
  case ')': one(Tok::RParen); break;
  case '[': one(Tok::LBracket); break;
  case ']': one(Tok::RBracket); break;
  case ';': one(Tok::Semi); break;
  case ',': one(Tok::Comma); break;
  case ':': one(Tok::Colon); break;
  case '?': one(Tok::Question); break;
  case '.': one(Tok::Dot); break;
  case '#': one(Tok::Hash); break;
  case '~': one(Tok::Tilde); break;
  case '+':
    if (n1 == '+') two(Tok::PlusPlus);
    else if (n1 == '=') two(Tok::PlusEq);
    else one(Tok::Plus);
    break;
  case '-':
    if (n1 == '-') two(Tok::MinusMinus);
    else if (n1 == '=') two(Tok::MinusEq);
    else if (n1 == '>') two(Tok::Arrow);
    else one(Tok::Minus);
    break;
  case '*':
    if (n1 == '=') two(Tok::StarEq);
    else one(Tok::Star);
    break;
  case '/':
    if (n1 == '=') two(Tok::SlashEq);
    else one(Tok::Slash);
    break;
  case '%':
    if (n1 == '=') two(Tok::PercentEq);
    else one(Tok::Percent);
    break;
  case '&':
    if (n1 == '&') two(Tok::AmpAmp);
    else if (n1 == '=') two(Tok::AmpEq);
    else one(Tok::Amp);
    break;
  case '|':
    if (n1 == '|') two(Tok::PipePipe);
    else if (n1 == '=') two(Tok::PipeEq);
    else one(Tok::Pipe);
    break;
  case '^':
    if (n1 == '=') two(Tok::CaretEq);
    else one(Tok::Caret);
    break;
  case '!':
    if (n1 == '=') two(Tok::NotEq);
    else one(Tok::Bang);
    break;
  case '=':
    if (n1 == '=') two(Tok::EqEq);
    else one(Tok::Assign);
    break;
  case '<':
    if (n1 == '<' && n2 == '=') three(Tok::ShlEq);
    else if (n1 == '<') two(Tok::Shl);
    else if (n1 == '=') two(Tok::Le);
    else one(Tok::Lt);
    break;
  case '>':
    if (n1 == '>' && n2 == '=') three(Tok::ShrEq);
    else if (n1 == '>') two(Tok::Shr);
    else if (n1 == '=') two(Tok::Ge);
    else one(Tok::Gt);
    break;
  case '\'': {
    // bpftrace has no character literals: one error for the whole 'x'.
    size_t e = st_.pos + 1;
    while (e < text_.size() && text_[e] != '\'' && text_[e] != '\n')
      e += text_[e] == '\\' ? 2 : 1;
    bool closed = e < text_.size() && text_[e] == '\'';
    advance(closed ? e - st_.pos + 1 : 1);
    t.kind = Tok::Error;
    finish(t, s);
    error(t.range, closed ? "character literals are not supported; use a "
                            "string in double quotes"
                          : "unexpected character '''");
    return t;
  }
  default: {
    // Consume one whole UTF-8 sequence so the message shows the character.
    unsigned char u = static_cast<unsigned char>(c);
    size_t len = 1;
    if (u >= 0xc0) {
      while (len < 4 && (static_cast<unsigned char>(peekChar(len)) & 0xc0) == 0x80)
        ++len;
    }
    std::string shown = len > 1 ? text_.substr(st_.pos, len) : std::string(1, c);
    advance(len);
    t.kind = Tok::Error;
    finish(t, s);
    t.range.end = t.range.begin;
    error(t.range, "unexpected character '" + shown + "'");
    return t;
  }
  }
  finish(t, s);
  return t;
}

void Lexer::lexNumber(Token &t) {
  LexState s = st_;
  t.kind = Tok::Int;
  const uint64_t maxv = std::numeric_limits<uint64_t>::max();
  bool overflow = false;
  uint64_t v = 0;
  auto accumulate = [&](unsigned base, unsigned d) {
    if (v > (maxv - d) / base)
      overflow = true;
    else
      v = v * base + d;
  };
  auto here = [&]() {
    return SourceRange{at(st_.line, st_.col), at(st_.line, st_.col)};
  };
  bool bad = false;
  // '_' separates digits (1_000); one that ends the digits separates nothing.
  auto trailingSeparator = [&]() {
    if (st_.pos > s.pos && text_[st_.pos - 1] == '_' && !bad) {
      error({at(st_.line, st_.col - 1), at(st_.line, st_.col - 1)},
            "'_' must be followed by a digit in an integer constant");
      bad = true;
    }
  };
  if (cur() == '0' && (peekChar(1) == 'x' || peekChar(1) == 'X')) {
    advance(2);
    if (!isHexDigit(cur())) {
      error(here(), "expected hexadecimal digits after '0x'");
      bad = true;
    }
    while (isHexDigit(cur()) || cur() == '_') {
      if (cur() != '_')
        accumulate(16, hexVal(cur()));
      advance();
    }
  } else if (cur() == '0' && (peekChar(1) == 'b' || peekChar(1) == 'B') &&
             (peekChar(2) == '0' || peekChar(2) == '1')) {
    advance(2);
    while (cur() == '0' || cur() == '1' || cur() == '_') {
      if (cur() != '_')
        accumulate(2, cur() - '0');
      advance();
    }
  } else if (cur() == '0' && (isDigit(peekChar(1)) || peekChar(1) == '_')) {
    advance();
    while (isDigit(cur()) || cur() == '_') {
      if (cur() == '8' || cur() == '9') {
        if (!bad)
          error(here(), std::string("invalid digit '") + cur() +
                            "' in octal constant");
        bad = true;
      } else if (cur() != '_') {
        accumulate(8, cur() - '0');
      }
      advance();
    }
  } else {
    while (isDigit(cur()) || cur() == '_') {
      if (cur() != '_')
        accumulate(10, cur() - '0');
      advance();
    }
    trailingSeparator();
    // Scientific notation: 1e6 (integers only), its coefficient one digit as bpftrace's:
    // 12e4 would read as 12 * 10^4 in one language and be refused in the other.
    if ((cur() == 'e' || cur() == 'E') && isDigit(peekChar(1))) {
      if ((v < 1 || v > 9) && !bad) {
        error({at(s.line, s.col), at(st_.line, st_.col - 1)},
              "the coefficient of a scientific literal must be one digit 1-9, as in 1e6");
        bad = true;
      }
      advance();
      uint64_t e = 0;
      while (isDigit(cur()) || cur() == '_') {
        if (cur() != '_' && e < 1000)
          e = e * 10 + (cur() - '0');
        advance();
      }
      trailingSeparator();
      for (uint64_t i = 0; i < e && !overflow; ++i)
        accumulate(10, 0);
    }
  }
  trailingSeparator();
  // Optional C integer suffixes (u, l, ul, ll, ull); anything else is an error.
  if (isIdentChar(cur())) {
    LexState ss = st_;
    std::string suf;
    while (isIdentChar(cur())) {
      suf += cur();
      advance();
    }
    std::string low;
    for (char ch : suf)
      low += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    static const char *ok[] = {"u", "l", "ul", "lu", "ll", "ull", "llu"};
    bool good = false;
    for (auto *o : ok)
      good |= low == o;
    // Duration suffixes scale to nanoseconds: 100ms, 5s, 1h.
    static const struct {
      const char *name;
      uint64_t mult;
    } units[] = {{"ns", 1},
                 {"us", 1000ull},
                 {"ms", 1000000ull},
                 {"s", 1000000000ull},
                 {"m", 60000000000ull},
                 {"h", 3600000000000ull},
                 {"d", 86400000000000ull}};
    for (const auto &u : units) {
      if (suf == u.name) {
        good = true;
        if (v > maxv / u.mult)
          overflow = true;
        else
          v *= u.mult;
      }
    }
    if (!good && !bad) {
      error({at(ss.line, ss.col), at(ss.line, ss.col + uint32_t(suf.size()) - 1)},
            "invalid suffix '" + suf + "' on integer constant");
      bad = true;
    }
  }
  if (overflow && !bad) {
    error({at(s.line, s.col), at(st_.line, st_.col - 1)},
          "integer constant is too large");
    bad = true;
  }
  t.intValue = v;
  if (bad)
    t.kind = Tok::Error;
}

void Lexer::lexString(Token &t) {
  // At the opening quote.
  LexState s = st_;
  SourceRange quote{at(s.line, s.col), at(s.line, s.col)};
  advance();
  std::string out;
  bool bad = false;
  for (;;) {
    if (atEof() || cur() == '\n') {
      error(quote, "unterminated string literal");
      sawUnterminated_ = true;
      t.kind = Tok::Error;
      return;
    }
    char c = cur();
    if (c == '"') {
      advance();
      break;
    }
    if (c != '\\') {
      out += c;
      advance();
      continue;
    }
    LexState es = st_;
    advance();
    char e = cur();
    switch (e) {
    case 'n': out += '\n'; advance(); break;
    case 't': out += '\t'; advance(); break;
    case 'r': out += '\r'; advance(); break;
    case 'a': out += '\a'; advance(); break;
    case 'b': out += '\b'; advance(); break;
    case 'f': out += '\f'; advance(); break;
    case 'v': out += '\v'; advance(); break;
    case 'e': out += '\x1b'; advance(); break;
    case '\\': out += '\\'; advance(); break;
    case '"': out += '"'; advance(); break;
    case '\'': out += '\''; advance(); break;
    case '?': out += '?'; advance(); break;
    case 'x': {
      advance();
      if (!isHexDigit(cur())) {
        error({at(es.line, es.col), at(st_.line, st_.col - 1)},
              "\\x used with no following hex digits");
        bad = true;
        break;
      }
      int v = 0;
      for (int i = 0; i < 2 && isHexDigit(cur()); ++i) {
        v = v * 16 + hexVal(cur());
        advance();
      }
      out += static_cast<char>(v);
      break;
    }
    default:
      if (e >= '0' && e <= '7') {
        int v = 0;
        for (int i = 0; i < 3 && cur() >= '0' && cur() <= '7'; ++i) {
          v = v * 8 + (cur() - '0');
          advance();
        }
        if (v > 255) {
          error({at(es.line, es.col), at(st_.line, st_.col - 1)},
                "octal escape sequence out of range");
          bad = true;
        }
        out += static_cast<char>(v & 0xff);
        break;
      }
      if (atEof() || e == '\n')
        break; // reported as unterminated on the next iteration
      error({at(es.line, es.col), at(es.line, es.col + 1)},
            std::string("invalid escape sequence '\\") + std::string(1, e) + "'");
      bad = true;
      advance();
      break;
    }
  }
  t.kind = bad ? Tok::Error : Tok::String;
  t.value = std::move(out);
}

} // namespace bt::parse
