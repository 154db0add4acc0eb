// Least privilege: once every probe is attached, btrun keeps only what reading
// maps, running END and polling the ring buffer need.
#ifndef BT_RUNTIME_PRIVILEGES_H
#define BT_RUNTIME_PRIVILEGES_H

#include "bt/Runtime/Result.h"

namespace bt::rt {

/// Drops every capability from the effective and permitted sets except
/// CAP_BPF (the bpf() syscall: map reads, clear/zero, END's test run) and, with
/// `readProcesses` (an object with ustack or usym), CAP_SYS_PTRACE: /proc/PID/maps of a
/// process whose capabilities are not a subset of btrun's (any root process, the -c
/// command too) is readable only with it. The bounding set is left alone, so a -c
/// command run as root starts with the usual root capabilities. With `openWatchpoints`
/// (a watchpoint on a function's argument, opened while the run goes on) it keeps
/// CAP_SYS_PTRACE too: a breakpoint perf event in such a process needs it as well.
Status dropToRunPrivileges(bool readProcesses = false, bool openWatchpoints = false);

} // namespace bt::rt

#endif
