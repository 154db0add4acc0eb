// The door into lib/Sema: resolves names and types of a parsed script, expands
// its probes against the target (lib/Target) and rejects what
// cannot work, or is not supported yet, with located diagnostics.
#pragma once

#include "bt/Basic/Builtins.h"
#include "bt/Parse/AST.h"
#include "bt/Parse/Source.h"
#include "bt/Target/Target.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace bt {

// ---------------------------------------------------------------------- types

enum class TypeKind {
  None, Int, String, Tuple, TracepointArgs, Aggregation, KernelStack, KernelSymbol, Timestamp
};

enum class AggKind { None, Count, Sum, Min, Max, Avg, Stats, Hist, Lhist };
const char *aggName(AggKind k);

struct Type {
  TypeKind kind = TypeKind::None;
  unsigned size = 0;     // Int: 1, 2, 4 or 8; String: buffer bytes incl. NUL
  bool isSigned = false; // Int
  std::vector<Type> elems; // Tuple
  AggKind agg = AggKind::None; // Aggregation: the value of count(), hist(), ...
  // KernelStack: `size` is the frame limit; printed in perf's layout or bpftrace's.
  bool perfMode = false;
  std::string timeFormat; // Timestamp: strftime's format

  static Type none() { return {}; }
  static Type integer(unsigned size, bool isSigned) {
    Type t; t.kind = TypeKind::Int; t.size = size; t.isSigned = isSigned; return t;
  }
  static Type string(unsigned size) {
    Type t; t.kind = TypeKind::String; t.size = size; return t;
  }
  static Type aggregation(AggKind a) {
    Type t; t.kind = TypeKind::Aggregation; t.agg = a; return t;
  }
  static Type kernelStack(unsigned limit, bool perfMode) {
    Type t; t.kind = TypeKind::KernelStack; t.size = limit; t.perfMode = perfMode; return t;
  }
  bool isInt() const { return kind == TypeKind::Int; }
  bool isString() const { return kind == TypeKind::String; }
  bool isNone() const { return kind == TypeKind::None; }
  bool isKernelStack() const { return kind == TypeKind::KernelStack; }
  // ksym(addr): an address printed as the kernel symbol it lies in.
  static Type kernelSymbol() {
    Type t; t.kind = TypeKind::KernelSymbol; t.size = 8; return t;
  }
  bool isKernelSymbol() const { return kind == TypeKind::KernelSymbol; }
  // strftime(fmt, ns): nanoseconds of bpf_ktime_get_ns printed as wall-clock time.
  static Type timestamp(std::string format) {
    Type t; t.kind = TypeKind::Timestamp; t.size = 8; t.timeFormat = std::move(format); return t;
  }
  bool isTimestamp() const { return kind == TypeKind::Timestamp; }
  // Values btrun turns into text with what the host knows (stack frames and symbols
  // from kallsyms, the wall clock): map keys and printf %s arguments only.
  bool isHostText() const { return isKernelStack() || isKernelSymbol() || isTimestamp(); }
  std::string str() const;
};
bool operator==(const Type &a, const Type &b);
inline bool operator!=(const Type &a, const Type &b) { return !(a == b); }

// ----------------------------------------------------------- probe types

// ProbeType and probeTypeName: the probe-kind table (include/bt/Basic/ProbeKinds.def).

// ------------------------------------------------------------- the analysis

// One program to emit: a probe's attach point after wildcard expansion.
struct Attachment {
  std::string probeName;  // "tracepoint:syscalls:sys_enter_read" (canonical)
  std::string section;    // libbpf-convention ELF section
  std::string funcName;   // value of the `func` builtin ("" when none)
  // Target fields, as docs/OBJECT.md describes per probe type.
  std::string category, name;       // tracepoint; rawtracepoint uses name
  std::string path, symbol;         // uprobe/uretprobe/usdt; kprobe/fentry use symbol
  std::string provider;             // usdt ("" when the attach point leaves it out)
  uint64_t offset = 0;              // uprobe/kprobe offset
  uint64_t periodNs = 0, frequencyHz = 0; // interval/profile
  std::string eventName;                  // software: canonical perf event name
  uint64_t eventConfig = 0, sampleCount = 0; // software: PERF_COUNT_SW_*, events per run
  std::vector<TracepointField> fields; // tracepoint args
};

struct ProbeInfo {
  const ast::Probe *probe = nullptr;
  ProbeType type = ProbeType::Begin;
  std::string text; // attach points as written, comma-separated
  std::vector<Attachment> attachments;
};

struct MapInfo {
  std::string name;           // "@c"
  std::vector<Type> keys;     // empty: keyless
  bool keysKnown = false;     // a keyed or keyless use has been seen
  Type value;                 // Int/String for plain maps; Aggregation otherwise
  AggKind agg = AggKind::None;
  int64_t lhistMin = 0, lhistMax = 0, lhistStep = 0;
  SourceRange firstUse;
};

struct SemaOptions {
  unsigned strlen = 64;  // bpftrace's default string buffer size
};

// Positional parameters the script reads. btrun supplies them at run time (its
// arguments after the object): `$N` as an integer, `str($N)` as a string, `$#`.
struct PositionalParams {
  std::set<int> asInt, asString;
  bool count = false;
};

struct SemaResult {
  std::vector<ProbeInfo> probes;      // script order
  std::vector<MapInfo> maps;          // order of first appearance
  PositionalParams params;
  bool usesChildPid = false; // cpid: the pid of btrun's -c command, known before BEGIN
  bool usesNcpus = false;    // ncpus: the run host's possible CPUs, which btrun writes
  std::unordered_map<const ast::Expr *, Type> exprTypes;
  // Builtins and calls resolved to their table rows (include/bt/Basic/*.def), once,
  // by the typer: later stages switch on the id.
  std::unordered_map<const ast::BuiltinRef *, BuiltinUse> builtins;
  std::unordered_map<const ast::CallExpr *, FunctionId> functions;
  // Variable types, per probe (index into probes).
  std::vector<std::map<std::string, Type>> varTypes;
  SemaOptions options;
  Arch arch; // the target's: where Lower finds probe arguments

  const Type &typeOf(const ast::Expr *e) const;
  BuiltinUse builtinOf(const ast::BuiltinRef *b) const;
  FunctionId functionOf(const ast::CallExpr *c) const;
  const MapInfo *map(const std::string &name) const;
};

std::optional<SemaResult> analyze(const ast::Program &program,
                                  const TargetInfo &target,
                                  const SemaOptions &options,
                                  DiagnosticEngine &diags);

} // namespace bt
