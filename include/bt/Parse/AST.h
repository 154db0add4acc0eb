// The bpftrace-language syntax tree. Every node carries the source range it
// came from; nothing here knows about types, LLVM or the kernel.
#pragma once

#include "bt/Parse/Source.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bt::ast {

// ---------------------------------------------------------------- expressions

enum class ExprKind {
  Integer,     // 42, 0x2a, 1_000, true, false
  String,      // "text"
  Builtin,     // pid, comm, arg0, retval, args, ...
  Identifier,  // bare identifier that is no builtin: enum constant, type name
  Variable,    // $x
  PositionalParam, // $1, $#
  Map,         // @m, @m[k], @m[k1, k2], @
  Binary,      // a + b, a && b, a == b, ...
  Unary,       // -a, !a, ~a, *p, &x
  IncDec,      // ++$x, $x--, @m[k]++
  Ternary,     // c ? a : b, c ?: b
  Call,        // printf(...), count(), str(p, n)
  Field,       // e.f, e->f
  Index,       // e[i] on a non-map expression (array/pointer)
  Cast,        // (uint32)e, (struct task_struct *)e
  Tuple,       // (a, b, c)
  Sizeof,      // sizeof(type) / sizeof(expr)
  Offsetof,    // offsetof(struct s, f)
  Block,       // { stmt; ...; e }: the statements, then e's value
  UserCall,    // f(a, b) of a user-defined `fn f`, its body inlined here
};

struct Expr {
  ExprKind kind;
  SourceRange range;
  explicit Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Expr() = default;
};
using ExprPtr = std::unique_ptr<Expr>;

struct IntegerLit : Expr {
  static constexpr ExprKind classKind = ExprKind::Integer;
  uint64_t value = 0;
  std::string text; // as written, for diagnostics
  IntegerLit(SourceRange r) : Expr(classKind, r) {}
};

struct StringLit : Expr {
  static constexpr ExprKind classKind = ExprKind::String;
  std::string value; // escapes already decoded
  StringLit(SourceRange r) : Expr(classKind, r) {}
};

struct BuiltinRef : Expr {
  static constexpr ExprKind classKind = ExprKind::Builtin;
  std::string name; // "pid", "arg3", "args", "retval", ...
  BuiltinRef(SourceRange r) : Expr(classKind, r) {}
};

struct IdentifierRef : Expr {
  static constexpr ExprKind classKind = ExprKind::Identifier;
  std::string name;
  IdentifierRef(SourceRange r) : Expr(classKind, r) {}
};

struct VariableRef : Expr {
  static constexpr ExprKind classKind = ExprKind::Variable;
  std::string name; // with the leading '$'
  VariableRef(SourceRange r) : Expr(classKind, r) {}
};

struct PositionalParamRef : Expr {
  static constexpr ExprKind classKind = ExprKind::PositionalParam;
  int index = 0;          // $1 -> 1; $# -> 0 with isCount
  bool isCount = false;
  PositionalParamRef(SourceRange r) : Expr(classKind, r) {}
};

struct MapRef : Expr {
  static constexpr ExprKind classKind = ExprKind::Map;
  std::string name;           // with the leading '@'; "@" for the anonymous map
  std::vector<ExprPtr> keys;  // empty for a keyless map; several for @m[a, b]
  bool hasKeys = false;       // @m[] is an error; @m has none
  MapRef(SourceRange r) : Expr(classKind, r) {}
};

enum class BinaryOp {
  Add, Sub, Mul, Div, Mod,
  BitAnd, BitOr, BitXor, Shl, Shr,
  Eq, Ne, Lt, Le, Gt, Ge,
  LogicalAnd, LogicalOr,
};
const char *spelling(BinaryOp op);

struct BinaryExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Binary;
  BinaryOp op;
  ExprPtr lhs, rhs;
  SourceRange opRange;
  BinaryExpr(SourceRange r, BinaryOp o) : Expr(classKind, r), op(o) {}
};

enum class UnaryOp { Neg, LogicalNot, BitNot, Deref, AddressOf, Plus };
const char *spelling(UnaryOp op);

struct UnaryExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Unary;
  UnaryOp op;
  ExprPtr operand;
  UnaryExpr(SourceRange r, UnaryOp o) : Expr(classKind, r), op(o) {}
};

struct IncDecExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::IncDec;
  bool increment = true;
  bool prefix = false;
  ExprPtr target; // VariableRef or MapRef
  IncDecExpr(SourceRange r) : Expr(classKind, r) {}
};

struct TernaryExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Ternary;
  ExprPtr cond, thenExpr, elseExpr; // thenExpr is null in `c ?: e`
  TernaryExpr(SourceRange r) : Expr(classKind, r) {}
};

// A type as written in a cast, sizeof or struct member: "uint32",
// "struct task_struct", "char" with a pointer depth and array size.
struct TypeName {
  std::string name;      // "uint32", "int", "struct task_struct", "unsigned long"
  int pointerDepth = 0;  // number of '*'
  int64_t arraySize = -1; // int8[4] -> 4; int8[] -> 0 (the cast's operand sizes it); -1: none
  std::vector<uint64_t> innerSizes; // int8[2][4] -> {4}: each element an array of these
  // `typeof(e)` (upstream's): the type of e, which is typed but never evaluated; name
  // and the sizes are then unused. Shared: a TypeName is copied with its cast.
  std::shared_ptr<Expr> typeofExpr;
  SourceRange range;
};

struct CallExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Call;
  std::string callee;
  SourceRange calleeRange;
  std::vector<ExprPtr> args;
  // typeinfo(TYPE) (upstream's): the type written where an argument stands, as sizeof's;
  // args is then empty. Null in every other call.
  std::shared_ptr<TypeName> typeArg;
  // `name[T, ...](args)`: the type arguments of a macro call (upstream's type-parameter
  // macros); the macro's expansion takes them, so none is left after it.
  std::vector<TypeName> typeArgs;
  SourceRange typeArgsRange; // from '[' to ']'; empty without type arguments
  CallExpr(SourceRange r) : Expr(classKind, r) {}
};

struct FieldExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Field;
  ExprPtr base;
  std::string field;
  bool arrow = false; // '->' rather than '.'
  SourceRange fieldRange;
  FieldExpr(SourceRange r) : Expr(classKind, r) {}
};

struct IndexExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Index;
  ExprPtr base, index;
  IndexExpr(SourceRange r) : Expr(classKind, r) {}
};

// "struct task_struct *", "uint8[4]", "unsigned long".
std::string spelling(const TypeName &t);

struct CastExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Cast;
  TypeName type;
  ExprPtr operand;
  CastExpr(SourceRange r) : Expr(classKind, r) {}
};

struct TupleExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Tuple;
  std::vector<ExprPtr> elems;
  std::vector<std::string> names; // a record's field names, (a=1, b=2); none in a tuple
  TupleExpr(SourceRange r) : Expr(classKind, r) {}
};

struct SizeofExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Sizeof;
  bool ofType = false;
  TypeName type;   // when ofType
  ExprPtr operand; // otherwise
  SizeofExpr(SourceRange r) : Expr(classKind, r) {}
};

struct OffsetofExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Offsetof;
  TypeName type;   // offsetof(type, field)
  ExprPtr operand; // offsetof(expr, field): expr's type, expr never evaluated
  std::vector<std::string> fieldPath;
  OffsetofExpr(SourceRange r) : Expr(classKind, r) {}
};

// ----------------------------------------------------------------- statements

enum class StmtKind {
  Expr,      // printf(...); count(); @x++;
  AssignVar, // $x = e, $x += e
  AssignMap, // @m[k] = e, @m[k] += e
  If,        // if (c) {...} else if (...) {...} else {...}
  Unroll,    // unroll(N) {...}
  While,     // while (c) {...}
  For,       // for ($kv : @m) {...}
  Jump,      // return, break, continue
  Block,     // { ... } used as a statement
  VarDecl,   // let $x [: type] [= e]
};

struct Stmt {
  StmtKind kind;
  SourceRange range;
  explicit Stmt(StmtKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Stmt() = default;
};
using StmtPtr = std::unique_ptr<Stmt>;
using StmtList = std::vector<StmtPtr>;

struct ExprStmt : Stmt {
  static constexpr StmtKind classKind = StmtKind::Expr;
  ExprPtr expr;
  bool discard = false; // `_ = e;`: the value is dropped on purpose (no warning)
  ExprStmt(SourceRange r) : Stmt(classKind, r) {}
};

// Compound assignment keeps its operator: `$x += 2` has op = Add.
struct AssignVarStmt : Stmt {
  static constexpr StmtKind classKind = StmtKind::AssignVar;
  std::unique_ptr<VariableRef> var;
  bool compound = false;
  BinaryOp op = BinaryOp::Add; // meaningful when compound
  ExprPtr value;
  AssignVarStmt(SourceRange r) : Stmt(classKind, r) {}
};

struct AssignMapStmt : Stmt {
  static constexpr StmtKind classKind = StmtKind::AssignMap;
  std::unique_ptr<MapRef> map;
  bool compound = false;
  BinaryOp op = BinaryOp::Add;
  ExprPtr value;
  AssignMapStmt(SourceRange r) : Stmt(classKind, r) {}
};

struct IfStmt : Stmt {
  static constexpr StmtKind classKind = StmtKind::If;
  ExprPtr cond;
  StmtList thenBody;
  StmtList elseBody; // an `else if` is a single IfStmt here
  bool hasElse = false;
  // `if comptime c`: c must be known at compile time; only the branch it picks is
  // typed and lowered (upstream's way to write type-dependent code in macros).
  bool comptime = false;
  IfStmt(SourceRange r) : Stmt(classKind, r) {}
};

struct UnrollStmt : Stmt {
  static constexpr StmtKind classKind = StmtKind::Unroll;
  ExprPtr count;
  StmtList body;
  UnrollStmt(SourceRange r) : Stmt(classKind, r) {}
};

struct WhileStmt : Stmt {
  static constexpr StmtKind classKind = StmtKind::While;
  ExprPtr cond;
  StmtList body;
  WhileStmt(SourceRange r) : Stmt(classKind, r) {}
};

struct ForStmt : Stmt {
  static constexpr StmtKind classKind = StmtKind::For;
  std::unique_ptr<VariableRef> var;
  ExprPtr iterable; // a MapRef, or a range's start
  ExprPtr rangeEnd; // for ($i : start..end); null over a map
  StmtList body;
  ForStmt(SourceRange r) : Stmt(classKind, r) {}
};

enum class JumpKind { Return, Break, Continue };

struct JumpStmt : Stmt {
  static constexpr StmtKind classKind = StmtKind::Jump;
  JumpKind jump;
  ExprPtr value; // `return e` (rare); usually null
  JumpStmt(SourceRange r, JumpKind j) : Stmt(classKind, r), jump(j) {}
};

struct BlockStmt : Stmt {
  static constexpr StmtKind classKind = StmtKind::Block;
  StmtList body;
  BlockStmt(SourceRange r) : Stmt(classKind, r) {}
};

struct VarDeclStmt : Stmt {
  static constexpr StmtKind classKind = StmtKind::VarDecl;
  std::unique_ptr<VariableRef> var;
  bool hasType = false;
  TypeName type;
  ExprPtr value; // may be null
  VarDeclStmt(SourceRange r) : Stmt(classKind, r) {}
};

// A block expression `{ let $y = 2; $y + 1 }` (bpftrace 0.24+): the statements
// run in a scope of their own, then `value` gives the block its value. Macro
// calls expand to one as well.
struct BlockExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::Block;
  StmtList stmts;
  ExprPtr value;
  BlockExpr(SourceRange r) : Expr(classKind, r) {}
};

struct Subprog;

// A call of a user-defined function (`fn f($a: int64): int64 { ... }`), made by
// the parser in place of the CallExpr (ScriptMacros.cpp): a copy of the function's
// body per call, so each call is typed and lowered on its own. The arguments are
// evaluated in the caller's scope, then the parameters (`let $a: int64`, without a
// value) and the body run in a scope of their own that sees none of the caller's
// variables. `return e` in the body gives the call its value.
struct UserCallExpr : Expr {
  static constexpr ExprKind classKind = ExprKind::UserCall;
  const Subprog *function = nullptr;
  std::vector<ExprPtr> args;
  std::vector<std::unique_ptr<VarDeclStmt>> params;
  StmtList body;
  UserCallExpr(SourceRange r) : Expr(classKind, r) {}
};

// --------------------------------------------------------------------- probes

// One attach point as written, split on ':' outside quotes.
// "tracepoint:syscalls:sys_enter_*" -> provider "tracepoint",
// parts {"syscalls", "sys_enter_*"}. "BEGIN" -> provider "BEGIN", no parts.
// "uprobe:/bin/bash:readline" -> provider "uprobe", parts {"/bin/bash", "readline"}.
// Providers keep their written spelling ("t", "tp", "k", "u", "ur", "i",
// "p", "rawtracepoint", "kfunc", ...); Sema canonicalises them.
struct AttachPoint {
  std::string text; // the whole attach point as written
  std::string provider;
  std::vector<std::string> parts;
  SourceRange range;
};

struct Probe {
  std::vector<AttachPoint> attachPoints;
  ExprPtr predicate; // null when absent
  StmtList body;
  SourceRange range;
};

// One `key = value` of a `config = { ... }` block.
struct ConfigEntry {
  std::string key;
  std::string value;     // as written; a string's decoded contents
  bool isString = false; // value was a "string"
  SourceRange range;
};

// C definitions and preprocessor lines in the preamble are kept as text so
// Sema can say what it does not support yet.
//   Include:     `#include <x.h>` / `#include "x.h"`
//   Define:      `#define ...` and every other preprocessor line
//                (#undef, #ifdef, #pragma, ...). Object-like macros
//                (`#define N 10`) are already expanded by the parser.
//   CDefinition: `struct/union/enum X { ... };` and `typedef ...;`
//   Config:      `config = { key = value; ... }`, entries in `config`
struct Preamble {
  enum Kind { Include, Define, CDefinition, Config } kind;
  std::string text;
  SourceRange range;
  std::vector<ConfigEntry> config; // Config only
};

// A user-defined function (bpftrace "subprog"):
//   fn name($a: int64, $b: string): int64 { ... return $a; }
struct SubprogParam {
  std::unique_ptr<VariableRef> var;
  TypeName type;
  SourceRange range;
};

struct Subprog {
  std::string name;
  SourceRange nameRange;
  std::vector<SubprogParam> params;
  TypeName returnType; // "void" when the function returns nothing
  StmtList body;
  SourceRange range;
};

// `let @m = lruhash(100);` before the probes (bpftrace 0.24+): the map's kind
// and its maximum number of keys.
struct MapDecl {
  std::string name;       // "@m"
  std::string kind;       // "hash", "lruhash", "percpuhash", "percpulruhash", "percpuarray", as written
  ExprPtr size;           // the argument (Sema wants an integer literal)
  SourceRange nameRange, kindRange, range;
};

// `macro name(params) { body }` (bpftrace 0.24+). The parser expands every use
// (ScriptMacros.cpp) before it hands the tree on: later phases never see one.
// A parameter is `$x` (a variable, passed by reference, or an expression),
// `@x` (a map) or `x` (an expression, inserted at each use).
struct MacroParam {
  enum Kind { Variable, Map, Expression } kind;
  std::string name; // with its '$' or '@'
  SourceRange range;
};

struct MacroDef {
  std::string name;
  SourceRange nameRange;
  std::vector<MacroParam> params;
  // `macro name[T, U](...)`: names that stand for the types a call gives in its
  // `name[type, ...]`, wherever the body writes a type.
  std::vector<MacroParam> typeParams;
  StmtList body;
  ExprPtr value; // the last expression, without ';'; null for a statement macro
  SourceRange range;
};

struct Program {
  std::vector<Preamble> preamble;
  std::vector<MacroDef> macros;
  std::vector<MapDecl> mapDecls;
  std::vector<Probe> probes;
  std::vector<Subprog> functions; // in script order
  // Each function no probe calls, as a call without arguments (its parameters
  // declared, its body expanded): Sema checks it as bpftrace checks every function;
  // nothing is emitted for it.
  std::vector<std::unique_ptr<UserCallExpr>> uncalledFunctions;
};

// Cheap checked down-casts: `if (auto *m = as<MapRef>(e)) ...`.
template <class T, class N> T *as(N *n) {
  return n && n->kind == T::classKind ? static_cast<T *>(n) : nullptr;
}
template <class T, class N> const T *as(const N *n) {
  return n && n->kind == T::classKind ? static_cast<const T *>(n) : nullptr;
}

// The expression a chain of `.m` and `[i]` reads within one value: the chain's base,
// stopping at a base `isPointer` says is a pointer (reading through it leaves the value).
template <class IsPointer> const Expr *valueRoot(const Expr *e, IsPointer isPointer) {
  for (;;) {
    const Expr *base = nullptr;
    if (auto *f = as<FieldExpr>(e))
      base = f->base.get();
    else if (auto *i = as<IndexExpr>(e))
      base = i->base.get();
    if (!base || isPointer(base))
      return e;
    e = base;
  }
}

} // namespace bt::ast
