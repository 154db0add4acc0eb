// The door into lib/Sema: resolves names and types of a parsed script, expands
// its probes against the target (lib/Target) and rejects what
// cannot work, or is not supported yet, with located diagnostics.
#pragma once

#include "bt/Basic/Builtins.h"
#include "bt/Object/Manifest.h"
#include "bt/Object/RunSettings.h"
#include "bt/Object/Schema.h"
#include "bt/Parse/AST.h"
#include "bt/Parse/Source.h"
#include "bt/Sema/ExternalC.h"
#include "bt/Sema/Scopes.h"
#include "bt/Sema/Types.h"
#include "bt/Target/Target.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace bt {

namespace sema {
class BtfTypes;
class CDefinitions;
class DwarfParams;
}

// ----------------------------------------------------------- probe types

// ProbeType and probeTypeName: the probe-kind table (include/bt/Basic/ProbeKinds.def).

// ------------------------------------------------------------- the analysis

// One program to emit: a probe's attach point after wildcard expansion.
struct Attachment {
  const ast::AttachPoint *attachPoint = nullptr; // the one it was expanded from
  std::string probeName;  // "tracepoint:syscalls:sys_enter_read" (canonical)
  std::string section;    // libbpf-convention ELF section
  std::string funcName;   // value of the `func` builtin ("" when none)
  // Target fields, as docs/OBJECT.md describes per probe type.
  std::string category, name;       // tracepoint; rawtracepoint uses name
  std::string path, symbol;         // uprobe/uretprobe/usdt; kprobe/fentry use symbol
  std::string module;               // kprobe:MODULE:fn: the kernel module of `symbol`;
                                    // rawtracepoint:MODULE:event: the module named
  // fentry/fexit:bpf[:ID]:NAME: `symbol` names a function of a BPF program running on the
  // run host (of program ID when given), which btrun finds there.
  bool onBpfProgram = false;
  std::optional<uint64_t> bpfProgramId;
  std::string provider;             // usdt ("" when the attach point leaves it out)
  uint64_t offset = 0;              // uprobe/kprobe offset
  std::optional<uint64_t> address;  // kprobe:0xADDR
  uint64_t periodNs = 0, frequencyHz = 0; // interval/profile
  std::string eventName;                  // software: canonical perf event name
  uint64_t eventConfig = 0, sampleCount = 0; // software/hardware: PERF_COUNT_*, events per run
  uint64_t watchLength = 0;               // watchpoint: bytes watched at `address`
  std::string watchMode;                  // watchpoint: "rw", "w", "x", ...
  // watchpoint:FN+argN: the argument N of function `symbol` holds the address, which a
  // uprobe on FN sends to btrun when FN runs (instead of `address`).
  std::optional<unsigned> watchArgument;
  // bpftrace 0.17's `probe` there names the traced process's binary, known only to btrun
  // (`watchpoint:./prog:increment:4:w`): the text before and after it.
  std::optional<std::pair<std::string, std::string>> probeNameAroundBinary;
  std::string pin; // iter: the bpffs file btrun pins the iterator at ("": walk it once)
  std::vector<TracepointField> fields; // tracepoint args
  std::string unknownFields;           // why args past `fields` are unknown, or ""
};

// The bytes of a `probe` text around the traced process's binary: before and after, room
// for the binary's path, a NUL; a longer path is cut (btrun writes what fits).
inline uint32_t tracedBinaryNameSize(const std::pair<std::string, std::string> &around) {
  constexpr size_t kBinaryRoom = 256;
  return static_cast<uint32_t>(around.first.size() + around.second.size() + kBinaryRoom + 1);
}

// One level of a kernel variable's type, outermost first, as an object's typed __ksym
// repeats it for libbpf to match the variable (percpu_kaddr): libbpf compares kinds,
// integers of any width alike, records by kind alone.
struct KsymShape {
  enum class Kind { Void, Int, Struct, Union, Enum, Pointer, Array } kind = Kind::Void;
  std::string name;  // records and enums
  uint64_t size = 0; // records and enums: bytes; arrays: elements
};

struct ProbeInfo {
  const ast::Probe *probe = nullptr;
  ProbeType type = ProbeType::Begin;
  std::string text; // attach points as written, comma-separated
  std::vector<Attachment> attachments;
  ScopeId scope = 0; // holds the probe's variables
};

// What the probes of `program` attach to on the target, wildcards expanded, each probe
// name once, sorted: `btc -l PATTERN` (as `bpftrace -l`). Nullopt after an error.
std::optional<std::vector<Attachment>> listAttachments(const ast::Program &program,
                                                       const TargetInfo &target,
                                                       DiagnosticEngine &diags);

struct MapInfo {
  std::string name;           // "@c"
  std::vector<TypeId> keys;   // empty: keyless
  bool keysKnown = false;     // a keyed or keyless use has been seen
  TypeId value;               // Int/String for plain maps; Aggregation otherwise
  AggKind agg = AggKind::None;
  int64_t lhistMin = 0, lhistMax = 0, lhistStep = 0;
  // hist(v, k): 2^k buckets per power of two (upstream's second argument); -1: none seen yet.
  int histBits = -1;
  // tseries(v, interval, intervals[, agg]): nanoseconds per interval, intervals kept,
  // and how values within one interval combine ("" keeps the last, as upstream).
  int64_t tseriesIntervalNs = 0, tseriesIntervals = 0;
  std::string tseriesAgg;
  SourceRange firstUse;
  // `let @m = lruhash(N)`: the map evicts its least recently used key when full,
  // and holds at most `maxKeys` (0: the default).
  bool lru = false;
  uint64_t maxKeys = 0;
};

// on_stack_limit's default, upstream's: a probe holding many strings at once (keys,
// printf arguments, tuples) keeps them in bt_scratch, as LLVM's packing of the
// statements' stack slots passes the 512-byte stack with a dozen of them on it.
constexpr unsigned kDefaultOnStackLimit = 32;
// The most on_stack_limit takes: two values of that size fill the BPF stack.
constexpr unsigned kMaxOnStackLimit = 256;
constexpr unsigned kDefaultStrlen = 64; // bpftrace 0.17's max_strlen
// Settings a script's `config = { ... }` block and btc's options both fill; an
// option wins over the block, as bpftrace's BPFTRACE_* environment does.
struct SemaOptions {
  unsigned strlen = kDefaultStrlen; // max_strlen: every string value's size
  // The script's name as btc was given it, then each imported file's (SourceLoc::file
  // indexes them): the `file` builtin's values.
  std::vector<std::string> sourceNames;
  std::string sourceName(uint32_t file) const {
    return file < sourceNames.size() ? sourceNames[file] : "stdin";
  }
  std::string btfFile;   // btc --btf FILE: the kernel types, instead of the target's BTF
  // Keys a script map holds (BPF max_entries) unless a declaration sizes it; none:
  // bpftrace's default, 4096. btc --max-map-keys sets it, `config = { max_map_keys
  // = N }` when the option does not.
  std::optional<unsigned> maxMapKeys;
  std::vector<std::string> includeDirs; // btc -I DIR: searched first by #include
  // btc --kernel-source/--kernel-build DIR: the target kernel's header tree for
  // #include; empty: /lib/modules/<the target's release>/{source,build}.
  std::string kernelSource, kernelBuild;
  // `config = { missing_probes = ... }`: an attach point the target lacks is an error,
  // or left out with a warning or silently (btrun does the same on the run host).
  obj::MissingProbes missingProbes = obj::MissingProbes::Error;
  // `config = { stack_mode = ... }`: the layout of kstack/ustack without a mode.
  obj::StackMode stackMode = obj::StackMode::Bpftrace;
  // on_stack_limit: a value or temporary over this many bytes is in bt_scratch, a
  // per-CPU array, instead of the 512-byte BPF stack.
  unsigned onStackLimit = kDefaultOnStackLimit;
  std::string license = "GPL"; // license: the object's license section
  std::optional<unsigned> maxBpfProgs; // max_bpf_progs: btc refuses to make more
  obj::RunSettings run; // the run-time keys, for the manifest
  // btc SCRIPT ARG...: $N, str($N) and $# are these arguments, compiled in as constants
  // (bpftrace's way, so unroll($1) and fail("%d", $1) take them); nullopt: btrun's
  // arguments at run time (PositionalParams).
  std::optional<std::vector<std::string>> positionalArgs;
  // Keys (canonical names) btc's options or BPFTRACE_* variables set: they win over
  // the script's config block, whose value for one is checked but not applied.
  std::set<std::string> fixedKeys;
  // `config = { unstable_tseries = error }` (or false, 0): the feature gates of
  // bpftrace's a script switched off; a use of the feature is then a located error.
  // unstable_import_statement and unstable_typeinfo start off: upstream defaults them to error.
  std::set<std::string> unstableRefused{"unstable_import_statement", "unstable_typeinfo"};
  // The functions of the BPF C sources the script imports, compiled (null: none).
  std::shared_ptr<const ExternalC> externalC;
  std::optional<std::string> refusedUnstable(const std::string &gate) const {
    if (!unstableRefused.count(gate))
      return std::nullopt;
    return "this is an unstable feature of bpftrace's, switched off by the config (" + gate +
           " = error); set " + gate + " = enable to use it";
  }
};
// bpftrace's config keys btc takes as options (--max-strlen) and from the
// environment (BPFTRACE_MAX_STRLEN, and 0.17's spelling such as BPFTRACE_STRLEN).
struct ConfigKeyInfo {
  const char *key;       // canonical: max_strlen
  const char *legacyEnv; // bpftrace 0.17's variable when it differs, or nullptr
  const char *help;
};
const std::vector<ConfigKeyInfo> &configKeys();
/// Sets config key `key` (any spelling) to `value` in `options`; the error, if any,
/// says why it cannot be (refused, unknown, or a bad value).
std::optional<std::string> setConfigKey(SemaOptions &options, const std::string &key,
                                        const std::string &value);
// Keys a map holds when nothing says otherwise (bpftrace's default).
constexpr unsigned kDefaultMaxMapKeys = 4096;

// A member of a kernel struct or union the script reads (e->f, e.f): Lower makes
// every one a CO-RE relocation against `record`, which names it and its offset.
struct MemberAccess {
  TypeId record; // a Btf record (CO-RE) or a C record of the script (its offsets)
  std::string name;
  unsigned bitOffset = 0, bitfieldSize = 0; // in the compile-time BTF
  TypeId type;
};
// The largest --max-map-keys / max_map_keys btc accepts.
constexpr unsigned kMaxMapKeysLimit = 1u << 24;

// Positional parameters the script reads. btrun supplies them at run time (its
// arguments after the object): `$N` as an integer, `str($N)` as a string, `$#`.
// Empty when btc was given the arguments (SemaOptions::positionalArgs).
struct PositionalParams {
  std::set<int> asInt, asString;
  bool count = false;
  bool readFixed = false; // the script read btc's arguments (SemaOptions::positionalArgs)
};

// A named parameter the script reads with getopt(name[, default]): btrun takes its
// value from `-- --name=value` (`--name`: a bool's true), else the default.
struct NamedParam {
  obj::ParamType type = obj::ParamType::Bool; // getopt(name) alone: a bool, false
  std::string defaultValue = "false";          // as btrun reads a given value
  std::string description;                     // getopt's third argument: btrun OBJ --help
};

struct SemaResult {
  std::vector<ProbeInfo> probes;      // script order
  // A probe of several kinds is typed as a copy per kind (lib/Sema/ProbesMixed.cpp);
  // their ProbeInfos point here. Shared, so that a copy of the analysis (lib/Sema/
  // UserFunctions.cpp checks uncalled functions in one) points at the same probes.
  std::vector<std::shared_ptr<const ast::Probe>> probeCopies;
  std::vector<MapInfo> maps;          // order of first appearance
  PositionalParams params;
  std::map<std::string, NamedParam> namedParams;
  bool usesChildPid = false; // cpid: the pid of btrun's -c command, known before BEGIN
  bool usesHasChildPid = false; // has_cpid: the same slot, 0 when btrun runs no command
  bool usesPidNamespace = false; // pid(curr_ns), tid(curr_ns): btrun writes its pid namespace
  bool usesTaiDelta = false; // nsecs(sw_tai): btrun writes CLOCK_TAI - CLOCK_BOOTTIME
  bool usesNcpus = false;    // ncpus: the run host's possible CPUs, which btrun writes
  // cgroupid(path): the paths whose cgroup ids btrun resolves on the run host.
  std::set<std::string> cgroupPaths;
  // kfunc_allowed(name): (name, the section prefix of the probe's kind), each a .bss
  // slot btrun fills on the run host.
  std::set<std::pair<std::string, std::string>> kfuncAllowed;
  // `probe` of attachments whose name holds the traced process's binary (before, after):
  // each a .bss string slot btrun fills once it knows that binary.
  std::set<std::pair<std::string, std::string>> tracedBinaryNames;
  // The probes that read `probe` in a watchpoint on a pattern's functions: each match
  // is armed apart and named by its row of the table btrun fills (WatchMatchNames), as
  // bpftrace 0.17 compiles each match apart where `probe` is read.
  std::set<const ast::Probe *> watchMatchProbes;
  // len() of a stack held in a variable or map: every kstack/ustack value carries its
  // frame count in its top 8 bits (lib/Lower/Stack.cpp, docs/OBJECT.md).
  bool stackFrameCounts = false;
  bool usesSyscallNames = false; // syscall_name(): the manifest carries the arch's table
  // printf's symbolic conversions (lib/Sema/Symbolic.cpp): each enum printed with %s, by
  // its name ("enum pid_type"), and "%gr" (the target's GFP flags), with the names btrun
  // prints for their values.
  std::map<std::string, std::vector<obj::Symbol>> symbols;
  // The enums the script's C defines whose values the script holds (a constant, a cast,
  // a member), by name; their names are in `symbols`. Such a value prints by its
  // enumerator's name in print(), map keys and values, tuples and records, as upstream
  // prints it (lib/Lower/ManifestWriter.cpp; kernel enums print as numbers).
  std::set<std::string> scriptEnums;
  // uaddr("sym"): the symbol's address in the probed binary, read at compile time.
  std::unordered_map<const ast::CallExpr *, uint64_t> userAddresses;
  // Interning is no change of meaning: Lower, which sees the analysis as const,
  // may intern the types it makes (a string literal's, a helper's result).
  mutable TypeTable types;
  std::unordered_map<const ast::Expr *, TypeId> exprTypes;
  // Builtins and calls resolved to their table rows (include/bt/Basic/*.def), once,
  // by the typer: later stages switch on the id.
  std::unordered_map<const ast::BuiltinRef *, BuiltinUse> builtins;
  std::unordered_map<const ast::CallExpr *, FunctionId> functions;
  // Calls of a function an imported BPF C source defines (options.externalC).
  std::unordered_map<const ast::CallExpr *, const ExternalCFunction *> externalCalls;
  ScopeTree scopes;
  std::unordered_map<const ast::StmtList *, ScopeId> blockScopes;
  // The declaration each `let` made.
  std::unordered_map<const ast::VarDeclStmt *, DeclId> letDeclarations;
  // The declaration each variable reference binds to.
  std::unordered_map<const ast::VariableRef *, DeclId> bindings;
  // args->field: the probe that reads it (a macro's body lies outside the probe's text,
  // perhaps in another file, so its place cannot tell) and the field's index in each of
  // that probe's attachments' fields.
  struct TracepointFieldRead {
    const ast::Probe *probe = nullptr;
    std::vector<unsigned> fields;
  };
  std::unordered_map<const ast::FieldExpr *, TracepointFieldRead> tracepointFields;
  // args.name of tp_btf/rawtracepoint/fentry/fexit and fexit's retval
  // (lib/Sema/ProbeArgs.cpp): the u64 slot of the context each attachment reads;
  // kFuncRetSlot for fexit:bpf's retval, which bpf_get_func_ret reads.
  std::unordered_map<const ast::Expr *, std::vector<unsigned>> contextSlots;
  static constexpr unsigned kFuncRetSlot = ~0u;
  // args.name of uprobes (lib/Sema/UprobeArgs.cpp): the argN (a register, or a stack word
  // past them) each attachment reads the parameter from at the function's entry.
  std::unordered_map<const ast::Expr *, std::vector<unsigned>> uprobeArgs;
  // The build id of each binary whose DWARF typed a uprobe's args: btrun refuses a file with another, where the parameters may differ.
  std::map<std::string, std::string> uprobeBuildIds;
  // The binaries' DWARF, read as uprobe args need it.
  std::shared_ptr<sema::DwarfParams> dwarf;
  // Kernel-type accesses (lib/Sema/Member.cpp): members read, and values Sema
  // knows (enum constants, sizeof, offsetof).
  std::unordered_map<const ast::FieldExpr *, MemberAccess> members;
  // Every member of each struct or union whose whole value the script copies
  // (print(), a variable, a map value), by the TypeId index of the record as declared
  // (TypeTable::declared), in declaration order
  // (anonymous structs' and unions' members in their place), nested records too.
  std::unordered_map<uint32_t, std::vector<MemberAccess>> recordMembers;
  // Where each of those is first copied (its members' errors point there).
  std::unordered_map<uint32_t, SourceRange> recordCopySites;
  // Members and elements read out of a struct or union value the program holds (a
  // variable's or a map's, or a member of one): bytes laid out at the compile-time
  // offsets by the copy, read without CO-RE or a helper (lib/Sema/MemberCopies.cpp).
  std::set<const ast::Expr *> heldReads;
  // `$t[N]` of a tuple: N, folded at compile time (upstream bpftrace's tuple indexing).
  std::map<const ast::IndexExpr *, size_t> tupleIndices;
  // sizeof of a kernel struct or union and offsetof through kernel records, which
  // Lower relocates (CO-RE type size, field byte offset); `constants` has the
  // compile-time values.
  std::unordered_map<const ast::SizeofExpr *, TypeId> kernelSizes;
  std::unordered_map<const ast::OffsetofExpr *, std::vector<MemberAccess>> kernelOffsets;
  std::unordered_map<const ast::Expr *, int64_t> constants;
  // Each `if comptime`'s condition, folded: only that branch is typed and lowered.
  std::unordered_map<const ast::IfStmt *, bool> comptimeBranches;
  // Builtins that are script expressions over kernel types (ppid is
  // curtask->real_parent->tgid): the expression Sema built and typed for each use.
  std::unordered_map<const ast::Expr *, std::shared_ptr<const ast::Expr>> expansions;
  // The target's BTF, parsed only when a script names a kernel type.
  std::shared_ptr<sema::BtfTypes> btf;
  // percpu_kaddr's kernel variables by name, each type's shape (lib/Sema/NetFunctions3.cpp).
  std::map<std::string, std::vector<KsymShape>> percpuVariables;
  // The script's C definitions and #include, parsed by libclang (lib/Sema/CDefinitions.h);
  // null when the script has none.
  std::shared_ptr<sema::CDefinitions> cdefs;
  SemaOptions options;
  Arch arch; // the target's: where Lower finds probe arguments
  std::string targetName; // how messages name it (TargetInfo::name)

  TypeId typeOf(const ast::Expr *e) const;
  BuiltinUse builtinOf(const ast::BuiltinRef *b) const;
  FunctionId functionOf(const ast::CallExpr *c) const;
  // Whether `e`, already typed, takes a kernel or user stack where it stands (kstack,
  // ustack(perf, 3), in any spelling), rather than reading one held.
  bool takesStack(const ast::Expr *e) const;
  const Declaration &declarationOf(const ast::VariableRef *v) const;
  DeclId declarationIdOf(const ast::VariableRef *v) const;
  const TracepointField &fieldOf(const ast::FieldExpr *f, const ProbeInfo &probe,
                                 size_t attachment) const;
  const MapInfo *map(const std::string &name) const;
};

std::optional<SemaResult> analyze(const ast::Program &program,
                                  const TargetInfo &target,
                                  const SemaOptions &options,
                                  DiagnosticEngine &diags);

} // namespace bt
