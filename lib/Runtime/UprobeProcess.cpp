// btrun -p PID (as bpftrace -p): see UprobeProcess.h.
#include "UprobeProcess.h"

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace bt::rt {

TracedProcess::~TracedProcess() {
  if (fd_ >= 0)
    ::close(fd_);
}

Status TracedProcess::open(int pid) {
  if (pid <= 0)
    return Error("-p " + std::to_string(pid) + ": not a process id", 2);
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0)
    return Error("-p " + std::to_string(pid) + ": " +
                 (errno == ESRCH ? std::string("no such process") : std::strerror(errno)));
  pid_ = pid;
  fd_ = fd;
  return {};
}

bool TracedProcess::exited() const {
  if (fd_ < 0)
    return false;
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP));
}

} // namespace bt::rt
