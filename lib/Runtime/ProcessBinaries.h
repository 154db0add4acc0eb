// The binary of a uprobe, uretprobe or usdt probe that names none (btc's `uprobe::fn`,
// `usdt::provider:probe`: an attachment whose `path` is empty, docs/OBJECT.md), found in
// the process of btrun -p PID, as upstream bpftrace finds it when it starts. Private to
// lib/Runtime.
#ifndef BT_RUNTIME_PROCESSBINARIES_H
#define BT_RUNTIME_PROCESSBINARIES_H

#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/Result.h"

#include <optional>

namespace bt::rt {

/// Fills each such attachment's path: the process's executable when it has the function
/// (an address is the executable's) or the usdt probe, else the first file the process
/// maps executable that has it, else the executable (attaching then says what it lacks).
/// A path in another mount namespace is read through /proc/PID/root. Without `pid`,
/// an error naming the probe when there is such an attachment.
Status findProcessBinaries(Manifest &m, std::optional<int> pid);

} // namespace bt::rt

#endif
