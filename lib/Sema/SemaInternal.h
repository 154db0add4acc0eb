// Private to lib/Sema.
#pragma once

#include "bt/Sema/Sema.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace bt::sema {

// n rounded up to a multiple of `to`: C's layout of a struct's members and its size.
inline unsigned roundUp(unsigned n, unsigned to) { return (n + to - 1) / to * to; }

// C's base types ("unsigned long", "char": signed, as clang's x86 and bpftrace take it)
// and bpftrace's fixed-width names ("uint32"), known without BTF: bytes and signedness.
std::optional<std::pair<unsigned, bool>> cBaseType(const std::string &name);

// A number in an attach point (decimal, 0x hex or 0 octal, as strtoull reads it), starting
// with a digit: no sign, no blanks. Nothing when it is not one whole number.
std::optional<uint64_t> parseNumber(const std::string &s);
// parseNumber, or an integer in scientific form (1e6) or with separators (1_000), as a
// probe's count or rate.
std::optional<uint64_t> parseCount(const std::string &s);

// Under `missing_probes = warn|ignore` an attach point the target lacks is left out (a
// probe may end with no attachments: the caller leaves it out) instead of an error.
bool expandProbe(const ast::Probe &probe, const TargetInfo &target,
                 DiagnosticEngine &diags, ProbeInfo &out,
                 obj::MissingProbes missing = obj::MissingProbes::Error);

// A probe's attach points grouped by kind, in order of first appearance (ProbesMixed.cpp),
// a pattern in the probe type ('t*point:sched:sched_switch') replaced by the attach points
// of the probe types it matches, as upstream; one that fits none is reported and left out.
std::vector<std::vector<ast::AttachPoint>> attachPointsByKind(const ast::Probe &probe,
                                                              const TargetInfo &target,
                                                              DiagnosticEngine &diags);
// The probes Sema types for `probe`: itself when its attach points are of one kind, else
// a copy per kind, owned by `result`.
std::vector<const ast::Probe *> probesByKind(const ast::Probe &probe, const TargetInfo &target,
                                             SemaResult &result, DiagnosticEngine &diags);

// An attach point the target lacks: an error, a warning that it is left out, or
// nothing, as `missing_probes` says. True when compiling goes on without it.
bool reportMissing(DiagnosticEngine &diags, obj::MissingProbes missing, SourceRange range,
                   const std::string &message);

// Function attach points (ProbeFunctions.cpp): uprobe/uretprobe, and kprobe/kretprobe/
// fentry/fexit; wildcards expanded, one attachment per match. False after an error.
// The regular files a path with wildcards ("/usr/lib/*/libc.so.6") matches, sorted (glob).
OrError<std::vector<std::string>> matchingPaths(const std::string &pattern,
                                                const TargetInfo &target);
// `uprobe:*:fn`, `usdt:*:probe`: upstream's "every binary a running process maps" (of
// -p's process, else of all), known only on the run host: reported, true, when `ap`
// names one. (`uprobe::fn`, -p's binary, is ProcessProbes.h's.)
bool refusedEveryProcess(const ast::AttachPoint &ap, const char *kind, DiagnosticEngine &diags);
bool expandUprobe(const ast::AttachPoint &ap, ProbeType type, const TargetInfo &target,
                  DiagnosticEngine &diags, std::vector<Attachment> &out,
                  obj::MissingProbes missing);
bool expandKernelFunction(const ast::AttachPoint &ap, ProbeType type, const TargetInfo &target,
                          DiagnosticEngine &diags, std::vector<Attachment> &out,
                          obj::MissingProbes missing);
class BtfTypes;
// fentry/fexit on a kernel function the kernel refuses to attach to (BtfTypes::
// untraceable): an error where the attach point names it, else (a wildcard matched it)
// left out with a warning. A function the target's BTF lacks (and none of its modules
// has) is missing, as `missing` says. False after an error.
bool checkTracingTargets(ProbeInfo &pi, const TargetInfo &target, BtfTypes &btf,
                         DiagnosticEngine &diags, obj::MissingProbes missing);
// kretprobes on the kernel's spin-lock functions (BannedProbes.cpp), which bpftrace
// refuses: an error at the attach point that names or matches one. False after an error.
bool checkBannedKretprobes(const ProbeInfo &pi, DiagnosticEngine &diags);
// Why bpftrace never traces the kernel function `function` (rcu_*, the idle loop: they
// stall the system), "" when it does (BannedProbes.cpp).
std::string untraceableByBpftrace(const std::string &function);
// Removes such functions from `functions`; how many it removed.
size_t dropUntraceableByBpftrace(std::vector<std::string> &functions);
// The target (of several, the member) whose kprobe blacklist names `function`, "" when
// none does: upstream leaves those out of the functions kprobes trace (BannedProbes.cpp).
std::string kprobeBlacklistedOn(const TargetInfo &target, const std::string &function);
// Removes the functions a kprobe or kretprobe (`type`) cannot attach to for the target's
// blacklist; how many it removed. Other probe types keep all.
size_t dropKprobeBlacklisted(ProbeType type, const TargetInfo &target,
                             std::vector<std::string> &functions);
// Perf-event and iterator attach points (ProbesPerf.cpp): hardware counters,
// watchpoints on an address, BPF iterators. False after an error.
bool expandHardware(const ast::AttachPoint &ap, DiagnosticEngine &diags,
                    std::vector<Attachment> &out);
// Hardware event names and aliases, as btc -l lists them.
std::vector<std::string> hardwareEventNames();
bool expandWatchpoint(const ast::AttachPoint &ap, ProbeType type, const Arch &arch,
                      DiagnosticEngine &diags,
                      std::vector<Attachment> &out);
bool expandIter(const ast::AttachPoint &ap, DiagnosticEngine &diags, std::vector<Attachment> &out);
// The optional count of `software:EVENT[:N]` and `hardware:EVENT[:N]` (the event's
// default without one) and the probe's name with it. False after an error.
bool perfEventCount(const ast::AttachPoint &ap, ProbeType type, uint64_t defaultCount,
                    DiagnosticEngine &diags, Attachment &a);
// bpftrace's rules for iterators over the expanded probes: one iter attach point in a
// script, beside BEGIN and END only, on an iterator the target's BTF has.
void checkIterProbes(SemaResult &result, DiagnosticEngine &diags);

// Checks that a format (printf, time) is text the manifest can carry: valid UTF-8.
bool checkFormatText(const std::string &format, SourceRange range, DiagnosticEngine &diags);
// An integer of an enum's type, the kernel's or the script's (printf's %s prints its
// enumerator's name).
bool isEnum(const Type &t);

// The type upstream bpftrace gives an integer literal (`-1`, `300`): the smallest
// unsigned one that holds it, a signed one when it is negative; nullopt for other
// expressions (Let.cpp).
struct LiteralType {
  unsigned bytes;
  bool isSigned;
};
std::optional<LiteralType> literalType(const ast::Expr *e);

// Checks a printf-style format against its argument types; reports to diags.
bool checkFormat(const std::string &format, const std::vector<Type> &args,
                 SourceRange range, DiagnosticEngine &diags);

// A `config = { ... }` block's settings into result.options (Config.cpp).
void applyConfig(const ast::Preamble &pre, SemaResult &result, DiagnosticEngine &diags);
// The license of a `// SPDX-License-Identifier: ID` comment in the script, where neither
// a config block nor btc's options set one (Config.cpp); whether any of them names one.
bool applySpdxLicense(const ast::Program &program, SemaResult &result,
                      DiagnosticEngine &diags);
// The licence of the BPF objects the script imports: the script's, or the first
// object's where the script names none and it is GPL-compatible; a located error at the
// import otherwise (Config.cpp).
void applyObjectLicences(bool scriptNamesLicence, SemaResult &result,
                         DiagnosticEngine &diags);
// Map declarations and macros under `unstable_map_decl` / `unstable_macro = error`
// (Config.cpp); tseries() and '&' check their gates where they are typed.
void checkUnstableDeclarations(const ast::Program &program, const SemaResult &result,
                               DiagnosticEngine &diags);

// The script's own enums whose values the script holds (an expression's type, a
// record's member): into SemaResult::scriptEnums, their names into symbols
// (Symbolic.cpp), so that print() and maps name their values.
void scriptEnumNames(SemaResult &result);
// `let @m = kind(N);` declarations applied to the typed maps (MapDecl.cpp).
// Every kernel member, enum constant, sizeof and offsetof the script relocates,
// looked up in the BTF of each target after the first (lib/Sema/BtfTypesTargets.cpp):
// one a target lacks is a located error naming that target.
void checkKernelTypesOnTargets(const SemaResult &result, const TargetInfo &target,
                               DiagnosticEngine &diags);
// `functionMaps`: maps only functions no probe calls use (checkUncalledFunctions),
// declared for them, so not "never used".
void applyMapDeclarations(const ast::Program &program, SemaResult &result,
                          const std::set<std::string> &functionMaps, DiagnosticEngine &diags);
// Types what btc emits nothing for, in a copy of the analysis (lib/Sema/
// UserFunctions.cpp): each function no probe calls, on its own; reports their errors.
// The maps only they use.
std::set<std::string> checkUnemitted(const ast::Program &program, const SemaResult &result,
                                     DiagnosticEngine &diags);
// `base.field` or `base->field`, every range the expansion's own: how Sema's expansions
// (cwd's walk, ppid, pcomm, a whole `args` record) read members (lib/Sema/PathWalk.cpp).
std::unique_ptr<ast::FieldExpr> makeFieldExpr(ast::ExprPtr base, std::string field, bool arrow,
                                              SourceRange r);

} // namespace bt::sema
