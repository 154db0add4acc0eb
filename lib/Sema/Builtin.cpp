// Builtins as expressions (`pid`, `args`, `retval`, `curtask`, ...): which builtin a
// name is in this probe (Builtins.def's rows, aliases and upstream's call spellings) and
// the type of its value there.
#include "ProcessProbes.h"
#include "Typer.h"
#include "UsdtArgs.h"
#include "bt/Basic/Glob.h"
#include "bt/Object/Layout.h"

#include <algorithm>
#include <cstring>

namespace bt::sema {

using namespace ast;

std::optional<BuiltinUse> Typer::resolve(const BuiltinRef *b) {
  if (auto it = R.builtins.find(b); it != R.builtins.end())
    return it->second;
  auto use = lookupBuiltin(b->name);
  if (use)
    R.builtins.emplace(b, *use);
  return use;
}

// bpftrace's builtins that read the probe (its context, arguments, name or kind): a
// function no probe calls has none to read.
static bool readsProbe(BuiltinId id) {
  switch (id) {
  case BuiltinId::Arg: case BuiltinId::Sarg: case BuiltinId::Args: case BuiltinId::Retval:
  case BuiltinId::Ctx: case BuiltinId::Func:
  case BuiltinId::Probe: case BuiltinId::Name:
  case BuiltinId::Probetype:
    return true;
  default:
    return false;
  }
}

TypeId Typer::builtin(const BuiltinRef *b) {
  const std::string &n = b->name;
  auto use = resolve(b);
  if (!use) {
    err(b->range, "unknown builtin '" + n + "'");
    return R.types.none();
  }
  const BuiltinInfo &info = builtinInfo(use->id);
  if (!info.supported) {
    err(b->range, "builtin '" + n + "' is not supported yet" +
                      (*info.notYetReason ? std::string(" (") + info.notYetReason + ")" : ""));
    return R.types.none();
  }
  if (readsProbe(use->id) && !inProbe(b->range, "builtin '" + n + "'"))
    return R.types.none();
  if (!probe_)
    return builtinValue(b, *use, info);
  ProbeType pt = probe_->type;
  std::string where = std::string(probeTypeName(pt)) + " probes";
  if (info.notYetIn & maskOf(pt)) {
    err(b->range, "builtin '" + n + "' in " + where + " is not supported yet" +
                      (*info.notYetReason ? std::string(" (") + info.notYetReason + ")" : ""));
    return R.types.none();
  }
  if (!(info.probes & maskOf(pt))) {
    if (use->id == BuiltinId::Retval)
      err(b->range, "builtin 'retval' is only available in return probes");
    else
      err(b->range, "builtin '" + n + "' is not available in " + where +
                        (use->id == BuiltinId::Arg && pt == ProbeType::Tracepoint
                             ? " (use args->field)"
                         : use->id == BuiltinId::Ctx && pt == ProbeType::Tracepoint
                             ? " (use args instead of ctx in tracepoint, as bpftrace says)"
                         : use->id == BuiltinId::Func && pt == ProbeType::Usdt
                             ? " (a usdt probe is a site inside a function, not a "
                               "function's entry or return; bpftrace refuses it too)"
                             : ""));
    return R.types.none();
  }
  // Upstream's `probe` there names the binary it found (usdt:/usr/bin/app:prov:name),
  // which only btrun knows, and btrun attaches such a usdt probe in each file of the
  // process that has it: one program, several binaries. (A uprobe's one file is
  // filled in by btrun: probeNameAroundBinary.)
  if (use->id == BuiltinId::Probe || use->id == BuiltinId::Name)
    for (const Attachment &a : probe_->attachments)
      if (onProcessBinary(a, pt) && !a.probeNameAroundBinary) {
        err(b->range, "builtin '" + n + "' in " + a.probeName + " is not supported yet: " +
                          "it names the binary, and btrun attaches the probe in every file " +
                          "of the -p process that has it, all running one program; name " +
                          "the binary");
        return R.types.none();
      }
  if (use->id == BuiltinId::Retval && pt == ProbeType::Fexit)
    return probeRetval(b);
  if (use->id == BuiltinId::Ctx && pt == ProbeType::Iter)
    return iterContext(b);
  if (use->id == BuiltinId::Arg && pt == ProbeType::Usdt) {
    for (const Attachment &a : probe_->attachments)
      if (auto missing = missingUsdtArgument(a, use->index)) {
        err(b->range, *missing);
        break;
      }
    return s64(); // the site's value, sign-extended when its spec is signed
  }
  return builtinValue(b, *use, info);
}

TypeId Typer::builtinValue(const BuiltinRef *b, BuiltinUse use, const BuiltinInfo &info) {
  switch (info.result) {
  case BuiltinResult::U64:
    if (use.id == BuiltinId::Cpid)
      R.usesChildPid = true;
    if (use.id == BuiltinId::HasCpid)
      R.usesHasChildPid = true;
    if (use.id == BuiltinId::Ncpus)
      R.usesNcpus = true;
    return u64();
  case BuiltinResult::Comm:
    return R.types.string(16);
  case BuiltinResult::KernelStack:
    // Upstream's bare kstack under `stack_mode = build_id` (a user-stack mode) warns
    // and prints raw addresses, where kstack() is an error (Stack.cpp).
    if (R.options.stackMode == obj::StackMode::BuildId) {
      if (report_)
        D.warning(b->range, "'build_id' stack mode can only be used for ustack. Falling back "
                            "to 'raw' mode.");
      return R.types.kernelStack(kMaxStackFrames, obj::StackMode::Raw);
    }
    return R.types.kernelStack(kMaxStackFrames, R.options.stackMode);
  case BuiltinResult::UserStack:
    return R.types.userStack(kMaxStackFrames, R.options.stackMode);
  case BuiltinResult::ProbeName: {
    size_t longest = 0;
    for (const auto &a : probe_->attachments) {
      longest = std::max(longest, a.onBpfProgram ? obj::kBpfMatchProbeSize - 1 : a.probeName.size());
      // A watchpoint on a pattern's functions: bpftrace 0.17 compiles each match apart
      // where `probe` is read, each its own watchpoint naming its function; btrun arms
      // each apart and writes its text in the match's row.
      if (a.probeNameAroundBinary && hasGlob(a.symbol)) {
        R.watchMatchProbes.insert(probe_->probe);
        longest = std::max<size_t>(longest, obj::kWatchMatchProbeSize - 1);
        continue;
      }
      if (a.probeNameAroundBinary) {
        R.tracedBinaryNames.insert(*a.probeNameAroundBinary);
        longest = std::max<size_t>(longest, tracedBinaryNameSize(*a.probeNameAroundBinary) - 1);
      }
    }
    return R.types.string(longest + 1);
  }
  case BuiltinResult::SourceFile:
    return R.types.string(R.options.sourceName(b->range.begin.file).size() + 1);
  case BuiltinResult::FuncName: {
    size_t longest = 0;
    for (const auto &a : probe_->attachments)
      longest = std::max(longest, a.onBpfProgram ? obj::kBpfMatchFuncSize - 1 : a.funcName.size());
    return R.types.string(std::max<size_t>(longest, 1) + 1);
  }
  case BuiltinResult::TracepointArgs:
    for (const auto &a : probe_->attachments)
      if (a.onBpfProgram) {
        err(b->range, "args of " + a.probeName + " are not supported: the BPF program's "
                      "BTF, which types them, is known only on the run host");
        return R.types.none();
      }
    return R.types.tracepointArgs();
  case BuiltinResult::CurrentTask:
    return currentTask(b);
  case BuiltinResult::ParentPid:
    return parentPid(b);
  case BuiltinResult::UserName:
    return R.types.userName();
  case BuiltinResult::ProcessComm:
    return processComm(b);
  case BuiltinResult::ConfigValues:
    return configRecord(b);
  case BuiltinResult::ProbeRegisters:
    return probeRegisters(b);
  case BuiltinResult::ProbeTypeName:
    return R.types.string(std::strlen(probetypeValue(probe_->type)) + 1);
  case BuiltinResult::Unknown:
    break;
  }
  err(b->range, "builtin '" + b->name + "' is not supported yet");
  return R.types.none();
}

} // namespace bt::sema
