// Attach watchpoints (perf breakpoint events on one process's address) and BPF
// iterators (a link that btrun reads to its end once everything is armed).
#include "bt/Runtime/Attach.h"

#include <atomic>
#include <thread>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bt::rt {

Status Attachments::attachWatchpoint(bpf_program *prog, const std::string &name,
                                     const AttachTarget &t) {
  if (pid_ < 0) {
    // The -c command's process exists only after phase one: attach when it is spawned.
    if (childCommand_) {
      deferredWatchpoints_.push_back({prog, name, t});
      return {};
    }
    return Error(name + ": a watchpoint watches one process's memory: run btrun with "
                        "-p PID or -c CMD");
  }
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.bp_addr = t.address.value_or(0);
  attr.bp_len = t.length;
  for (char c : t.mode)
    attr.bp_type |= c == 'r' ? HW_BREAKPOINT_R : c == 'w' ? HW_BREAKPOINT_W : HW_BREAKPOINT_X;
  attr.sample_period = 1; // every access runs the program
  // The process's own accesses, as bpftrace watches them (perf_event_paranoid 2 also
  // allows a user-space-only event on a process of one's own uid).
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  int fd = static_cast<int>(::syscall(__NR_perf_event_open, &attr, pid_, -1, -1,
                                      PERF_FLAG_FD_CLOEXEC));
  if (fd < 0) {
    int err = errno;
    return Error(name + ": cannot open a breakpoint perf event in process " +
                 std::to_string(pid_) + ": " +
                 (err == ENOSPC ? "no debug register is free" : std::strerror(err)));
  }
  bpf_link *link = bpf_program__attach_perf_event(prog, fd);
  if (!link) {
    int err = errno;
    ::close(fd);
    return Error(name + ": cannot attach to the breakpoint perf event: " + std::strerror(err));
  }
  links_.push_back(link); // the link owns and closes the perf event fd
  return {};
}

Status Attachments::attachDeferred(int pid) {
  int saved = pid_;
  pid_ = pid;
  Status st;
  for (const DeferredWatchpoint &w : deferredWatchpoints_)
    if (st)
      st = attachWatchpoint(w.program, w.name, w.target);
  deferredWatchpoints_.clear();
  pid_ = saved;
  return st;
}

Status Attachments::attachIterator(bpf_program *prog, const std::string &name,
                                   const std::string &pin) {
  bpf_link *link = bpf_program__attach_iter(prog, nullptr);
  if (!link) {
    int err = errno;
    return Error(name + ": cannot attach the iterator: " + std::strerror(err));
  }
  links_.push_back(link);
  iterators_.push_back({link, name, pin});
  return {};
}

Status Attachments::runIterators(const std::function<Status(int)> &poll,
                                 const std::function<void(const std::string &)> &pinned) {
  for (const Iterator &it : iterators_) {
    if (!it.pin.empty()) {
      // The pinned link outlives btrun: whoever reads the file runs the program.
      std::string path = it.pin.front() == '/' ? it.pin : "/sys/fs/bpf/" + it.pin;
      if (Status st = poll(0); !st) // BEGIN's output first
        return st;
      if (int err = bpf_link__pin(it.link, path.c_str()); err)
        return Error(it.name + ": cannot pin the iterator at " + path + ": " +
                     std::strerror(-err) +
                     (err == -EINVAL ? " (pins live on a bpffs mount)" : ""));
      pinned(path);
      continue;
    }
    int fd = bpf_iter_create(bpf_link__fd(it.link));
    if (fd < 0)
      return Error(it.name + ": cannot create the iterator: " + std::strerror(errno));
    // One read walks every object (the programs write nothing into it): read in a
    // thread, so the ring buffer is consumed while the walk fills it.
    std::atomic<bool> done{false};
    int readError = 0;
    std::thread reader([&] {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
          continue;
        if (n < 0) {
          readError = errno;
          break;
        }
      }
      done = true;
    });
    Status st;
    while (!done && st)
      st = poll(10);
    reader.join();
    ::close(fd);
    if (!st)
      return st;
    if (readError)
      return Error(it.name + ": reading the iterator failed: " + std::strerror(readError));
  }
  return {};
}

} // namespace bt::rt
