// Attach points: "provider:part:part", lists of them separated by ',',
// wildcards ('*', '?') and brace alternatives ("vfs_{read,write}").
//
// An attach point is no sequence of tokens ("uprobe:/bin/bash:readline",
// "kprobe:vfs_*"), so the lexer scans it raw; the parser then asks for the
// ',' between two. Sema gives the parts their meaning per provider and
// expands wildcards; probe shorthands and new providers that need new
// spelling belong here.
#include "Parser.h"

#include <algorithm>
#include <cctype>

namespace bt::parse {

bool Parser::parseAttachPoints(ast::Probe &probe) {
  bool named = false;
  for (;;) {
    ast::AttachPoint ap;
    if (!lex_.scanAttachPoint(ap)) {
      checkErrorCap(ap.range);
      return false;
    }
    lex_.skipTrivia();
    // Upstream's `name=probe`: a name before the first attach point, reserved there for
    // future use, so read and set aside.
    if (!named && probe.attachPoints.empty() && ap.parts.empty() && lex_.peekChar() == '=') {
      named = true;
      tokens_.next();
      lex_.skipTrivia();
      continue;
    }
    probe.attachPoints.push_back(std::move(ap));
    if (lex_.peekChar() == ',') {
      tokens_.next();
      lex_.skipTrivia();
      continue;
    }
    return true;
  }
}

// Characters that may appear in an attach point outside quotes ('[' and ']' a glob's
// character class: kprobe:[Ss]y[Ss]_read).
static bool isAttachChar(char c) {
  return isIdentChar(c) || c == '-' || c == '.' || c == '*' || c == '?' ||
         c == '+' || c == '$' || c == '@' || c == '[' || c == ']';
}

// A relative file path without "./" ("uprobe:testprogs/prog:fn", as bpftrace takes it):
// the file segment of a probe kind that names a file, whose '/' at `slash` is followed
// by more path and then the ':' before the function, not by a predicate.
bool Lexer::relativeFilePath(const std::string &kind, size_t segment, size_t slash) const {
  static const char *const fileKinds[] = {"uprobe", "uretprobe", "u", "ur", "usdt", "U"};
  if (segment != 2 || std::find(std::begin(fileKinds), std::end(fileKinds), kind) ==
                          std::end(fileKinds))
    return false;
  size_t p = slash + 1;
  while (p < text_.size() && (isAttachChar(text_[p]) || text_[p] == '/'))
    ++p;
  return p > slash + 1 && p < text_.size() && text_[p] == ':';
}

bool Lexer::scanAttachPoint(ast::AttachPoint &out) {
  LexState s = st_;
  // `$1` alone is the whole attach point its argument spells ("k:fput"), as upstream.
  bool positionalFirst = cur() == '$' && isDigit(peekChar(1));
  // A pattern in the probe type ("*ware:*") is read here and expanded by Sema.
  if (!isIdentStart(cur()) && !positionalFirst && cur() != '*') {
    SourceRange r{loc(), loc()};
    if (atEof())
      error(r, "expected attach point");
    else if (static_cast<unsigned char>(cur()) < 0x20 ||
             static_cast<unsigned char>(cur()) >= 0x7f)
      error(r, "unexpected character '" + std::string(1, cur()) + "'");
    else
      error(r, std::string("expected attach point, found '") + cur() + "'");
    return false;
  }
  std::vector<std::string> segs(1);
  SourceLoc last = loc();
  std::string written; // the text up to `copied`, with each `$N` replaced
  size_t copied = s.pos;
  while (!atEof()) {
    char c = cur();
    std::string &seg = segs.back();
    if (c == ':') {
      // A C++ scope '::' inside an unquoted symbol stays part of the segment
      // only when quoted; here each ':' separates.
      segs.emplace_back();
      last = loc();
      advance();
      continue;
    }
    if (c == '"') {
      SourceRange q{loc(), loc()};
      advance();
      while (!atEof() && cur() != '"' && cur() != '\n') {
        if (cur() == '\\' && (peekChar(1) == '"' || peekChar(1) == '\\'))
          advance();
        seg += cur();
        advance();
      }
      if (cur() != '"') {
        error(q, "unterminated string literal");
        return false;
      }
      last = loc();
      advance();
      continue;
    }
    if (c == '/') {
      // Part of a path segment ("uprobe:/bin/bash:readline"); otherwise the
      // start of a predicate. Inside a path "/*" is a wildcard, as bpftrace reads
      // "uprobe:/usr/lib/*/libc.so.6:malloc", not a comment.
      bool pathy = segs.size() > 1 &&
                   (seg.empty() || seg[0] == '/' || seg[0] == '.' ||
                    seg.find('/') != std::string::npos ||
                    relativeFilePath(segs.front(), segs.size(), st_.pos));
      if (!pathy || peekChar(1) == '/' || (peekChar(1) == '*' && seg.empty()))
        break;
      seg += c;
      last = loc();
      advance();
      continue;
    }
    if (c == '{') {
      // Brace alternatives "vfs_{read,write}", which nest ("{a,{b,c}}"): a ',' inside,
      // no spaces.
      size_t p = st_.pos + 1;
      unsigned depth = 1;
      bool comma = false, ok = false;
      while (p < text_.size()) {
        char d = text_[p];
        if (d == '}' && --depth == 0) {
          ok = comma;
          break;
        }
        if (d == '{')
          ++depth;
        else if (d == ',')
          comma = true;
        else if (d != '}' && !isAttachChar(d))
          break;
        ++p;
      }
      // A list that opens and never closes ("vfs_{read{x,y}") before the attach point
      // ends at a space: names, ',' and braces, as no block starts.
      bool namesOnly = std::all_of(text_.begin() + st_.pos, text_.begin() + p, [](char d) {
        return isIdentChar(d) || d == ',' || d == '{' || d == '}' || d == '*' || d == '?' ||
               d == '-' || d == '.';
      });
      bool endsAtSpace = p >= text_.size() || std::isspace(static_cast<unsigned char>(text_[p]));
      if (!ok && comma && depth > 0 && namesOnly && endsAtSpace && segs.size() >= 2) {
        SourceRange r{loc(), loc()};
        error(r, "'{' in attach point '" + text_.substr(s.pos, p - s.pos) +
                     "' has no matching '}' (brace alternatives: kprobe:vfs_{read,write})");
        return false;
      }
      if (!ok || segs.size() < 2)
        break;
      while (st_.pos <= p) {
        seg += cur();
        last = loc();
        advance();
      }
      continue;
    }
    if (c == '$' && !isDigit(peekChar(1))) {
      // bpftrace refuses it too: an unquoted '$' starts a positional parameter.
      SourceRange r{loc(), loc()};
      error(r, "'$' in an attach point must start a positional parameter ($1); quote the "
               "part for a '$' itself");
      return false;
    }
    if (c == '$') {
      size_t from = st_.pos;
      auto arg = scanAttachPositional(last);
      if (!arg)
        return false;
      // The argument reads as if written here, unquoted: its ':' separates parts.
      for (char a : *arg)
        if (a == ':')
          segs.emplace_back();
        else
          segs.back() += a;
      written += text_.substr(copied, from - copied) + *arg;
      copied = st_.pos;
      continue;
    }
    // '#' inside a path is the file's name ("uprobe:/with#hash:fn"), as bpftrace reads it.
    bool pathHash = c == '#' && segs.size() > 1 && seg.find('/') != std::string::npos;
    if (!isAttachChar(c) && !pathHash)
      break;
    seg += c;
    last = loc();
    advance();
  }
  out.text = written + text_.substr(copied, st_.pos - copied);
  out.range = {at(s.line, s.col), last};
  out.provider = segs[0];
  out.parts.assign(segs.begin() + 1, segs.end());
  return true;
}

// `$N` at the current position, outside quotes: btc's Nth argument (empty when btc was
// given fewer, as bpftrace reads a missing one). Without btc's arguments it is an error:
// btrun's come after the object, too late to choose what it attaches to.
std::optional<std::string> Lexer::scanAttachPositional(SourceLoc &last) {
  SourceLoc begin = loc();
  size_t from = st_.pos;
  advance(); // '$'
  uint64_t v = 0;
  while (isDigit(cur())) {
    if (v < 1000000)
      v = v * 10 + (cur() - '0');
    last = loc();
    advance();
  }
  SourceRange r{begin, last};
  std::string name = text_.substr(from, st_.pos - from);
  if (v == 0 || v >= 1000000) {
    error(r, v == 0 ? "'$0' is no positional parameter; they start at $1"
                    : "positional parameter '" + name + "' is out of range");
    return std::nullopt;
  }
  // Text after the number is appended to the argument ("sys_enter_$1_x", "/$1/bash"),
  // as upstream bpftrace reads it (0.17 refused it).
  if (!positionalArgs_) {
    error(r, name + " in an attach point is chosen when btc compiles: give the arguments to "
                    "btc after the script (btc SCRIPT ARG...), or quote it (\"" + name +
                 "\") for the text itself");
    return std::nullopt;
  }
  if (readArgs_)
    *readArgs_ = true;
  return static_cast<size_t>(v) <= positionalArgs_->size() ? (*positionalArgs_)[v - 1]
                                                          : std::string();
}

} // namespace bt::parse
