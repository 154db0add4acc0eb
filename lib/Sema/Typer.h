// Private to lib/Sema: the typer. Map and variable types are inferred from every
// use in the script (a map keeps one key and one value type; strings take the largest
// size they are given), so it runs over every probe to a fixed point silently, then
// once more to report. Statements and expressions are typed in Sema.cpp, function
// calls in Call.cpp.
#pragma once

#include "BtfTypes.h"
#include "CDefinitions.h"
#include "DwarfParams.h"
#include "SemaInternal.h"

#include <map>
#include <optional>
#include <set>
#include <string>

namespace bt::sema {

// The kernel's default perf_event_max_stack: a stack map's value holds at most
// this many frames.
constexpr unsigned kMaxStackFrames = 127;

// The aggregation function `id` makes (count, sum, ...), or None.
AggKind aggregationOf(FunctionId id);

// Widens `slot` to hold `t` as well. False when they cannot share a slot.
bool unify(TypeTable &types, TypeId &slot, TypeId t);
// unify() of two records (Tuple.cpp): tuples of as many elements widen element by
// element; other records only match themselves.
bool unifyTuple(TypeTable &types, TypeId &slot, TypeId t);

class Typer {
public:
  Typer(SemaResult &result, DiagnosticEngine &diags, bool report)
      : R(result), D(diags), report_(report) {}

  bool changed = false;

  void probe(size_t index);
  // A function no probe calls (Program::uncalledFunctions), typed on its own: there is
  // no probe, so what reads one is an error, as bpftrace says outside a probe.
  void uncalledFunction(const ast::UserCallExpr *c);

private:
  SemaResult &R;
  DiagnosticEngine &D;
  bool report_;
  const ProbeInfo *probe_ = nullptr;
  ScopeId scope_ = 0;
  std::set<DeclId> assigned_; // so far, in text order
  int loopDepth_ = 0;

  void err(SourceRange r, const std::string &msg);
  // False, after saying why, when `what` (which reads the probe) is in a function's body,
  // called or not: bpftrace compiles a function apart from its callers' probes.
  bool inProbe(SourceRange r, const std::string &what);

  const Type &ty(TypeId t) const { return R.types.get(t); }
  TypeId u64() { return R.types.integer(8, false); }
  TypeId s64() { return R.types.integer(8, true); }

  TypeId record(const ast::Expr *e, TypeId t);

  // The variable `v` names, once assigned; reports a use before that.
  std::optional<DeclId> variable(const ast::VariableRef *v);
  // The variable an assignment to `v` writes, declared in the probe's scope
  // when it is new.
  DeclId assignedVariable(const ast::VariableRef *v);

  MapInfo &mapInfo(const ast::MapRef *m);

  void unifyTracked(TypeId &slot, TypeId t, SourceRange r, const std::string &what);
  bool pointerStep(ast::BinaryOp op, SourceRange r, const std::string &what, TypeId pointer);
  // A variable's type is its first value's, an integer's width included (bpftrace's:
  // a uint16 stays 16 bits for bswap(), ++ and printing); a later integer of another
  // type is converted to it on assignment, as C converts.
  void unifyVariable(DeclId d, TypeId value, SourceRange r);

  // Types a map's keys and records them in its MapInfo.
  MapInfo &mapKeys(const ast::MapRef *m);
  // The same for keys given apart from the map, as in delete(@m, key).
  MapInfo &mapKeys(const ast::MapRef *m, const std::vector<const ast::Expr *> &keys);
  // The same for one key argument: an expression, or a tuple of one per key of a
  // multi-key map, as in delete(@m, (1, "a")) or find(@m, key, $v).
  MapInfo &mapKeysApart(const ast::MapRef *m, const ast::Expr *key);

  TypeId mapRead(const ast::MapRef *m);
  TypeId aggregationValue(const ast::MapRef *m, AggKind agg); // AggregationValue.cpp

  // ------------------------------------------------------------ statements
  // A nested block, in a scope of its own.
  void block(const ast::StmtList &stmts);
  void statements(const ast::StmtList &stmts);

  void stmt(const ast::Stmt *s);
  // `let $x [: type] [= e]` (Let.cpp).
  void varDecl(const ast::VarDeclStmt *s);
  void refuseDeclaration(const ast::VarDeclStmt *s);
  // The type a `let` names; reports one it cannot hold.
  std::optional<TypeId> declaredType(const ast::TypeName &t);
  std::optional<TypeId> declaredArray(const ast::TypeName &t, TypeId element);
  void checkFitsDeclared(DeclId d, const ast::Expr *value, TypeId valueType);
  void checkTruthValue(const Declaration &decl, const ast::Expr *value, const Type &got);

  MapInfo *mapByName(const std::string &name);

  // UserFunctions.cpp: a call of a user-defined function, typed per call (each has its
  // own copy of the body, in a scope of its own), and `return` inside its body.
  struct FunctionFrame {
    const ast::Subprog *function;
    std::optional<DeclId> result; // none for a function without a return type
  };
  std::vector<FunctionFrame> functions_;
  TypeId userCall(const ast::UserCallExpr *c, bool statement);
  void functionReturn(const ast::JumpStmt *j);
  std::optional<DeclId> functionResult(const ast::UserCallExpr *c, ScopeId body);

  // Loop.cpp: for loops, and the type of their variable (none when unknown).
  void forLoop(const ast::ForStmt *s);
  TypeId forElement(const ast::ForStmt *s);

  void condition(const ast::Expr *e);

  TypeId aggregationCall(const ast::CallExpr *call); // the call's type, none if misused

  // Call.cpp: checkers that Functions.def's Check column names (the others are in the
  // files of their concept, below)
  std::vector<Type> argTypes(const ast::CallExpr *c);
  TypeId formatCall(const ast::CallExpr *c, FunctionId id);
  TypeId printCall(const ast::CallExpr *c);
  TypeId timeCall(const ast::CallExpr *c);
  TypeId strCall(const ast::CallExpr *c);
  TypeId clearCall(const ast::CallExpr *c, FunctionId id);
  TypeId nsecsCall(const ast::CallExpr *c);
  TypeId ksymCall(const ast::CallExpr *c);
  TypeId usymCall(const ast::CallExpr *c);
  TypeId strftimeCall(const ast::CallExpr *c);
  TypeId strncmpCall(const ast::CallExpr *c);
  TypeId exitCall(const ast::CallExpr *c);

  std::optional<int64_t> literal(const ast::Expr *e) const;

  // kstack(), kstack(N), kstack(MODE), kstack(MODE, N), and ustack alike: MODE is the bare word
  // bpftrace or perf; N the number of frames kept.
  TypeId stackCall(const ast::CallExpr *c, FunctionId id);

  void histParams(const ast::CallExpr *call, MapInfo &mi);
  void lhistParams(const ast::CallExpr *call, MapInfo &mi);
  bool stackLength(const ast::CallExpr *c); // MapFunctions.cpp
  void tseriesParams(const ast::CallExpr *call, MapInfo &mi); // Tseries.cpp

  // ----------------------------------------------------------- expressions
  void testResult(const ast::JumpStmt *j);
  TypeId expr(const ast::Expr *e, bool statement = false);

  // The table row a name spells, looked up once per node and kept in the result.
  std::optional<BuiltinUse> resolve(const ast::BuiltinRef *b);
  std::optional<FunctionId> resolve(const ast::CallExpr *c);

  // The aggregation a call makes (@m = count()), or None.
  AggKind aggregationOf(const ast::CallExpr *c);

  // False, after reporting the row's usage, when `c` has too few or too many arguments.
  bool checkArity(const ast::CallExpr *c, const FunctionInfo &info);

  TypeId builtin(const ast::BuiltinRef *b);
  // The type of a builtin's value, once its probe allows it.
  TypeId builtinValue(const ast::BuiltinRef *b, BuiltinUse use, const BuiltinInfo &info);

  TypeId field(const ast::FieldExpr *f);

  // Block.cpp: `{ stmts; e }`, typed as e in the block's own scope (e's value
  // unused when the block is a statement of its own).
  TypeId blockExpr(const ast::BlockExpr *b, bool statement);

  // Tuple.cpp: a tuple literal, and `.N` of a tuple.
  TypeId tuple(const ast::TupleExpr *t);
  TypeId tupleField(const ast::FieldExpr *f, TypeId base);
  TypeId tupleIndex(const ast::IndexExpr *i, TypeId base);

  TypeId call(const ast::CallExpr *c, bool statement);
  // ExternalCalls.cpp: a call of a function an imported BPF C source defines.
  TypeId externalCall(const ast::CallExpr *c, const ExternalCFunction &f, bool statement);

  // Cast.cpp: `(type)e`: integer casts, array casts, and pointerCast's.
  TypeId cast(const ast::CastExpr *c);
  TypeId arrayCast(const ast::CastExpr *c, const Type &from, unsigned elementSize, bool isSigned);
  // `(string[N])s`: the string in a buffer of N bytes (upstream's; never shorter).
  TypeId stringCast(const ast::CastExpr *c, const Type &from);
  const Type *innermostInteger(const Type &array) const;

  // Ternary.cpp: `c ? a : b`, whose branches may have no value in a statement.
  TypeId ternary(const ast::TernaryExpr *t, bool statement);
  bool noValue(const ast::Expr *e);

  // MapFunctions.cpp: delete, has_key, len.
  TypeId mapFunctionCall(const ast::CallExpr *c, FunctionId id);
  // ProcessFunctions.cpp: signal.
  TypeId processFunctionCall(const ast::CallExpr *c, FunctionId id);
  TypeId overrideCall(const ast::CallExpr *c);
  // StringFunctions.cpp: strlen, strcontains, bswap, strerror.
  TypeId stringFunctionCall(const ast::CallExpr *c, FunctionId id);
  // NetFunctions.cpp: ntop, pton.
  TypeId netFunctionCall(const ast::CallExpr *c, FunctionId id);
  // NetFunctions2.cpp: macaddr, socket_cookie, path.
  TypeId netFunction2Call(const ast::CallExpr *c, FunctionId id);
  TypeId pathString(const ast::CallExpr *c);
  // Symbolic.cpp: printf's %s of an enum and %gr.
  void symbolicConversions(const ast::CallExpr *c, const std::vector<Type> &args);
  bool gfpSymbols(SourceRange range);
  TypeId iteratorPathCall(const ast::CallExpr *c);
  bool contextChain(const ast::Expr *e, bool top);
  bool argumentMember(const ast::Expr *e, const char *record);
  // NetFunctions3.cpp: percpu_kaddr.
  TypeId netFunction3Call(const ast::CallExpr *c, FunctionId id);
  // Skboutput.cpp: skboutput.
  TypeId skboutputCall(const ast::CallExpr *c);
  // BufferFunctions.cpp: buf, kptr, uptr.
  TypeId bufferFunctionCall(const ast::CallExpr *c);
  TypeId addressSpaceCall(const ast::CallExpr *c, FunctionId id);
  // SymbolFunctions.cpp: kaddr.
  TypeId symbolFunctionCall(const ast::CallExpr *c, FunctionId id);
  // SystemFunctions.cpp: cgroupid.
  TypeId systemFunctionCall(const ast::CallExpr *c, FunctionId id);
  // UpstreamFunctions.cpp: upstream's helpers (is_str, strcap, strstr, kfunc_exist, ...).
  TypeId upstreamFunctionCall(const ast::CallExpr *c, FunctionId id);
  TypeId typeinfoCall(const ast::CallExpr *c); // Typeinfo.cpp
  // Whether upstream types `e` bool (true, a comparison, !e, ...), which btc holds as an
  // integer as bpftrace 0.17 does (Typeinfo.cpp).
  bool upstreamBool(const ast::Expr *e) const;
  // MiscFunctions.cpp: ppid(task), pcomm(task), assert, assert_str, static_assert, fail,
  // memcmp.
  TypeId miscFunctionCall(const ast::CallExpr *c, FunctionId id);
  TypeId taskHelperCall(const ast::CallExpr *c, FunctionId id);
  TypeId failCall(const ast::CallExpr *c);
  TypeId memcmpCall(const ast::CallExpr *c);
  // MiscFunctions2.cpp: find, globmatch, kfunc_allowed, comm(pid).
  TypeId findCall(const ast::CallExpr *c);
  TypeId globmatchCall(const ast::CallExpr *c);
  TypeId kfuncAllowedCall(const ast::CallExpr *c);
  TypeId commOfPidCall(const ast::CallExpr *c);
  TypeId inCgroupCall(const ast::CallExpr *c);
  // The value of an expression of literals and compile-time constants (is_str(x),
  // sizeof, enum constants); nullopt when it is known only at run time.
  std::optional<int64_t> compileTimeValue(const ast::Expr *e) const;
  // Typeinfo.cpp: what compileTimeValue knows of typeinfo()'s records: a field's literal
  // (null for another field expression), and whether two texts or two records are equal
  // (nullopt where either is not known at compile time).
  const ast::Expr *typeinfoFieldValue(const ast::FieldExpr *f) const;
  std::optional<bool> typeinfoEqual(const ast::Expr *l, const ast::Expr *r) const;
  // Where a compile-time value is wanted: why `e` is not one when a positional parameter
  // in it is (btc reads $1 from btrun's arguments), as ": btc reads $1 at run time ...";
  // "" otherwise, and when btc was given the arguments.
  std::string runTimeParamReason(const ast::Expr *e) const;
  // $N or $# when btc was given the arguments: its value in `constants` (an $N that is
  // no number is an error here, as btrun's is at run time).
  void boundParam(const ast::PositionalParamRef *p);
  // Getopt.cpp: getopt(name[, default]), a named parameter btrun writes.
  TypeId getoptCall(const ast::CallExpr *c);

  TypeId exprUncached(const ast::Expr *e, bool statement);

  // ------------------------------------------ kernel types (Member.cpp)
  // False, after reporting why, when the target's BTF cannot be read.
  bool kernelTypes(SourceRange r);
  // A type as a cast or sizeof (sized) names it; nullopt after reporting it unknown.
  std::optional<TypeId> namedType(const ast::TypeName &t, bool sized = false);
  // Upstream's builtin type names (string, inet, buffer[N], timestamp, count_t, ...):
  // nullopt for any other name; else the type, or none after a located error.
  std::optional<std::optional<TypeId>> upstreamBuiltinType(const ast::TypeName &t);
  // The type as the script wrote it, for messages: `T[0]` and `T[]` parse alike (size 0,
  // as upstream reads both), so the source text tells which one to name.
  std::string writtenSpelling(const ast::TypeName &t) const;
  std::optional<TypeId> kernelRecordIn(TypeId t) const;
  std::optional<TypeId> typeofType(const ast::TypeName &t);
  bool heldArrayType(TypeId array, SourceRange r); // Let.cpp
  bool fitsSizedString(const Declaration &decl, TypeId value, SourceRange r);
  // recordsAllowed: the array is sizeof's (relocated) or a copy the program holds at the
  // compile-time layout (a `let`), so an array of kernel structs is no error.
  std::optional<TypeId> arrayOfNamed(const ast::TypeName &t, TypeId element,
                                     bool recordsAllowed = false);
  TypeId typeofCast(const ast::CastExpr *c, const Type &from);
  void checkEnumCastValue(const ast::CastExpr *c, const std::string &spelling);
  // A value of an enum type as bpftrace holds one (a cast's, sizeof's): 64-bit unsigned,
  // whatever the enum's C size; any other type as it is.
  TypeId enumValue(TypeId t);
  // `sizeof(NAME)` of a bare name that is an enumerator (the script's C or the BTF's)
  // and no type: the size of an enum value, 8, as upstream; nullopt for other names.
  std::optional<uint64_t> enumeratorSize(const ast::TypeName &t);
  TypeId currentTask(const ast::BuiltinRef *b);
  TypeId iterContext(const ast::BuiltinRef *b); // ProbesPerf.cpp
  // In an iterator pinned to a file (read later without btrun): false, after saying why,
  // for a call whose output only btrun would write; printf's arguments are checked
  // against the kernel's bpf_seq_printf (ProbesPerf.cpp).
  bool pinnedIteratorAllows(const ast::CallExpr *c, FunctionId id);
  // ppid: curtask->real_parent->tgid, built and typed here (lib/Sema/ProcessBuiltins.cpp).
  TypeId parentPid(const ast::BuiltinRef *b);
  // pcomm: curtask->group_leader->comm, as ppid.
  TypeId processComm(const ast::BuiltinRef *b);
  // registers: (struct pt_regs *)ctx, the kernel's (lib/Sema/ProcessBuiltins.cpp).
  TypeId probeRegisters(const ast::BuiltinRef *b);
  // config: the record of the config values (lib/Sema/ConfigRecord.cpp).
  TypeId configRecord(const ast::BuiltinRef *b);
  TypeId debugfCall(const ast::CallExpr *c); // lib/Sema/Debugf.cpp
  // A tracepoint field `T name[N]` of integers T as an array (lib/Sema/TracepointFields.cpp).
  std::optional<TypeId> tracepointArray(const TracepointField &f);
  // A tracepoint field declared as a pointer (`const char *const * argv`, `u32 *`,
  // `struct sockaddr *`) as the pointer its declaration spells, its pointee from the C
  // base types or the BTF (a pointer to void when neither has it), pointing into user
  // memory in the syscalls category, as bpftrace; nullopt for other fields.
  // Whether an integer field is signed as bpftrace's C types it: the format's `signed:`
  // column, which says 0 for every syscall argument (`int dfd`, `loff_t`) and for a
  // plain char (the kernel's -funsigned-char), corrected from the C type or its typedef.
  bool fieldSigned(const TracepointField &f);
  std::optional<TypeId> tracepointPointer(const TracepointField &f, const std::string &category);
  TypeId member(const ast::FieldExpr *f, TypeId base);
  TypeId pointerCast(const ast::CastExpr *c, TypeId operand);
  // Where a pointer made from an integer points: a user-space probe's process, else the
  // kernel (a cast's, a `let $p: T *`'s).
  AddressSpace integerPointerSpace() const;
  // p + n, p - n (scaled by the pointee's size, as in C), p - q, comparisons.
  // Binary.cpp: a binary operator; `==`/`!=` also on strings, tuples and integer arrays.
  TypeId binary(const ast::BinaryExpr *b);
  bool equalityComparable(const Type &l, const Type &r);
  TypeId pointerBinary(const ast::BinaryExpr *b, TypeId lhs, TypeId rhs);
  TypeId untypedOperand(const ast::BinaryExpr *b, const Type &other);
  TypeId integerBinary(ast::BinaryOp op, bool isSigned);
  void warnSigns(const ast::BinaryExpr *b, const Type &l, const Type &r);
  TypeId derefOrAddress(const ast::UnaryExpr *u);
  TypeId mapAddress(const ast::UnaryExpr *u);
  TypeId variableAddress(const ast::UnaryExpr *u, TypeId held);
  bool holdsVariableAddress(TypeId t) const;
  // A located error where a map key or value (`what`) would keep `&$x`.
  void refuseVariableAddressIn(TypeId t, SourceRange r, const std::string &what);
  TypeId index(const ast::IndexExpr *i);
  // Whether the bytes of `place` (a member, an element, `*p`) are in the probed process's
  // memory: read through a user pointer, or part of a place that is.
  bool inProcessMemory(const ast::Expr *place);
  // The type of a value of type t read out of memory in `space`, as bpftrace gives a
  // read its container's address space: a pointer read out of a process points into
  // it, and so do those a struct or an array copied out of it holds (R.types.recordIn).
  TypeId readIn(TypeId t, AddressSpace space);
  std::string memoryName(TypeId record) const;
  TypeId enumConstant(const ast::IdentifierRef *id);
  TypeId sizeOf(const ast::SizeofExpr *s);
  TypeId offsetOf(const ast::OffsetofExpr *o);
  // A struct or union value copied whole for `use` ("print()", "a variable", "a map
  // value"): records
  // its members (SemaResult::recordMembers); false after reporting what cannot be.
  bool recordValue(TypeId record, SourceRange r, const std::string &use);
  // An array value copied whole for `use` (of integers, pointers, strings, structs, or
  // arrays of them): a struct element's members are recorded as recordValue's; false
  // after reporting an element type btc does not hold.
  bool arrayValue(TypeId array, SourceRange r, const std::string &use);
  // Whether a variable holds `record` (over 512 bytes) as the running kernel's bytes.
  bool kernelCopy(const Type &record, const std::string &use) const;
  // Whether such a copy (a struct or an array of them) fits its map value; reports it if not.
  bool kernelCopyFits(const Type &value, SourceRange r, const std::string &use);
  // Whether e lies in such a copy (`$t.se`, `$t.comm[1]`): it has no kernel address.
  bool inKernelCopy(const ast::Expr *e) const;
  // Whether a variable of type t holds it so (a struct, or an array of them, over 512 bytes).
  bool kernelCopied(TypeId t) const;
  // Whether t is a tuple ending in such a copy (`(pid, *curtask)`, a for loop's element
  // over a map of them or of such tuples), which holds it so too.
  bool kernelTuple(TypeId t) const;
  // Whether element e (of type id, kernelCopied or a kernelTuple) of tuple t may be held
  // so; reports why not.
  bool kernelTupleElement(const ast::TupleExpr *t, const ast::Expr *e, TypeId id);
  // Whether values of `t` are copied as a struct is (SemaResult::recordMembers): a struct
  // or union, or an array of them, whose compile-time layout a copy keeps.
  bool copiedAsRecord(TypeId t) const;
  // Whether e is a struct, union or array value the program holds, or a read out of one
  // (SemaResult::heldReads).
  bool heldValue(const ast::Expr *e) const;

  // ------------------------------------------ C definitions (CDefinitionsTyping.cpp)
  // A type the script's C defines (scriptOnly) or a header does; nullopt otherwise.
  std::optional<TypeId> cType(const std::string &spelling, bool scriptOnly);
  // `->`/`.` on a C record: its member at clang's offset.
  TypeId cMember(const ast::FieldExpr *f, TypeId record);
  // A member of a C record; nullopt after an error.
  std::optional<CDefinitions::Member> cMemberOf(TypeId record, const std::string &name,
                                                SourceRange r);
  // An enumerator or integer macro of the script's C; nullopt when there is none.
  std::optional<TypeId> cConstant(const ast::IdentifierRef *id);

  // ------------------------------------------ BTF-typed probes (ProbeArgs.cpp)
  // Whether `args` of this probe comes from a BTF prototype, not a tracepoint format.
  bool btfArgs() const;
  std::optional<BtfTypes::Prototype> prototypeOf(const Attachment &a, SourceRange r);
  TypeId contextSlot(const ast::Expr *e, SourceRange r, const std::string &name);
  TypeId probeArg(const ast::FieldExpr *f);
  TypeId probeRetval(const ast::BuiltinRef *b);

  // ------------------------------------------ uprobe args from DWARF (UprobeArgs.cpp)
  TypeId uprobeArg(const ast::FieldExpr *f);
  // ------------------------------------------ DWARF structs and unions (DwarfRecords.cpp)
  // A DWARF type as btc holds it; none, with `why`, for one btc cannot hold.
  std::optional<TypeId> dwarfType(const DwarfType &t, std::string &why);
  std::optional<TypeId> dwarfRecord(const DwarfType &t, std::string &why);
  std::optional<TypeId> scriptRecord(const DwarfType &t, TypeId script, std::string &why);
  // A member of a DWARF record; nullopt after an error located at r.
  std::optional<CDefinitions::Member> dwarfMemberOf(TypeId record, const std::string &name,
                                                    SourceRange r);
  std::vector<std::string> dwarfMemberNames(TypeId record);
  // Whether `record` is a C-layout record that a binary's DWARF defines.
  bool isDwarfRecord(TypeId record) const {
    return R.dwarf && R.dwarf->typeRecord(record.index());
  }
  TypeId dwarfMember(const ast::FieldExpr *f, TypeId record);
};

} // namespace bt::sema
