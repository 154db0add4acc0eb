// The binary of a uprobe, uretprobe or usdt probe that names none (btc's `uprobe::fn`,
// `usdt::provider:probe`: an attachment whose `path` is empty, docs/OBJECT.md), or of a
// watchpoint's uprobe on a function's argument, found in
// the process btrun traces: that of -p PID, as upstream bpftrace finds it when it starts,
// or the program of -c CMD, before it runs. Private to lib/Runtime.
#ifndef BT_RUNTIME_PROCESSBINARIES_H
#define BT_RUNTIME_PROCESSBINARIES_H

#include "BinaryFiles.h"
#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/Result.h"

#include <optional>
#include <string>

namespace bt::rt {

/// The process whose binaries such a probe is on: -p's (`pid`) or -c's, whose program
/// (`commandProgram`, found as execvp finds it) is all there is before it runs.
struct TracedProcessFiles {
  std::optional<int> pid;
  std::string commandProgram;
};

/// Fills each such attachment's path. With -p: the process's executable when it has the
/// function (an address is the executable's), else the first file the process maps
/// executable that has it, else the executable (attaching then says what it lacks); a
/// usdt probe attaches in every one of those files that has it (the attachment is
/// repeated for each, as upstream expands it with -p); a watchpoint on a pattern's
/// functions once per function of the executable that matches (each match armed apart
/// numbered: AttachTarget::matchRow). With -c: the command's program,
/// its libraries being mapped only once it runs. A path in another mount namespace is
/// read through /proc/PID/root. Each file's symbols and USDT notes are read once, into
/// `binaries`, which attaching then reads. With neither, an error naming the probe when
/// there is such an attachment.
Status findProcessBinaries(Manifest &m, const TracedProcessFiles &process,
                           BinaryFiles &binaries);

/// The binary each of the manifest's traced_binary_names names, once findProcessBinaries
/// filled `m`, as bpftrace 0.17 spells it: a watchpoint's, -p's /proc/PID/exe, else the
/// -c command's program; a uprobe's, the file it is attached to, under -p through
/// /proc/PID/root (`/proc/PID/root/usr/bin/app`).
std::vector<std::string> tracedBinaryNames(const Manifest &m, const TracedProcessFiles &process);

} // namespace bt::rt

#endif
