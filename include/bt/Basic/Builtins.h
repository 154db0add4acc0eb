// The door into lib/Basic: the tables of probe kinds, builtins and functions
// (ProbeKinds.def, Builtins.def, Functions.def), which the parser, Sema and Lower all
// read. A name is resolved to its id once (Sema); later stages switch on the id.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string_view>

namespace bt {

// ----------------------------------------------------------------- probe kinds

enum class ProbeType {
#define PROBE_KIND(Id, Name, Shape, Section, Order, Needs) Id,
#include "bt/Basic/ProbeKinds.def"
};

enum class AttachOrder { Unattached, Script, Reversed, ByEvent };

struct ProbeKindInfo {
  ProbeType type;
  const char *name;    // canonical: "tracepoint", "uprobe", ...
  const char *shape;   // "kprobe:function"
  const char *section; // libbpf section prefix
  AttachOrder order;
  const char *needs;   // kernel support beyond BPF ("" when none)
};

const ProbeKindInfo &probeKind(ProbeType t);
inline const char *probeTypeName(ProbeType t) { return probeKind(t).name; }
// BEGIN, END, self, test and bench: no attach point; btrun runs them itself
// (BPF_PROG_TEST_RUN).
inline bool runsInBtrun(ProbeType t) { return probeKind(t).order == AttachOrder::Unattached; }
// test and bench: run only under btrun --test / --bench, left out of every other run.
inline bool runsOnlyInTestMode(ProbeType t) { return t == ProbeType::Test || t == ProbeType::Bench; }
// The `probetype` builtin's value: the kind's name, "special" for BEGIN, END and self
// (upstream's "special" probes) and "benchmark" for bench, as upstream names it.
inline const char *probetypeValue(ProbeType t) {
  if (t == ProbeType::Bench)
    return "benchmark";
  return runsInBtrun(t) && t != ProbeType::Test ? "special" : probeTypeName(t);
}

// The kind a provider spelling in an attach point names, if any.
std::optional<ProbeType> lookupProbeKind(std::string_view provider);

// A set of probe kinds.
using ProbeTypeMask = uint32_t;
constexpr ProbeTypeMask maskOf(ProbeType t) { return ProbeTypeMask(1) << unsigned(t); }
namespace probes {
constexpr ProbeTypeMask None = 0, Any = ~ProbeTypeMask(0);
#define PROBE_KIND(Id, Name, Shape, Section, Order, Needs) \
  constexpr ProbeTypeMask Id = maskOf(ProbeType::Id);
#include "bt/Basic/ProbeKinds.def"
} // namespace probes

// -------------------------------------------------------------------- builtins

enum class BuiltinId {
#define BUILTIN(Id, Spelling, Result, Probes, NotYetIn, NotYetReason) Id,
#define BUILTIN_FAMILY(Id, Prefix, Count, Result, Probes, NotYetIn, NotYetReason) Id,
#define BUILTIN_NOT_YET(Id, Spelling, Reason) Id,
#define BUILTIN_FAMILY_NOT_YET(Id, Prefix, Count) Id,
#include "bt/Basic/Builtins.def"
};

// How Sema types a builtin.
enum class BuiltinResult {
  U64, Comm, KernelStack, UserStack, ProbeName, FuncName, TracepointArgs, CurrentTask, ParentPid,
  UserName, ProcessComm, ProbeTypeName, SourceFile, ConfigValues, ProbeRegisters, Unknown
};

struct BuiltinInfo {
  BuiltinId id;
  const char *spelling; // the prefix of a family
  unsigned familySize;  // 0: a single builtin; N: spelling0 .. spelling<N-1>
  BuiltinResult result;
  ProbeTypeMask probes, notYetIn;
  const char *notYetReason;
  bool supported;
};

// A builtin as used: its id and, in a family, the index (arg3: 3).
struct BuiltinUse {
  BuiltinId id;
  unsigned index = 0;
};

// Another spelling of a builtin's row (BUILTIN_ALIAS).
struct BuiltinAlias {
  BuiltinId id;
  const char *spelling;
};

const BuiltinInfo &builtinInfo(BuiltinId id);
// The builtin `name` spells (a row's spelling or an alias), or nullopt (also for arg10:
// past the family).
std::optional<BuiltinUse> lookupBuiltin(std::string_view name);
// Whether the parser reads `name` as a builtin: a row's spelling or an alias, or a
// family's prefix and one to three digits (so arg10 is a builtin that Sema calls unknown).
bool isBuiltinSpelling(std::string_view name);

// ------------------------------------------------------------------- functions

enum class FunctionId {
#define FUNCTION(Id, Spelling, MinArgs, MaxArgs, Arguments, Kind, Usage, Check, Lower) Id,
#define AGGREGATION(Id, Spelling, MinArgs, MaxArgs, Arguments, Usage) Id,
#define FUNCTION_NOT_YET(Id, Spelling) Id,
#include "bt/Basic/Functions.def"
};

enum class FunctionKind { Statement, Value, Aggregation };
constexpr unsigned kVariadic = ~0u;

struct FunctionInfo {
  FunctionId id;
  const char *spelling;
  unsigned minArgs, maxArgs;
  const char *arguments; // the argument kinds, as the docs print them
  FunctionKind kind;
  const char *usage;     // the error for a wrong number of arguments ("": generated);
                         // in a row not supported, why ("": not yet)
  bool supported;
};

// Another spelling of a function's row (FUNCTION_ALIAS).
struct FunctionAlias {
  FunctionId id;
  const char *spelling;
};

const FunctionInfo &functionInfo(FunctionId id);
// The function `name` spells: a row's spelling or an alias.
std::optional<FunctionId> lookupFunction(std::string_view name);

// --------------------------------------------------------------------- listing

// Iteration over the tables, in row order (btc --list-builtins, tests).
struct ProbeKindSpelling {
  ProbeType type;
  const char *spelling;
};
template <typename T> struct TableView {
  const T *first;
  size_t size;
  const T *begin() const { return first; }
  const T *end() const { return first + size; }
};
TableView<ProbeKindInfo> allProbeKinds();
TableView<ProbeKindSpelling> allProbeKindSpellings();
TableView<BuiltinInfo> allBuiltins();
TableView<BuiltinAlias> allBuiltinAliases();
TableView<FunctionInfo> allFunctions();
TableView<FunctionAlias> allFunctionAliases();

// The tables, one row a line, for `btc --list-builtins` (test/lit/btc/builtin-docs.test
// checks the docs against it):
//   probe-kind NAME supported SPELLING... | probe-kind SPELLING not-supported-yet
//   builtin NAME supported|not-supported-yet         (a family: arg0..arg9)
//   builtin-alias ALIAS NAME
//   function NAME supported|not-supported-yet [ARGUMENTS]
//   function-alias ALIAS NAME
void printTables(std::ostream &os);

} // namespace bt
