// Host verification: everything the object needs, checked before anything is loaded.
#ifndef BT_RUNTIME_VERIFY_H
#define BT_RUNTIME_VERIFY_H

#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/Result.h"

#include <map>
#include <string>
#include <vector>

namespace bt::rt {

inline constexpr const char *kTracefs = "/sys/kernel/tracing";

/// Root, or CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN stands for both) in the effective set.
Status checkPrivileges();

/// Whether the kernel lets a fentry (fexit: `exit`) program attach to `symbol`: ""
/// when it does, else why not. Loads and attaches a program that does nothing.
std::string probeTracing(const std::string &symbol, bool exit);
/// And to the function of BTF id `btfId` in the BPF program `progFd` (0: in the kernel's).
std::string probeTracing(int progFd, uint32_t btfId, bool exit);
/// And to the function of BTF id `btfId` in the kernel module BTF object `btfObjFd` (0:
/// the kernel's own).
std::string probeTracing(int progFd, int btfObjFd, uint32_t btfId, bool exit);
/// Whether this host's PMU counts the hardware event PERF_COUNT_HW_<config>: a counting
/// event opened and closed. "" when it does, else the reason.
std::string hardwareEventLacks(uint64_t config);

/// Mounts tracefs at /sys/kernel/tracing when it is not mounted there.
Status ensureTracefs();

/// Whether this host has what one attachment needs (its tracepoint, binary, probe type).
class AttachmentCheck {
public:
  /// `tracefsOk`: tracefs is mounted (tracepoints are looked up there).
  explicit AttachmentCheck(bool tracefsOk) : tracefsOk_(tracefsOk) {}
  /// Why this host cannot attach `a` of `p` ("tracepoint not found"), or "" when it can.
  std::string lacks(const ProbeSpec &p, const AttachmentSpec &a);

private:
  std::string bpfFunctionLacks(const ProbeSpec &p, const AttachmentSpec &a);
  bool tracefsOk_;
  std::map<std::string, std::string> tracingVerdict_; // "fentry"/"fexit" -> reason
};

/// Under `missing_probes = warn|ignore`: takes out of `manifest` every attachment this
/// host lacks (a warning on stderr for each under warn), and the attach order's programs
/// and the requirements that only they needed, so that the rest verifies, loads and
/// attaches. Returns how many it took out.
size_t leaveOutMissing(Manifest &manifest);

/// Checks privileges and every requirement of every probe (probe types the kernel has,
/// tracepoints, uprobe binaries, kernel BTF). Every unmet requirement is one message
/// naming its probe.
Status verifyHost(const Manifest &manifest);

/// Every tracepoint field the object reads, against this host's tracefs format: one
/// message for each field that is
/// missing or laid out otherwise, naming the script line, the probe and the field.
void checkTracepointFields(const Manifest &manifest, std::vector<std::string> &problems);

} // namespace bt::rt

#endif
