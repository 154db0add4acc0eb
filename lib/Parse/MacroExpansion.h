// The walk that expands a script's macros and inlines its functions' calls
// (ScriptMacros.cpp), and copies trees for it (MacroCopy.cpp). Private to Parse.
#pragma once

#include "Parser.h"

#include <map>
#include <set>

namespace bt::parse {

// How one expansion rewrites the body; an empty one copies a tree as it is.
struct Rewrite {
  const ast::MacroDef *macro = nullptr;
  std::string suffix;                                  // ".NAME.N"
  std::map<std::string, std::string> variables;        // $param -> the caller's $var
  std::map<std::string, const ast::Expr *> expressions;     // $param or param -> argument
  std::map<std::string, std::string> maps;             // @param -> the caller's @map
  std::map<std::string, const ast::TypeName *> types;       // type param -> type argument
};

class Expansion {
public:
  explicit Expansion(DiagnosticEngine &d) : D(d) {}

  bool define(const ast::MacroDef &m) { return defineMacro(macros_[m.name], m, D); }

  bool defineFunction(const ast::Subprog &f) {
    auto [it, added] = functions_.emplace(f.name, &f);
    if (!added) {
      D.error(f.nameRange, "function '" + f.name + "' is defined twice");
      D.note(it->second->nameRange, "first defined here");
    }
    return added;
  }

  void stmts(ast::StmtList &l) {
    for (ast::StmtPtr &s : l)
      stmt(s);
  }

  void expr(ast::ExprPtr &e);
  void stmt(ast::StmtPtr &s);
  void typedOnly(ast::ExprPtr &e) { // a sizeof's or typeof's expression
    ++unevaluated_;
    expr(e);
    --unevaluated_;
  }

  // A tree as it is (copyProbe).
  ast::ExprPtr copy(const ast::Expr *e) { return clone(e, Rewrite{}); }
  ast::StmtList copy(const ast::StmtList &l) { return clone(l, Rewrite{}); }

private:
  DiagnosticEngine &D;
  std::map<std::string, std::vector<const ast::MacroDef *>> macros_;
  std::vector<std::string> chain_; // the macros being expanded, outermost first
  // Where the outermost macro call being expanded is written: the place the `file` and
  // `line` builtins of its body (and of the macros it calls) name, as upstream's do.
  SourceRange rootUse_;
  unsigned expansions_ = 0;
  std::map<std::string, const ast::Subprog *> functions_;
  std::vector<std::string> calls_; // the functions being inlined, outermost first
  std::map<std::string, RecursionRefusal> selfCalls_; // why f's calls of f stay calls
  std::set<std::string> selfCallsReported_;
  unsigned unevaluated_ = 0;              // inside a sizeof's or typeof's expression
  std::set<std::string> typeOnlySelfCalls_; // functions whose copy needs typeOnlyCallValue

public:
  std::set<std::string> inlined; // every function some call was inlined for
  // A function no probe calls, on its own (no arguments), for Sema to check.
  std::unique_ptr<ast::UserCallExpr> uncalled(const ast::Subprog &f) {
    calls_.clear();
    return instance(f, f.nameRange);
  }

private:

  // `e`, a call of `f`, as a UserCallExpr; unchanged after reporting a misuse.
  void inlineCall(ast::ExprPtr &e, const ast::Subprog &f);
  // f's parameters and a copy of its body, expanded, as a call of f would have them.
  std::unique_ptr<ast::UserCallExpr> instance(const ast::Subprog &f, SourceRange at);

  // The macro `e` uses, and its call (null for a bare name); null when it uses none.
  const ast::MacroDef *macroOf(ast::Expr *e, ast::CallExpr *&call);
  // The rewrite of one use; false after reporting a mismatch.
  bool bind(const ast::MacroDef &m, ast::CallExpr *call, SourceRange use, Rewrite &rw);
  // The body of `m` for one use, rewritten and itself expanded.
  bool instantiate(const ast::MacroDef &m, ast::CallExpr *call, SourceRange use,
                   ast::StmtList &body, ast::ExprPtr &value);

  ast::ExprPtr clone(const ast::Expr *e, const Rewrite &rw);
  ast::StmtPtr clone(const ast::Stmt *s, const Rewrite &rw);
  ast::StmtList clone(const ast::StmtList &l, const Rewrite &rw) {
    ast::StmtList out;
    for (const auto &s : l)
      if (ast::StmtPtr c = clone(s.get(), rw))
        out.push_back(std::move(c));
    return out;
  }
  // A type with its typeof(e) copied too: each use of a macro types its own e.
  // A type parameter's use is the call's type argument, whose typeof(e) is the caller's.
  ast::TypeName cloneType(const ast::TypeName &t, const Rewrite &rw) {
    ast::TypeName c = t;
    const ast::TypeName *arg = nullptr;
    if (!substituteTypeParam(c, rw.types, D, arg))
      return c;
    if (c.typeofExpr)
      c.typeofExpr = clone(c.typeofExpr.get(), arg ? Rewrite{} : rw);
    return c;
  }
  // The macros and inlined functions a `typeof(e)` uses, expanded in a copy of e (the
  // TypeName's copies share the original).
  void type(ast::TypeName &t) {
    if (!t.typeofExpr)
      return;
    ast::ExprPtr e = clone(t.typeofExpr.get(), Rewrite{});
    typedOnly(e);
    t.typeofExpr = std::move(e);
  }
  std::unique_ptr<ast::VariableRef> assignedVariable(const ast::VariableRef *v, const Rewrite &rw);
  std::unique_ptr<ast::MapRef> cloneMap(const ast::MapRef *m, const Rewrite &rw);
};

} // namespace bt::parse
