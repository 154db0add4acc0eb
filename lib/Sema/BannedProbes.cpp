// Probes bpftrace refuses to attach. A kretprobe's handler takes a spin lock of its own,
// so one on the kernel's spin-lock functions can deadlock the machine: btc refuses them
// when it compiles, with bpftrace's words; btc -l still lists them. Some kernel functions
// are not marked notrace yet stall the system when traced (the kernel's own selftests
// skip them: kprobe_multi_test): upstream leaves them out of the functions it traces, so
// a wildcard never matches them and an attach point naming one is missing. So are the
// functions of the target's kprobe blacklist, for kprobes: the kernel refuses them there.
#include "SemaInternal.h"

#include <algorithm>

namespace bt::sema {
namespace {

constexpr const char *lockingFunctions[] = {"_raw_spin_lock", "_raw_spin_lock_irqsave",
                                            "_raw_spin_unlock_irqrestore",
                                            "queued_spin_lock_slowpath"};

constexpr const char *stallingFunctions[] = {"arch_cpu_idle", "default_idle",
                                             "bpf_dispatcher_xdp_func"};
constexpr const char *stallingPrefixes[] = {"rcu_", "__ftrace_invalid_address__"};

} // namespace

std::string untraceableByBpftrace(const std::string &function) {
  for (const char *name : stallingFunctions)
    if (function == name)
      return "tracing " + function + " can stall the system; bpftrace leaves it out of the "
             "functions it traces";
  for (const char *prefix : stallingPrefixes)
    if (function.rfind(prefix, 0) == 0)
      return std::string("tracing the kernel's ") + prefix + "* functions can stall the "
             "system; bpftrace leaves them out of the functions it traces";
  return "";
}

size_t dropUntraceableByBpftrace(std::vector<std::string> &functions) {
  size_t before = functions.size();
  functions.erase(std::remove_if(functions.begin(), functions.end(),
                                 [](const std::string &f) {
                                   return !untraceableByBpftrace(f).empty();
                                 }),
                  functions.end());
  return before - functions.size();
}

std::string kprobeBlacklistedOn(const TargetInfo &target, const std::string &function) {
  for (const TargetInfo *member : target.members())
    if (member->kprobeBlacklisted(function))
      return member->name();
  return "";
}

size_t dropKprobeBlacklisted(ProbeType type, const TargetInfo &target,
                             std::vector<std::string> &functions) {
  if (type != ProbeType::Kprobe && type != ProbeType::Kretprobe)
    return 0;
  size_t before = functions.size();
  functions.erase(std::remove_if(functions.begin(), functions.end(),
                                 [&](const std::string &f) {
                                   return target.kprobeBlacklisted(f);
                                 }),
                  functions.end());
  return before - functions.size();
}

bool checkBannedKretprobes(const ProbeInfo &pi, DiagnosticEngine &diags) {
  if (pi.type != ProbeType::Kretprobe)
    return true;
  for (const Attachment &a : pi.attachments)
    for (const char *name : lockingFunctions)
      if (a.symbol == name) {
        diags.error(a.attachPoint->range,
                    "kretprobe:" + a.symbol + " can't be used as it might lock up your system");
        return false;
      }
  return true;
}

} // namespace bt::sema
