// Return probes bpftrace refuses to attach: a kretprobe's handler takes a spin lock of
// its own, so one on the kernel's spin-lock functions can deadlock the machine. btc
// refuses them when it compiles, with bpftrace's words; btc -l still lists them.
#include "SemaInternal.h"

namespace bt::sema {
namespace {

constexpr const char *lockingFunctions[] = {"_raw_spin_lock", "_raw_spin_lock_irqsave",
                                            "_raw_spin_unlock_irqrestore",
                                            "queued_spin_lock_slowpath"};

} // namespace

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
