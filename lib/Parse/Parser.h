// The parser (private to lib/Parse): a hand-written recursive-descent parser
// for the bpftrace language. The door is bt::parseProgram
// (include/bt/Parse/Parser.h).
//
// Errors are reported to the DiagnosticEngine and signalled by returning
// null; statement-level callers then resynchronise at the next ';' or the end
// of the enclosing block, and the top level at the next probe. No exceptions
// are used so that the library builds with -fno-exceptions too.
//
// The member functions live in one file per language concept:
//   Parser.cpp            the door, tokens, error reporting, nesting bounds
//   ParseProgram.cpp      the top level: what starts each item; probes
//   ParseAttachPoint.cpp  attach points (and their raw scanner)
//   ParsePreprocessor.cpp #include/#define/... lines (macros: MacroExpander)
//   ParseCDefinition.cpp  C struct/union/enum/typedef definitions
//   ParseConfig.cpp       config = { ... } blocks
//   ParseSubprog.cpp      fn name(...) functions
//   ParseMacro.cpp        macro name(...) { ... } definitions (ScriptMacros.cpp expands them)
//   TailRecursion.cpp     a function's calls of itself, made a loop before it is inlined
//   ParseImport.cpp       import "file"; and the scripts it brings in
//   ParseStatement.cpp    blocks, statements, assignments, let, jumps
//   ParseControlFlow.cpp  if/else, while, unroll, for
//   ParseExpr.cpp         operators and precedence: ternary, binary, unary, postfix
//   ParsePrimary.cpp      literals, variables, maps, calls, builtins, keywords
//   ParseType.cpp         type names, casts, sizeof/offsetof
#pragma once

#include "Lexer.h"
#include "MacroExpander.h"

#include "bt/Parse/AST.h"
#include "bt/Parse/Parser.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace bt::parse {

// One `import "name";` of a script.
struct ImportRequest {
  std::string name;
  SourceRange range;
};

class Parser {
public:
  // `file`: the number the DiagnosticEngine gave an imported script (0: the script).
  Parser(const SourceFile &f, DiagnosticEngine &d, const ParseOptions &options,
         uint32_t file = 0);

  // The file's own items; its imports are left to resolveImports, its macros to
  // expandScriptMacros.
  std::optional<ast::Program> run();
  const std::vector<ImportRequest> &imports() const { return imports_; }

private:
  // ------------------------------------------------------------ tokens
  const Token &peek(size_t n = 0) {
    if (abort_)
      return eof_;
    while (la_.size() <= n) {
      la_.push_back(tokens_.next());
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
  void rewind();

  // ------------------------------------------------------------ errors
  // Stops parsing once the lexer or the parser hit the error cap.
  void checkErrorCap(SourceRange) {
    if (cap_.hit)
      abort_ = true;
  }
  void err(SourceRange r, std::string msg);
  // An error about token `t`; silent when the lexer already reported it.
  void errAt(const Token &t, std::string msg);
  void note(SourceRange r, std::string msg);
  // Just after the previous token, where a missing ';' belongs.
  SourceRange afterPrev() const {
    SourceLoc l = prev_.end;
    ++l.col;
    return {l, l};
  }
  // Expects the closer of `open` (a '(' / '[' token).
  bool expectClose(Tok close, const Token &open);
  bool expect(Tok k, const char *what);

  // Bounds recursion (and so the height of the tree that later phases walk
  // recursively): `depth_` counts brackets, blocks and prefix operators,
  // `height_` additionally counts the links of operator and postfix chains.
  bool tooDeep(SourceRange r);
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
  void skipProbe();
  void parseProbe(ast::Program &prog);
  bool parseAttachPoints(ast::Probe &probe);
  void parsePreproc(ast::Program &prog);
  // #if/#ifdef/#ifndef/#elif/#else/#endif (`rest`: the text after the name).
  void conditionalDirective(const std::string &dir, const std::string &rest,
                            SourceRange r);
  // Inside a group a conditional excludes.
  bool skipping() const { return !conds_.empty() && !conds_.back().taking; }
  void parseCDefinition(ast::Program &prog);
  // At the word "config" (`wordLen` long): does "config =" follow?
  bool configAhead(size_t wordLen) const;
  void parseConfig(ast::Program &prog);
  void parseMapDecl(ast::Program &prog);
  // At the word "fn" (`wordLen` long): does "fn name" or "fn (" follow?
  bool subprogAhead(size_t wordLen) const;
  // At the word "import": does a quoted file name follow?
  bool importAhead(size_t wordLen) const;
  void parseSubprog(ast::Program &prog);
  void parseMacro(ast::Program &prog); // ParseMacro.cpp
  // MacroTypeParams.cpp: `[T, U]` after a macro's name; at a name's '[': does
  // `[...](` follow (a macro call's type arguments)?; `[type, ...]` into the call.
  bool parseMacroTypeParams(ast::MacroDef &m);
  bool typeArgsAhead();
  bool parseTypeArgs(ast::CallExpr &c);
  void parseImport();                   // ParseImport.cpp

  // ------------------------------------------------------------ statements
  bool parseBlock(ast::StmtList &out, SourceLoc &end, ast::ExprPtr *value = nullptr);
  ast::ExprPtr parseBlockExpr();
  void syncStatement();
  ast::StmtPtr parseStatement();
  ast::StmtPtr parseSimpleStatement();
  ast::StmtPtr parseAssignment(ast::ExprPtr lhs);
  ast::StmtPtr parseLet();
  ast::ExprPtr parseCondition(const char *keyword);
  std::unique_ptr<ast::IfStmt> parseIf(bool elseIf = false);
  ast::ExprPtr parseIfExpr();
  static bool endsInValue(const ast::StmtList &body);
  ast::ExprPtr ifStmtAsValue(ast::IfStmt &s);
  ast::ExprPtr branchAsValue(ast::StmtList &body, SourceRange range);
  bool parseTypeof(ast::TypeName &out, const char *context);
  ast::StmtPtr parseLoop();
  ast::StmtPtr parseFor();

  // ------------------------------------------------------------ expressions
  ast::ExprPtr parseExpr() { return parseTernary(); }
  ast::ExprPtr parseTernary();
  ast::ExprPtr parseBinary(int minPrec);
  ast::ExprPtr parseUnary();
  ast::ExprPtr parseCast();
  ast::ExprPtr parsePostfix();
  ast::ExprPtr parsePrimary();
  ast::ExprPtr parseIdentifier();
  ast::ExprPtr parseMap();
  ast::ExprPtr parseParenOrTuple();
  ast::ExprPtr parseRecord(const Token &lp);
  ast::ExprPtr makeIncDec(ast::ExprPtr target, bool inc, bool prefix,
                          SourceRange r, const Token &op);
  bool parseExprList(std::vector<ast::ExprPtr> &out, Tok close);

  // ------------------------------------------------------------ types
  bool scanType(size_t i, ast::TypeName &out, size_t &next, bool &decorated);
  bool parseType(ast::TypeName &out, const char *context);
  bool castAhead();
  // A type, not an expression, up to `close` (sizeof's ')', offsetof's ',').
  bool typeAheadInSizeof(Tok close = Tok::RParen);
  ast::ExprPtr parseSizeof();
  ast::ExprPtr parseOffsetof();

  DiagnosticEngine &diags_;
  ErrorCap cap_;
  MacroTable macros_;
  // The open conditionals, innermost last.
  struct Conditional {
    SourceRange opened;  // the #if/#ifdef/#ifndef line
    bool outerTaking;    // the enclosing group is included
    bool taking;         // the current group is included
    bool taken;          // some group of this conditional was included
    bool sawElse;
  };
  std::vector<Conditional> conds_;
  Lexer lex_;              // raw scanning, and the source of tokens_
  MacroExpander tokens_;   // the parser's tokens: lex_'s, macros expanded
  std::deque<Token> la_;   // lookahead
  Token eof_;
  SourceRange prev_;
  std::set<std::string> typedefs_;
  // The expression parameters of the macro whose body is being parsed: in sizeof(x),
  // typeof(x), typeinfo(x) and offsetof(x, f) such a name is that expression, whatever
  // type it may also name, as upstream's grammar takes no bare name for a type there.
  std::set<std::string> macroExprParams_;
  // The type parameters of that macro (`macro sz[T]() { sizeof(T) }`): a type wherever
  // one may stand, as upstream's grammar reads them.
  std::set<std::string> macroTypeParams_;
  std::vector<ImportRequest> imports_;
  int depth_ = 0;
  int height_ = 0;
  bool abort_ = false;
  bool eofReported_ = false;
  bool inPredicate_ = false;
};

// How a token is named in a message: "'x'", "string literal", "end of file".
std::string quoteTok(const Token &t);

// What an identifier is (ParsePrimary.cpp, ParseType.cpp).
bool isBuiltinName(const std::string &n);
bool isKeyword(const std::string &n);
bool isBuiltinTypeName(const std::string &n);
// The names upstream's lexer makes builtin type tokens rather than identifiers
// (string, inet, timestamp, ...): a macro parameter may be named so, and in its body
// sizeof(string), offsetof, typeof and typeinfo of the name are still the type.
bool namesUpstreamBuiltinType(const std::string &n);

// The value of an #if/#elif expression (PreprocCondition.cpp): C's integer
// arithmetic over `defined NAME`, `defined(NAME)`, numbers and object-like
// macros, an unknown name being 0. False, with `error` set, when it is no
// expression.
bool evalPreprocCondition(const std::string &text, const MacroTable &macros,
                          int64_t &value, std::string &error);

// Brings the scripts `script`'s imports name into `prog`, before its own items
// (ParseImport.cpp). `script` is the file `prog` was parsed from.
void resolveImports(ast::Program &prog, const SourceFile &script,
                    const std::vector<ImportRequest> &imports, DiagnosticEngine &diags,
                    const ParseOptions &options);

// Expands every use of a `macro` of `prog` (ScriptMacros.cpp): a call or, for a
// macro without parameters, a bare name; and inlines each call of a `fn` of `prog`
// as a UserCallExpr.
void expandScriptMacros(ast::Program &prog, DiagnosticEngine &diags);

// `t`, a type written in a macro's body, with the type argument that its type
// parameter stands for put in (MacroTypeParams.cpp): `T*` of `uint64*` is `uint64**`,
// `struct T` of `task_struct` is `struct task_struct`. `arg` is that argument, null
// when `t` names no type parameter. False after reporting an argument `t` cannot take.
// Adds `m` to the macros of its name, which differ in their numbers of parameters and
// of type parameters (upstream's overloads); false after reporting a second definition.
bool defineMacro(std::vector<const ast::MacroDef *> &defs, const ast::MacroDef &m,
                 DiagnosticEngine &diags);
// Of the macros of one name, the one whose parameter counts match a call's; else the
// closest, whose binding reports the mismatch.
const ast::MacroDef *pickMacro(const std::vector<const ast::MacroDef *> &defs, size_t args,
                               size_t typeArgs);
// Each type parameter of `m` to the type argument `call` (null for a bare name) gives
// it; false after reporting a wrong count at `use`.
bool bindTypeArgs(const ast::MacroDef &m, const ast::CallExpr *call, SourceRange use,
                  std::map<std::string, const ast::TypeName *> &types,
                  DiagnosticEngine &diags);
bool substituteTypeParam(ast::TypeName &t,
                         const std::map<std::string, const ast::TypeName *> &typeArgs,
                         DiagnosticEngine &diags, const ast::TypeName *&arg);

// Why a function's calls of itself cannot become a loop, at the call (or statement)
// that stops it.
struct RecursionRefusal {
  SourceRange where;
  std::string why;
};
// Turns the calls `f` makes of itself in `body` (a call's copy of f's body) into a
// loop, where each is in tail position (TailRecursion.cpp); otherwise leaves `body`
// as it is and says why not. Nothing when f does not call itself.
std::optional<RecursionRefusal> loopSelfCalls(const ast::Subprog &f, ast::StmtList &body,
                                              DiagnosticEngine &diags);
// A call of `f` inside its own copy that is only typed (in a sizeof's or typeof's
// expression) needs no copy of the body: it stands for a variable of f's return type,
// which typeOnlyCallDeclaration declares at the start of the copy. Why not, if not.
std::optional<RecursionRefusal> typeOnlySelfCall(const ast::Subprog &f,
                                                 const ast::CallExpr &call);
ast::ExprPtr typeOnlyCallValue(const ast::Subprog &f, SourceRange at);
ast::StmtPtr typeOnlyCallDeclaration(const ast::Subprog &f);
// The error for a call of `f` inside its own call, through `chain` ("f > g > "); with
// the refusal when f calls itself directly.
std::string recursionError(const std::string &chain, const std::string &f,
                           const RecursionRefusal *selfCall);

// Operators (ParseExpr.cpp): 0 for a token that is no binary operator.
int binaryPrec(Tok k);
ast::BinaryOp binaryOpOf(Tok k);
bool isCompoundAssign(Tok k);

template <class T, class... A> std::unique_ptr<T> make(A &&...a) {
  return std::make_unique<T>(std::forward<A>(a)...);
}

} // namespace bt::parse
