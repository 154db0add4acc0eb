// Private to lib/Sema: the typer. Map and variable types are inferred from every
// use in the script (a map keeps one key and one value type; strings take the largest
// size they are given), so it runs over every probe to a fixed point silently, then
// once more to report. Statements and expressions are typed in Sema.cpp, function
// calls in Call.cpp.
#pragma once

#include "SemaInternal.h"

#include <map>
#include <optional>
#include <set>
#include <string>

namespace bt::sema {

inline Type u64() { return Type::integer(8, false); }
inline Type s64() { return Type::integer(8, true); }

// The kernel's default perf_event_max_stack: a stack map's value holds at most
// this many frames.
constexpr unsigned kMaxStackFrames = 127;

// The aggregation function `id` makes (count, sum, ...), or None.
AggKind aggregationOf(FunctionId id);

// Widens `slot` to hold `t` as well. False when they cannot share a slot.
bool unify(Type &slot, const Type &t);

class Typer {
public:
  Typer(SemaResult &result, DiagnosticEngine &diags, bool report)
      : R(result), D(diags), report_(report) {}

  bool changed = false;

  void probe(size_t index);

private:
  SemaResult &R;
  DiagnosticEngine &D;
  bool report_;
  const ProbeInfo *probe_ = nullptr;
  std::map<std::string, Type> *vars_ = nullptr;
  std::set<std::string> assigned_;
  int loopDepth_ = 0;

  void err(SourceRange r, const std::string &msg);

  Type record(const ast::Expr *e, Type t);

  MapInfo &mapInfo(const ast::MapRef *m);

  void unifyTracked(Type &slot, const Type &t, SourceRange r, const std::string &what);

  // Types a map's keys and records them in its MapInfo.
  MapInfo &mapKeys(const ast::MapRef *m);

  Type mapRead(const ast::MapRef *m);

  // ------------------------------------------------------------ statements
  void block(const ast::StmtList &stmts);

  void stmt(const ast::Stmt *s);

  MapInfo *mapByName(const std::string &name);

  void condition(const ast::Expr *e);

  void aggregationCall(const ast::CallExpr *call);

  static std::optional<int64_t> literal(const ast::Expr *e);

  // kstack(), kstack(N), kstack(MODE), kstack(MODE, N): MODE is the bare word
  // bpftrace or perf; N the number of frames kept.
  Type kernelStackCall(const ast::CallExpr *c);

  void lhistParams(const ast::CallExpr *call, MapInfo &mi);

  // ----------------------------------------------------------- expressions
  Type expr(const ast::Expr *e, bool statement = false);

  // The table row a name spells, looked up once per node and kept in the result.
  std::optional<BuiltinUse> resolve(const ast::BuiltinRef *b);
  std::optional<FunctionId> resolve(const ast::CallExpr *c);

  // The aggregation a call makes (@m = count()), or None.
  AggKind aggregationOf(const ast::CallExpr *c);

  // False, after reporting the row's usage, when `c` has too few or too many arguments.
  bool checkArity(const ast::CallExpr *c, const FunctionInfo &info);

  Type builtin(const ast::BuiltinRef *b);

  Type field(const ast::FieldExpr *f);

  Type call(const ast::CallExpr *c, bool statement);

  Type exprUncached(const ast::Expr *e, bool statement);
};

} // namespace bt::sema
