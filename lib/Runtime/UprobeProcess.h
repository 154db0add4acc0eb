// btrun -p PID: the one process that uprobes and usdt probes trace, and whose exit
// ends the run. Private to lib/Runtime.
#ifndef BT_RUNTIME_UPROBEPROCESS_H
#define BT_RUNTIME_UPROBEPROCESS_H

#include "bt/Runtime/Result.h"

namespace bt::rt {

/// A pidfd on the traced process: it becomes readable when the process exits (a zombie
/// included), which kill(pid, 0) would not tell.
class TracedProcess {
public:
  TracedProcess() = default;
  ~TracedProcess();
  TracedProcess(const TracedProcess &) = delete;
  TracedProcess &operator=(const TracedProcess &) = delete;

  /// Opens the process; "-p PID: no such process" when it is not there.
  Status open(int pid);
  bool active() const { return fd_ >= 0; }
  int pid() const { return pid_; }
  /// Whether the process has exited (does not wait).
  bool exited() const;

private:
  int pid_ = -1;
  int fd_ = -1;
};

} // namespace bt::rt

#endif
