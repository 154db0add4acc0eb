// A hand-written recursive-descent parser for the bpftrace language.
//
// Errors are reported to the DiagnosticEngine and signalled by returning
// null; statement-level callers then resynchronise at the next ';' or the end
// of the enclosing block, and the top level at the next probe. No exceptions
// are used so that the library builds with -fno-exceptions too.
#include "bt/Parse/Parser.h"

#include "bt/Basic/Builtins.h"

#include "Lexer.h"

#include <cstring>
#include <deque>
#include <set>
#include <unordered_set>

namespace bt {
namespace {

using namespace ast;
using namespace parse;

constexpr int kMaxDepth = 256;
constexpr unsigned kMaxErrors = 20;
constexpr int kMaxHeight = 4096;

// Builtins come from the table (include/bt/Basic/Builtins.def).
bool isBuiltinName(const std::string &n) { return isBuiltinSpelling(n); }

// Type names that always start a cast: "(uint32)x".
bool isBuiltinTypeName(const std::string &n) {
  static const std::unordered_set<std::string> s = {
      "bool",    "int8",    "int16",   "int32",    "int64",    "uint8",
      "uint16",  "uint32",  "uint64",  "char",     "short",    "int",
      "long",    "void",    "float",   "double",   "_Bool",    "size_t",
      "ssize_t", "u8",      "u16",     "u32",      "u64",      "s8",
      "s16",     "s32",     "s64",     "__u8",     "__u16",    "__u32",
      "__u64",   "__s8",    "__s16",   "__s32",    "__s64",    "int8_t",
      "int16_t", "int32_t", "int64_t", "uint8_t",  "uint16_t", "uint32_t",
      "uint64_t", "uintptr_t", "intptr_t", "pid_t", "uid_t",   "gid_t",
      "unsigned", "signed", "struct",  "union",    "enum",     "const",
      "volatile"};
  return s.count(n) > 0;
}

bool isKeyword(const std::string &n) {
  static const std::unordered_set<std::string> s = {
      "if",     "else",  "unroll", "while",    "for",      "return",
      "break",  "continue", "let", "sizeof",   "offsetof", "struct",
      "union",  "enum"};
  return s.count(n) > 0;
}

int binaryPrec(Tok k) {
  switch (k) {
  case Tok::PipePipe: return 1;
  case Tok::AmpAmp: return 2;
  case Tok::Pipe: return 3;
  case Tok::Caret: return 4;
  case Tok::Amp: return 5;
  case Tok::EqEq: case Tok::NotEq: return 6;
  case Tok::Lt: case Tok::Le: case Tok::Gt: case Tok::Ge: return 7;
  case Tok::Shl: case Tok::Shr: return 8;
  case Tok::Plus: case Tok::Minus: return 9;
  case Tok::Star: case Tok::Slash: case Tok::Percent: return 10;
  default: return 0;
  }
}

BinaryOp binaryOpOf(Tok k) {
  switch (k) {
  case Tok::PipePipe: return BinaryOp::LogicalOr;
  case Tok::AmpAmp: return BinaryOp::LogicalAnd;
  case Tok::Pipe: case Tok::PipeEq: return BinaryOp::BitOr;
  case Tok::Caret: case Tok::CaretEq: return BinaryOp::BitXor;
  case Tok::Amp: case Tok::AmpEq: return BinaryOp::BitAnd;
  case Tok::EqEq: return BinaryOp::Eq;
  case Tok::NotEq: return BinaryOp::Ne;
  case Tok::Lt: return BinaryOp::Lt;
  case Tok::Le: return BinaryOp::Le;
  case Tok::Gt: return BinaryOp::Gt;
  case Tok::Ge: return BinaryOp::Ge;
  case Tok::Shl: case Tok::ShlEq: return BinaryOp::Shl;
  case Tok::Shr: case Tok::ShrEq: return BinaryOp::Shr;
  case Tok::Plus: case Tok::PlusEq: return BinaryOp::Add;
  case Tok::Minus: case Tok::MinusEq: return BinaryOp::Sub;
  case Tok::Star: case Tok::StarEq: return BinaryOp::Mul;
  case Tok::Slash: case Tok::SlashEq: return BinaryOp::Div;
  case Tok::Percent: case Tok::PercentEq: return BinaryOp::Mod;
  default: return BinaryOp::Add;
  }
}

bool isCompoundAssign(Tok k) {
  switch (k) {
  case Tok::PlusEq: case Tok::MinusEq: case Tok::StarEq: case Tok::SlashEq:
  case Tok::PercentEq: case Tok::AmpEq: case Tok::PipeEq: case Tok::CaretEq:
  case Tok::ShlEq: case Tok::ShrEq:
    return true;
  default:
    return false;
  }
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

template <class T, class... A> std::unique_ptr<T> make(A &&...a) {
  return std::make_unique<T>(std::forward<A>(a)...);
}

class Parser {
public:
  Parser(const SourceFile &f, DiagnosticEngine &d)
      : file_(f), diags_(d), ctx_(std::make_shared<LexContext>()),
        lex_(f.text(), d, ctx_) {
    eof_.kind = Tok::Eof;
    ctx_->errorLimit = kMaxErrors;
  }

  std::optional<Program> run();

private:
  // ------------------------------------------------------------ tokens
  const Token &peek(size_t n = 0) {
    if (abort_)
      return eof_;
    while (la_.size() <= n) {
      la_.push_back(lex_.next());
      checkErrorCap(la_.back().range);
      if (la_.back().kind == Tok::Eof)
        break;
    }
    return n < la_.size() ? la_[n] : la_.back();
  }
  Token take() {
    peek();
    if (abort_ || la_.empty())
      return eof_;
    Token t = std::move(la_.front());
    la_.pop_front();
    prev_ = t.range;
    return t;
  }
  bool at(Tok k, size_t n = 0) { return peek(n).kind == k; }
  bool atWord(const char *w, size_t n = 0) {
    const Token &t = peek(n);
    return t.kind == Tok::Ident && t.text == w;
  }
  bool accept(Tok k) {
    if (!at(k))
      return false;
    take();
    return true;
  }
  // Resume raw scanning at the first token not yet consumed.
  void rewind() {
    if (!la_.empty()) {
      lex_.reset(la_.front().start);
      la_.clear();
    }
  }

  // ------------------------------------------------------------ errors
  // Stops parsing once the lexer or the parser hit the error cap.
  void checkErrorCap(SourceRange) {
    if (ctx_->errorLimitHit)
      abort_ = true;
  }
  void err(SourceRange r, std::string msg) {
    if (abort_)
      return;
    reportError(diags_, *ctx_, r, std::move(msg));
    checkErrorCap(r);
  }
  // An error about token `t`; silent when the lexer already reported it.
  void errAt(const Token &t, std::string msg) {
    if (t.kind == Tok::Error)
      return;
    if (t.kind == Tok::Eof) {
      if (eofReported_)
        return;
      eofReported_ = true;
    }
    err(t.range, std::move(msg));
  }
  void note(SourceRange r, std::string msg) {
    if (!abort_ && !ctx_->errorLimitHit)
      diags_.note(r, std::move(msg));
  }
  // Just after the previous token, where a missing ';' belongs.
  SourceRange afterPrev() const {
    SourceLoc l{prev_.end.line, prev_.end.col + 1};
    return {l, l};
  }
  // Expects the closer of `open` (a '(' / '[' token).
  bool expectClose(Tok close, const Token &open) {
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
  bool expect(Tok k, const char *what) {
    if (accept(k))
      return true;
    errAt(peek(), std::string("expected '") + tokSpelling(k) + "' " + what);
    return false;
  }

  // Bounds recursion (and so the height of the tree that later phases walk
  // recursively): `depth_` counts brackets, blocks and prefix operators,
  // `height_` additionally counts the links of operator and postfix chains.
  bool tooDeep(SourceRange r) {
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
  struct DepthGuard {
    Parser &p;
    bool ok;
    bool nests; // counts toward depth_ (else only toward height_)
    DepthGuard(Parser &p, SourceRange r, bool nests = true)
        : p(p), nests(nests) {
      p.depth_ += nests;
      ++p.height_;
      ok = !p.tooDeep(r);
    }
    ~DepthGuard() {
      p.depth_ -= nests;
      --p.height_;
    }
  };
  // One more link in an operator chain; undone when the chain is built.
  struct ChainGuard {
    Parser &p;
    int links = 0;
    explicit ChainGuard(Parser &p) : p(p) {}
    bool link(SourceRange r) {
      ++links;
      ++p.height_;
      return !p.tooDeep(r);
    }
    ~ChainGuard() { p.height_ -= links; }
  };

  // ------------------------------------------------------------ top level
  void parsePreproc(Program &prog);
  void parseCDefinition(Program &prog);
  void parseConfig(Program &prog);
  void parseProbe(Program &prog);
  void parseSubprog(Program &prog);
  void skipProbe();

  // ------------------------------------------------------------ statements
  bool parseBlock(StmtList &out, SourceLoc &end);
  void syncStatement();
  StmtPtr parseStatement();
  StmtPtr parseSimpleStatement();
  std::unique_ptr<IfStmt> parseIf(bool elseIf = false);
  StmtPtr parseLoop();
  StmtPtr parseFor();
  StmtPtr parseLet();

  // ------------------------------------------------------------ expressions
  ExprPtr parseExpr() { return parseTernary(); }
  ExprPtr parseTernary();
  ExprPtr parseBinary(int minPrec);
  ExprPtr parseUnary();
  ExprPtr parsePostfix();
  ExprPtr parsePrimary();
  ExprPtr parseMap();
  ExprPtr parseSizeof();
  ExprPtr parseOffsetof();
  ExprPtr parseParenOrTuple();
  ExprPtr makeIncDec(ExprPtr target, bool inc, bool prefix, SourceRange r,
                     const Token &op);
  bool parseExprList(std::vector<ExprPtr> &out, Tok close);

  // Types.
  bool scanType(size_t i, TypeName &out, size_t &next, bool &decorated);
  bool parseType(TypeName &out, const char *context);
  bool castAhead();
  bool typeAheadInSizeof();

  const SourceFile &file_;
  DiagnosticEngine &diags_;
  std::shared_ptr<LexContext> ctx_;
  Lexer lex_;
  std::deque<Token> la_;
  Token eof_;
  SourceRange prev_;
  std::set<std::string> typedefs_;
  int depth_ = 0;
  int height_ = 0;
  bool abort_ = false;
  bool eofReported_ = false;
  bool inPredicate_ = false;
};

// ===================================================================== top

std::optional<Program> Parser::run() {
  Program prog;
  unsigned startErrors = diags_.errorCount();
  while (!abort_) {
    rewind();
    lex_.skipTrivia();
    checkErrorCap({});
    if (abort_)
      break;
    if (lex_.atEof())
      break;
    char c = lex_.peekChar();
    if (c == '#') {
      parsePreproc(prog);
      continue;
    }
    size_t wlen = 0;
    std::string w = lex_.peekWord(&wlen);
    if (w == "struct" || w == "union" || w == "enum" || w == "typedef") {
      parseCDefinition(prog);
      continue;
    }
    if (w == "fn") {
      // "fn name(" starts a function; anything else is an attach point.
      const std::string &t = lex_.text();
      size_t p = lex_.state().pos + wlen;
      while (p < t.size() && (t[p] == ' ' || t[p] == '\t'))
        ++p;
      if (p < t.size() && (isIdentStart(t[p]) || t[p] == '(')) {
        parseSubprog(prog);
        continue;
      }
    }
    if (w == "config") {
      const std::string &t = lex_.text();
      size_t p = lex_.state().pos + wlen;
      while (p < t.size() && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' ||
                              t[p] == '\r'))
        ++p;
      if (p < t.size() && t[p] == '=' && (p + 1 >= t.size() || t[p + 1] != '=')) {
        parseConfig(prog);
        continue;
      }
    }
    if (c == '}' || c == ';' || c == ')' || c == ']') {
      Token t = take();
      err(t.range, std::string("unexpected '") + c + "' at top level");
      continue;
    }
    if (c == '{') {
      Token t = peek();
      err(t.range, "expected attach point before '{'");
      skipProbe();
      continue;
    }
    parseProbe(prog);
  }
  if (diags_.errorCount() > startErrors)
    return std::nullopt;
  return prog;
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
      ctx_->bodies.erase(name);
    } else if (p >= text.size() || text[p] != '(') {
      // An object-like macro: expanded wherever the identifier is used.
      std::string body = text.substr(p);
      // Join continuation lines.
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
      ctx_->bodies[name] = joined;
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

void Parser::parseConfig(Program &prog) {
  Token kw = take(); // config
  Preamble pre;
  pre.kind = Preamble::Config;
  take(); // '='
  Token lb = peek();
  if (!expect(Tok::LBrace, "after 'config ='")) {
    skipProbe();
    return;
  }
  bool ok = true;
  while (ok && !abort_) {
    if (at(Tok::RBrace))
      break;
    if (at(Tok::Eof)) {
      expectClose(Tok::RBrace, lb);
      return;
    }
    if (accept(Tok::Semi))
      continue;
    const Token &k = peek();
    if (k.kind != Tok::Ident) {
      errAt(k, "expected configuration option name, found " + quoteTok(k));
      ok = false;
      break;
    }
    Token key = take();
    if (!expect(Tok::Assign, "after configuration option name")) {
      ok = false;
      break;
    }
    const Token &v = peek();
    ConfigEntry e;
    e.key = key.text;
    if (v.kind == Tok::Int || v.kind == Tok::Ident) {
      e.value = v.text;
    } else if (v.kind == Tok::String) {
      e.value = v.value;
      e.isString = true;
    } else {
      errAt(v, "expected a value for configuration option '" + key.text + "'");
      ok = false;
      break;
    }
    Token vt = take();
    e.range = span(key.range, vt.range);
    pre.config.push_back(std::move(e));
    if (!at(Tok::RBrace) && !accept(Tok::Semi)) {
      errAt(peek(), "expected ';' after configuration option");
      ok = false;
    }
  }
  if (!ok) {
    // Skip to the closing brace.
    while (!at(Tok::Eof) && !at(Tok::RBrace))
      take();
  }
  Token rb = take();
  pre.range = span(kw.range, rb.range);
  pre.text = lex_.text().substr(kw.start.pos, rb.endPos - kw.start.pos);
  if (ok)
    prog.preamble.push_back(std::move(pre));
}

// Skips the rest of a broken probe: up to and including its body, or up to
// a line that looks like the start of the next probe ("name:" / "name {").
void Parser::skipProbe() {
  int depth = 0;
  bool first = true;
  while (!abort_) {
    const Token &t = peek();
    if (t.kind == Tok::Eof)
      return;
    if (depth == 0 && !first && t.newlineBefore && t.kind == Tok::Ident) {
      Tok n = peek(1).kind;
      if (n == Tok::Colon || n == Tok::LBrace || n == Tok::Comma)
        return;
    }
    first = false;
    Tok k = peek().kind;
    take();
    if (k == Tok::LBrace)
      ++depth;
    else if (k == Tok::RBrace && --depth <= 0)
      return;
  }
}

void Parser::parseProbe(Program &prog) {
  Probe probe;
  for (;;) {
    AttachPoint ap;
    if (!lex_.scanAttachPoint(ap)) {
      checkErrorCap(ap.range);
      skipProbe();
      return;
    }
    probe.attachPoints.push_back(std::move(ap));
    lex_.skipTrivia();
    if (lex_.peekChar() == ',') {
      lex_.next();
      lex_.skipTrivia();
      continue;
    }
    break;
  }
  probe.range.begin = probe.attachPoints.front().range.begin;
  if (at(Tok::Slash)) {
    Token slash = take();
    inPredicate_ = true;
    probe.predicate = parseExpr();
    inPredicate_ = false;
    if (!probe.predicate) {
      skipProbe();
      return;
    }
    if (!accept(Tok::Slash)) {
      const Token &t = peek();
      errAt(t, "expected '/' to end the predicate, found " + quoteTok(t));
      note(slash.range, "predicate starts here");
      skipProbe();
      return;
    }
  }
  if (!at(Tok::LBrace)) {
    const Token &t = peek();
    if (t.kind == Tok::Colon || t.kind == Tok::Comma)
      errAt(t, "unexpected " + quoteTok(t) + " after attach point");
    else
      errAt(t, "expected '{' to begin probe body, found " + quoteTok(t));
    skipProbe();
    return;
  }
  Token lb = take();
  SourceLoc end;
  if (!parseBlock(probe.body, end))
    return; // the error is reported; the block ran to end of file
  (void)lb;
  probe.range.end = end;
  prog.probes.push_back(std::move(probe));
}

void Parser::parseSubprog(Program &prog) {
  Token kw = take(); // fn
  Subprog fn;
  const Token &n = peek();
  if (n.kind != Tok::Ident) {
    errAt(n, "expected a function name after 'fn'");
    skipProbe();
    return;
  }
  Token name = take();
  fn.name = name.text;
  fn.nameRange = name.range;
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after the function name");
    skipProbe();
    return;
  }
  Token lp = take();
  bool ok = true;
  if (!at(Tok::RParen)) {
    for (;;) {
      if (!at(Tok::Var)) {
        errAt(peek(), "expected a parameter ($name: type), found " +
                          quoteTok(peek()));
        ok = false;
        break;
      }
      Token v = take();
      SubprogParam prm;
      prm.var = make<VariableRef>(v.range);
      prm.var->name = v.text;
      if (!expect(Tok::Colon, "after the parameter name") ||
          !parseType(prm.type, "for the parameter")) {
        ok = false;
        break;
      }
      prm.range = span(v.range, prm.type.range);
      fn.params.push_back(std::move(prm));
      if (!accept(Tok::Comma))
        break;
    }
  }
  if (!ok || !expectClose(Tok::RParen, lp)) {
    skipProbe();
    return;
  }
  if (accept(Tok::Colon)) {
    if (!parseType(fn.returnType, "for the return type")) {
      skipProbe();
      return;
    }
  } else {
    fn.returnType.name = "void";
    fn.returnType.range = prev_;
  }
  if (!at(Tok::LBrace)) {
    errAt(peek(), "expected '{' to begin the function body, found " +
                      quoteTok(peek()));
    skipProbe();
    return;
  }
  take();
  SourceLoc end;
  if (!parseBlock(fn.body, end))
    return;
  fn.range = {kw.range.begin, end};
  prog.functions.push_back(std::move(fn));
}

// ============================================================== statements

// After '{': statements up to the matching '}'.
bool Parser::parseBlock(StmtList &out, SourceLoc &end) {
  // The '{' was the previous token.
  Token lb;
  lb.kind = Tok::LBrace;
  lb.range = prev_;
  DepthGuard g(*this, prev_);
  if (!g.ok)
    return false;
  for (;;) {
    const Token &t = peek();
    if (t.kind == Tok::RBrace) {
      end = t.range.end;
      take();
      return true;
    }
    if (t.kind == Tok::Eof) {
      // After an unterminated string the missing '}' is no news.
      if (!eofReported_ && !abort_ && !lex_.sawUnterminated()) {
        eofReported_ = true;
        err(lb.range, "unmatched '{'");
      }
      return false;
    }
    if (t.kind == Tok::Semi) {
      take();
      continue;
    }
    StmtPtr s = parseStatement();
    if (s)
      out.push_back(std::move(s));
    else
      syncStatement();
  }
}

// Skips to just after the next ';' at this level, just after a balanced
// '{...}' that ends a statement, or to the '}' that closes this block.
void Parser::syncStatement() {
  int depth = 0;
  while (!abort_) {
    const Token &t = peek();
    switch (t.kind) {
    case Tok::Eof:
      return;
    case Tok::Semi:
      take();
      if (depth == 0)
        return;
      break;
    case Tok::LBrace: case Tok::LParen: case Tok::LBracket:
      ++depth;
      take();
      break;
    case Tok::RBrace:
      if (depth == 0)
        return;
      take();
      if (--depth == 0)
        return;
      break;
    case Tok::RParen: case Tok::RBracket:
      take();
      if (depth > 0)
        --depth;
      break;
    default:
      take();
      break;
    }
  }
}

StmtPtr Parser::parseStatement() {
  const Token &t = peek();
  if (t.kind == Tok::Ident) {
    const std::string &w = t.text;
    if (w == "if")
      return parseIf();
    if (w == "while" || w == "unroll")
      return parseLoop();
    if (w == "for")
      return parseFor();
    if (w == "else") {
      errAt(t, "'else' without a preceding 'if'");
      return nullptr;
    }
  }
  if (t.kind == Tok::LBrace) {
    Token lb = take();
    auto b = make<BlockStmt>(lb.range);
    SourceLoc end;
    if (!parseBlock(b->body, end))
      return nullptr;
    b->range.end = end;
    return b;
  }
  StmtPtr s = parseSimpleStatement();
  if (!s)
    return nullptr;
  if (accept(Tok::Semi) || at(Tok::RBrace))
    return s;
  const Token &n = peek();
  if (n.kind == Tok::Error)
    return nullptr;
  err(afterPrev(), "expected ';' after statement");
  // A token on a new line most likely starts the next statement.
  if (!n.newlineBefore)
    syncStatement();
  return s;
}

StmtPtr Parser::parseSimpleStatement() {
  const Token &t = peek();
  if (t.kind == Tok::Ident) {
    if (t.text == "return") {
      Token kw = take();
      auto j = std::make_unique<JumpStmt>(kw.range, JumpKind::Return);
      if (!at(Tok::Semi) && !at(Tok::RBrace)) {
        j->value = parseExpr();
        if (!j->value)
          return nullptr;
        j->range.end = j->value->range.end;
      }
      return j;
    }
    if (t.text == "break" || t.text == "continue") {
      Token kw = take();
      return std::make_unique<JumpStmt>(
          kw.range, kw.text == "break" ? JumpKind::Break : JumpKind::Continue);
    }
    if (t.text == "let")
      return parseLet();
  }
  ExprPtr lhs = parseExpr();
  if (!lhs)
    return nullptr;
  Tok k = peek().kind;
  if (k != Tok::Assign && !isCompoundAssign(k)) {
    auto s = make<ExprStmt>(lhs->range);
    s->expr = std::move(lhs);
    return s;
  }
  Token op = take();
  bool compound = op.kind != Tok::Assign;
  if (lhs->kind != ExprKind::Variable && lhs->kind != ExprKind::Map) {
    err(lhs->range, std::string("expression is not assignable; '") +
                        tokSpelling(op.kind) +
                        "' needs a variable or a map on its left");
    return nullptr;
  }
  ExprPtr value = parseExpr();
  if (!value)
    return nullptr;
  SourceRange r = span(lhs->range, value->range);
  if (lhs->kind == ExprKind::Variable) {
    auto s = make<AssignVarStmt>(r);
    s->var.reset(static_cast<VariableRef *>(lhs.release()));
    s->compound = compound;
    s->op = binaryOpOf(op.kind);
    s->value = std::move(value);
    return s;
  }
  auto s = make<AssignMapStmt>(r);
  s->map.reset(static_cast<MapRef *>(lhs.release()));
  s->compound = compound;
  s->op = binaryOpOf(op.kind);
  s->value = std::move(value);
  return s;
}

std::unique_ptr<IfStmt> Parser::parseIf(bool elseIf) {
  Token kw = take(); // if
  // A long else-if chain is a sequence, not nesting: bound it by height.
  DepthGuard g(*this, kw.range, !elseIf);
  if (!g.ok)
    return nullptr;
  auto s = make<IfStmt>(kw.range);
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after 'if'");
    return nullptr;
  }
  Token lp = take();
  s->cond = parseExpr();
  if (!s->cond || !expectClose(Tok::RParen, lp))
    return nullptr;
  if (!expect(Tok::LBrace, "after if condition"))
    return nullptr;
  SourceLoc end;
  if (!parseBlock(s->thenBody, end))
    return nullptr;
  s->range.end = end;
  if (atWord("else")) {
    take();
    s->hasElse = true;
    if (atWord("if")) {
      auto nested = parseIf(true);
      if (!nested)
        return nullptr;
      s->range.end = nested->range.end;
      s->elseBody.push_back(std::move(nested));
    } else {
      if (!at(Tok::LBrace)) {
        errAt(peek(), "expected '{' or 'if' after 'else'");
        return nullptr;
      }
      take();
      if (!parseBlock(s->elseBody, end))
        return nullptr;
      s->range.end = end;
    }
  }
  return s;
}

StmtPtr Parser::parseLoop() {
  Token kw = take(); // while / unroll
  bool isWhile = kw.text == "while";
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after '" + kw.text + "'");
    return nullptr;
  }
  Token lp = take();
  ExprPtr e = parseExpr();
  if (!e || !expectClose(Tok::RParen, lp))
    return nullptr;
  if (!expect(Tok::LBrace, isWhile ? "after while condition"
                                   : "after unroll count"))
    return nullptr;
  StmtList body;
  SourceLoc end;
  if (!parseBlock(body, end))
    return nullptr;
  SourceRange r{kw.range.begin, end};
  if (isWhile) {
    auto s = make<WhileStmt>(r);
    s->cond = std::move(e);
    s->body = std::move(body);
    return s;
  }
  auto s = make<UnrollStmt>(r);
  s->count = std::move(e);
  s->body = std::move(body);
  return s;
}

StmtPtr Parser::parseFor() {
  Token kw = take(); // for
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after 'for'");
    return nullptr;
  }
  Token lp = take();
  if (!at(Tok::Var)) {
    errAt(peek(), "expected a variable after 'for ('");
    return nullptr;
  }
  Token v = take();
  auto s = make<ForStmt>(kw.range);
  s->var = make<VariableRef>(v.range);
  s->var->name = v.text;
  if (!expect(Tok::Colon, "after the loop variable"))
    return nullptr;
  s->iterable = parseExpr();
  if (!s->iterable || !expectClose(Tok::RParen, lp))
    return nullptr;
  if (!expect(Tok::LBrace, "after for loop header"))
    return nullptr;
  SourceLoc end;
  if (!parseBlock(s->body, end))
    return nullptr;
  s->range.end = end;
  return s;
}

StmtPtr Parser::parseLet() {
  Token kw = take(); // let
  if (!at(Tok::Var)) {
    errAt(peek(), "expected a variable name after 'let'");
    return nullptr;
  }
  Token v = take();
  auto s = make<VarDeclStmt>(span(kw.range, v.range));
  s->var = make<VariableRef>(v.range);
  s->var->name = v.text;
  if (accept(Tok::Colon)) {
    if (!parseType(s->type, "after ':'"))
      return nullptr;
    s->hasType = true;
    s->range.end = s->type.range.end;
  }
  if (at(Tok::Assign)) {
    take();
    s->value = parseExpr();
    if (!s->value)
      return nullptr;
    s->range.end = s->value->range.end;
  } else if (isCompoundAssign(peek().kind)) {
    errAt(peek(), "a declaration takes '=', not '" +
                      std::string(tokSpelling(peek().kind)) + "'");
    return nullptr;
  }
  return s;
}

// ============================================================= expressions

ExprPtr Parser::parseTernary() {
  ExprPtr c = parseBinary(1);
  if (!c || !at(Tok::Question))
    return c;
  Token q = take();
  DepthGuard g(*this, q.range);
  if (!g.ok)
    return nullptr;
  ExprPtr a = parseTernary();
  if (!a)
    return nullptr;
  if (!accept(Tok::Colon)) {
    const Token &t = peek();
    errAt(t, "expected ':' in conditional expression, found " + quoteTok(t));
    note(q.range, "to match this '?'");
    return nullptr;
  }
  ExprPtr b = parseTernary();
  if (!b)
    return nullptr;
  auto t = make<TernaryExpr>(span(c->range, b->range));
  t->cond = std::move(c);
  t->thenExpr = std::move(a);
  t->elseExpr = std::move(b);
  return t;
}

ExprPtr Parser::parseBinary(int minPrec) {
  ExprPtr lhs = parseUnary();
  if (!lhs)
    return nullptr;
  ChainGuard chain(*this);
  for (;;) {
    const Token &t = peek();
    int prec = binaryPrec(t.kind);
    if (prec == 0 || prec < minPrec)
      return lhs;
    // In a predicate, a '/' followed by '{' ends it.
    if (inPredicate_ && t.kind == Tok::Slash && peek(1).kind == Tok::LBrace)
      return lhs;
    Token op = take();
    if (!chain.link(op.range))
      return nullptr;
    ExprPtr rhs = parseBinary(prec + 1);
    if (!rhs)
      return nullptr;
    auto b = make<BinaryExpr>(span(lhs->range, rhs->range), binaryOpOf(op.kind));
    b->opRange = op.range;
    b->lhs = std::move(lhs);
    b->rhs = std::move(rhs);
    lhs = std::move(b);
  }
}

ExprPtr Parser::makeIncDec(ExprPtr target, bool inc, bool prefix,
                           SourceRange r, const Token &op) {
  if (target->kind != ExprKind::Variable && target->kind != ExprKind::Map) {
    err(target->range, std::string("operand of '") + (inc ? "++" : "--") +
                           "' must be a variable or a map");
    return nullptr;
  }
  auto e = make<IncDecExpr>(r);
  e->increment = inc;
  e->prefix = prefix;
  e->target = std::move(target);
  return e;
}

ExprPtr Parser::parseUnary() {
  const Token &t = peek();
  UnaryOp op;
  switch (t.kind) {
  case Tok::Minus: op = UnaryOp::Neg; break;
  case Tok::Plus: op = UnaryOp::Plus; break;
  case Tok::Bang: op = UnaryOp::LogicalNot; break;
  case Tok::Tilde: op = UnaryOp::BitNot; break;
  case Tok::Star: op = UnaryOp::Deref; break;
  case Tok::Amp: op = UnaryOp::AddressOf; break;
  case Tok::PlusPlus:
  case Tok::MinusMinus: {
    Token o = take();
    DepthGuard g(*this, o.range);
    if (!g.ok)
      return nullptr;
    ExprPtr e = parseUnary();
    if (!e)
      return nullptr;
    SourceRange r = span(o.range, e->range);
    return makeIncDec(std::move(e), o.kind == Tok::PlusPlus, true, r, o);
  }
  case Tok::LParen:
    if (castAhead()) {
      Token lp = take();
      DepthGuard g(*this, lp.range);
      if (!g.ok)
        return nullptr;
      auto c = make<CastExpr>(lp.range);
      if (!parseType(c->type, "in cast"))
        return nullptr;
      if (!expectClose(Tok::RParen, lp))
        return nullptr;
      c->operand = parseUnary();
      if (!c->operand)
        return nullptr;
      c->range.end = c->operand->range.end;
      return c;
    }
    return parsePostfix();
  default:
    return parsePostfix();
  }
  Token o = take();
  DepthGuard g(*this, o.range);
  if (!g.ok)
    return nullptr;
  ExprPtr e = parseUnary();
  if (!e)
    return nullptr;
  auto u = make<UnaryExpr>(span(o.range, e->range), op);
  u->operand = std::move(e);
  return u;
}

ExprPtr Parser::parsePostfix() {
  ExprPtr e = parsePrimary();
  if (!e)
    return nullptr;
  ChainGuard chain(*this);
  for (;;) {
    const Token &t = peek();
    if ((t.kind == Tok::Dot || t.kind == Tok::Arrow ||
         t.kind == Tok::LBracket || t.kind == Tok::PlusPlus ||
         t.kind == Tok::MinusMinus) &&
        !chain.link(t.range))
      return nullptr;
    if (t.kind == Tok::Dot || t.kind == Tok::Arrow) {
      Token op = take();
      const Token &f = peek();
      if (f.kind != Tok::Ident && f.kind != Tok::Int) {
        errAt(f, std::string("expected field name after '") +
                     tokSpelling(op.kind) + "', found " + quoteTok(f));
        return nullptr;
      }
      Token ft = take();
      auto fe = make<FieldExpr>(span(e->range, ft.range));
      fe->base = std::move(e);
      fe->field = ft.text;
      fe->arrow = op.kind == Tok::Arrow;
      fe->fieldRange = ft.range;
      e = std::move(fe);
    } else if (t.kind == Tok::LBracket) {
      Token lb = take();
      DepthGuard g(*this, lb.range);
      if (!g.ok)
        return nullptr;
      ExprPtr idx = parseExpr();
      if (!idx || !expectClose(Tok::RBracket, lb))
        return nullptr;
      auto ie = make<IndexExpr>(span(e->range, prev_));
      ie->base = std::move(e);
      ie->index = std::move(idx);
      e = std::move(ie);
    } else if (t.kind == Tok::PlusPlus || t.kind == Tok::MinusMinus) {
      Token op = take();
      SourceRange r = span(e->range, op.range);
      e = makeIncDec(std::move(e), op.kind == Tok::PlusPlus, false, r, op);
      if (!e)
        return nullptr;
    } else {
      return e;
    }
  }
}

bool Parser::parseExprList(std::vector<ExprPtr> &out, Tok close) {
  if (at(close))
    return true;
  for (;;) {
    ExprPtr e = parseExpr();
    if (!e)
      return false;
    out.push_back(std::move(e));
    if (!accept(Tok::Comma))
      return true;
  }
}

ExprPtr Parser::parseMap() {
  Token m = take();
  auto map = make<MapRef>(m.range);
  map->name = m.text;
  if (!at(Tok::LBracket))
    return map;
  Token lb = take();
  DepthGuard g(*this, lb.range);
  if (!g.ok)
    return nullptr;
  map->hasKeys = true;
  if (at(Tok::RBracket)) {
    Token rb = take();
    err(span(lb.range, rb.range), "expected a map key between '[' and ']'");
    return nullptr;
  }
  if (!parseExprList(map->keys, Tok::RBracket) ||
      !expectClose(Tok::RBracket, lb))
    return nullptr;
  map->range.end = prev_.end;
  return map;
}

ExprPtr Parser::parsePrimary() {
  const Token &t = peek();
  switch (t.kind) {
  case Tok::Int: {
    Token i = take();
    auto e = make<IntegerLit>(i.range);
    e->value = i.intValue;
    e->text = i.text;
    return e;
  }
  case Tok::String: {
    Token s = take();
    auto e = make<StringLit>(s.range);
    e->value = s.value;
    return e;
  }
  case Tok::Var: {
    Token v = take();
    auto e = make<VariableRef>(v.range);
    e->name = v.text;
    return e;
  }
  case Tok::Positional: {
    Token v = take();
    auto e = make<PositionalParamRef>(v.range);
    if (v.posIndex < 0) {
      e->isCount = true;
      e->index = 0;
    } else {
      e->index = v.posIndex;
    }
    return e;
  }
  case Tok::Map:
    return parseMap();
  case Tok::LParen:
    return parseParenOrTuple();
  case Tok::Ident: {
    const std::string &w = t.text;
    if (w == "sizeof")
      return parseSizeof();
    if (w == "offsetof")
      return parseOffsetof();
    if (isKeyword(w)) {
      errAt(t, "expected expression, found keyword '" + w + "'");
      return nullptr;
    }
    Token id = take();
    if (at(Tok::LParen)) {
      Token lp = take();
      DepthGuard g(*this, lp.range);
      if (!g.ok)
        return nullptr;
      auto c = make<CallExpr>(id.range);
      c->callee = id.text;
      c->calleeRange = id.range;
      if (!parseExprList(c->args, Tok::RParen) || !expectClose(Tok::RParen, lp))
        return nullptr;
      c->range.end = prev_.end;
      return c;
    }
    if (isBuiltinName(id.text)) {
      auto b = make<BuiltinRef>(id.range);
      b->name = id.text;
      return b;
    }
    auto i = make<IdentifierRef>(id.range);
    i->name = id.text;
    return i;
  }
  case Tok::Error:
    take();
    return nullptr;
  default:
    errAt(t, "expected expression, found " + quoteTok(t));
    return nullptr;
  }
}

ExprPtr Parser::parseParenOrTuple() {
  Token lp = take();
  DepthGuard g(*this, lp.range);
  if (!g.ok)
    return nullptr;
  if (at(Tok::RParen)) {
    Token rp = take();
    err(span(lp.range, rp.range), "expected expression between '(' and ')'");
    return nullptr;
  }
  ExprPtr e = parseExpr();
  if (!e)
    return nullptr;
  if (at(Tok::Comma)) {
    auto tup = make<TupleExpr>(lp.range);
    tup->elems.push_back(std::move(e));
    while (accept(Tok::Comma)) {
      ExprPtr x = parseExpr();
      if (!x)
        return nullptr;
      tup->elems.push_back(std::move(x));
    }
    if (!expectClose(Tok::RParen, lp))
      return nullptr;
    tup->range.end = prev_.end;
    return tup;
  }
  if (!expectClose(Tok::RParen, lp))
    return nullptr;
  // No node for parentheses: the inner expression's range grows to cover them.
  e->range = {lp.range.begin, prev_.end};
  return e;
}

ExprPtr Parser::parseSizeof() {
  Token kw = take();
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after 'sizeof'");
    return nullptr;
  }
  Token lp = take();
  DepthGuard g(*this, lp.range);
  if (!g.ok)
    return nullptr;
  auto s = make<SizeofExpr>(kw.range);
  if (typeAheadInSizeof()) {
    s->ofType = true;
    if (!parseType(s->type, "in sizeof"))
      return nullptr;
  } else {
    s->operand = parseExpr();
    if (!s->operand)
      return nullptr;
  }
  if (!expectClose(Tok::RParen, lp))
    return nullptr;
  s->range.end = prev_.end;
  return s;
}

ExprPtr Parser::parseOffsetof() {
  Token kw = take();
  if (!at(Tok::LParen)) {
    errAt(peek(), "expected '(' after 'offsetof'");
    return nullptr;
  }
  Token lp = take();
  auto o = make<OffsetofExpr>(kw.range);
  if (!parseType(o->type, "in offsetof"))
    return nullptr;
  if (!expect(Tok::Comma, "after the type in offsetof"))
    return nullptr;
  for (;;) {
    const Token &f = peek();
    if (f.kind != Tok::Ident && f.kind != Tok::Int) {
      errAt(f, "expected field name in offsetof, found " + quoteTok(f));
      return nullptr;
    }
    o->fieldPath.push_back(take().text);
    if (!accept(Tok::Dot))
      break;
  }
  if (!expectClose(Tok::RParen, lp))
    return nullptr;
  o->range.end = prev_.end;
  return o;
}

// ------------------------------------------------------------------ types

// Reads a type starting at lookahead index i without consuming it.
bool Parser::scanType(size_t i, TypeName &out, size_t &next, bool &decorated) {
  decorated = false;
  out = TypeName();
  auto word = [&](size_t k) -> const std::string * {
    const Token &t = peek(k);
    return t.kind == Tok::Ident ? &t.text : nullptr;
  };
  // Qualifiers are accepted and dropped.
  while (word(i) && (*word(i) == "const" || *word(i) == "volatile"))
    ++i;
  const std::string *w = word(i);
  if (!w)
    return false;
  SourceRange begin = peek(i).range;
  SourceRange last = begin;
  if (*w == "struct" || *w == "union" || *w == "enum") {
    const std::string *n = word(i + 1);
    if (!n || isKeyword(*n))
      return false;
    out.name = *w + " " + *n;
    last = peek(i + 1).range;
    i += 2;
  } else if (*w == "unsigned" || *w == "signed" || *w == "long" ||
             *w == "short") {
    out.name = *w;
    ++i;
    for (int k = 0; k < 3; ++k) {
      const std::string *m = word(i);
      if (!m || (*m != "char" && *m != "short" && *m != "int" && *m != "long"))
        break;
      out.name += " " + *m;
      last = peek(i).range;
      ++i;
    }
  } else {
    if (isKeyword(*w))
      return false;
    out.name = *w;
    ++i;
  }
  while (word(i) && (*word(i) == "const" || *word(i) == "volatile"))
    ++i;
  while (peek(i).kind == Tok::Star && out.pointerDepth < 64) {
    ++out.pointerDepth;
    last = peek(i).range;
    decorated = true;
    ++i;
    while (word(i) && (*word(i) == "const" || *word(i) == "volatile"))
      ++i;
  }
  if (peek(i).kind == Tok::LBracket) {
    if (peek(i + 1).kind != Tok::Int || peek(i + 2).kind != Tok::RBracket)
      return false;
    uint64_t n = peek(i + 1).intValue;
    out.arraySize = n > (uint64_t(1) << 40) ? int64_t(1) << 40 : int64_t(n);
    last = peek(i + 2).range;
    decorated = true;
    i += 3;
  }
  out.range = span(begin, last);
  next = i;
  return true;
}

bool Parser::parseType(TypeName &out, const char *context) {
  size_t next = 0;
  bool decorated = false;
  if (!scanType(0, out, next, decorated)) {
    const Token &t = peek();
    if (t.kind == Tok::Ident &&
        (t.text == "struct" || t.text == "union" || t.text == "enum"))
      errAt(peek(1), "expected a name after '" + t.text + "'");
    else
      errAt(t, std::string("expected a type name ") + context + ", found " +
                   quoteTok(t));
    return false;
  }
  for (size_t k = 0; k < next; ++k)
    take();
  return true;
}

// At '(': does a cast "(type)" follow?
bool Parser::castAhead() {
  const Token &t = peek(1);
  if (t.kind != Tok::Ident)
    return false;
  const std::string &n = t.text;
  bool known = isBuiltinTypeName(n) || typedefs_.count(n) > 0;
  if (!known && (isBuiltinName(n) || isKeyword(n) || ctx_->bodies.count(n)))
    return false;
  TypeName tn;
  size_t next = 0;
  bool decorated = false;
  if (!scanType(1, tn, next, decorated) || peek(next).kind != Tok::RParen)
    return false;
  if (known || decorated)
    return true;
  // "(name) operand": a parenthesised identifier cannot be followed by an
  // operand, so this is a cast to a type Sema will look up.
  switch (peek(next + 1).kind) {
  case Tok::Int: case Tok::String: case Tok::Var: case Tok::Positional:
  case Tok::Map: case Tok::Ident: case Tok::LParen:
    return true;
  default:
    return false;
  }
}

// After "sizeof(": a type rather than an expression?
bool Parser::typeAheadInSizeof() {
  const Token &t = peek(0);
  if (t.kind != Tok::Ident)
    return false;
  const std::string &n = t.text;
  if (isBuiltinTypeName(n) || typedefs_.count(n))
    return true;
  if (isBuiltinName(n) || isKeyword(n) || ctx_->bodies.count(n))
    return false;
  TypeName tn;
  size_t next = 0;
  bool decorated = false;
  return scanType(0, tn, next, decorated) && peek(next).kind == Tok::RParen;
}

} // namespace

std::optional<ast::Program> parseProgram(const SourceFile &file,
                                         DiagnosticEngine &diags) {
  Parser p(file, diags);
  return p.run();
}

} // namespace bt
