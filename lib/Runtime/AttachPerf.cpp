// Attach watchpoints (perf breakpoint events on one process's address; on a function's
// argument, a uprobe first, the breakpoint when it sends the address) and BPF iterators
// (a link that btrun reads to its end once everything is armed).
#include "bt/Runtime/Attach.h"
#include "BinaryFiles.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>

namespace bt::rt {

// The program's name, and a match armed apart's row after a '#' (no program name has one).
static std::string armableKey(const std::string &program, std::optional<uint64_t> row) {
  return row ? program + "#" + std::to_string(*row) : program;
}

Status Attachments::attachWatchpoint(bpf_program *prog, bpf_program *arm, bool stops,
                                     const std::string &name, const AttachTarget &t) {
  if (pid_ < 0) {
    // The -c command's process exists only after phase one: attach when it is spawned.
    if (childCommand_) {
      deferredWatchpoints_.push_back({prog, arm, stops, name, t});
      return {};
    }
    return Error(name + ": a watchpoint watches one process's memory: run btrun with "
                        "-p PID or -c CMD");
  }
  if (!arm) {
    auto link = openBreakpoint(prog, name, t, t.address.value_or(0));
    if (!link)
      return std::move(link).error();
    if (!*link)
      return Error(name + ": cannot open a breakpoint perf event in process " +
                   std::to_string(pid_) + ": no debug register is free");
    links_.push_back(*link); // the link owns and closes the perf event fd
    return {};
  }
  // On a function's argument: its uprobe now (on the process's file that has the
  // function, ProcessBinaries.cpp), the breakpoint when the uprobe sends an address.
  if (!binaries_)
    binaries_ = std::make_shared<BinaryFiles>();
  auto offset = binaries_->symbols.fileOffset(t.path, t.symbol, 0, false);
  if (!offset)
    return Error(name + ": " + offset.error().message());
  LIBBPF_OPTS(bpf_uprobe_opts, opts);
  opts.bpf_cookie = t.matchRow.value_or(0); // the row a match armed apart sends
  bpf_link *link = bpf_program__attach_uprobe_opts(arm, pid_, t.path.c_str(), *offset, &opts);
  if (!link) {
    int err = errno;
    return Error(name + ": cannot attach the uprobe on " + t.symbol + " in " + t.path + ": " +
                 std::strerror(err));
  }
  links_.push_back(link);
  armable_[armableKey(bpf_program__name(prog), t.matchRow)] = {prog, stops, name, t, pid_, std::nullopt};
  return {};
}

Result<bpf_link *> Attachments::openBreakpoint(bpf_program *prog, const std::string &name,
                                               const AttachTarget &t, uint64_t address) {
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.bp_addr = address;
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
    if (err == ENOSPC)
      return static_cast<bpf_link *>(nullptr);
    return Error(name + ": cannot open a breakpoint perf event in process " +
                 std::to_string(pid_) + ": " + std::strerror(err));
  }
  LIBBPF_OPTS(bpf_perf_event_opts, opts);
  opts.bpf_cookie = t.matchRow.value_or(0); // `probe` of a match armed apart: its row
  bpf_link *link = bpf_program__attach_perf_event_opts(prog, fd, &opts);
  if (!link) {
    int err = errno;
    ::close(fd);
    return Error(name + ": cannot attach to the breakpoint perf event: " + std::strerror(err));
  }
  return link; // it owns and closes the perf event fd
}

Status Attachments::attachDeferred(int pid) {
  int saved = pid_;
  pid_ = pid;
  Status st;
  for (const DeferredWatchpoint &w : deferredWatchpoints_)
    if (st)
      st = attachWatchpoint(w.program, w.arm, w.stops, w.name, w.target);
  deferredWatchpoints_.clear();
  pid_ = saved;
  return st;
}

// Whether every thread of process `pid` is stopped (or the process is gone): the state
// letter after the command's closing parenthesis in each /proc/PID/task/TID/stat.
static bool processStopped(int pid) {
  std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  DIR *dir = ::opendir(tasks.c_str());
  if (!dir)
    return true;
  bool stopped = true;
  while (dirent *e = ::readdir(dir)) {
    if (e->d_name[0] == '.')
      continue;
    FILE *f = std::fopen((tasks + "/" + e->d_name + "/stat").c_str(), "r");
    if (!f)
      continue; // the thread has exited
    char buf[512];
    size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    const char *paren = std::strrchr(buf, ')');
    if (paren && paren[1] == ' ' && paren[2] != 'T' && paren[2] != 't') {
      stopped = false;
      break;
    }
  }
  ::closedir(dir);
  return stopped;
}

// The uprobe's SIGSTOP takes effect only once the function's first instruction, which
// the uprobe runs out of line, has run (the kernel holds signals back while it steps
// it). A breakpoint opened before then would see that instruction's access too, which
// bpftrace 0.17 (slower to open it) does not: `w:increment+arg0:4:rw` on
// `mov (%rdi),%eax` at increment's entry counted the read now and then (7 accesses
// where 0.17 counts 6). So wait for the stop, a bounded while: a thread in an
// uninterruptible sleep must not hold btrun up for long.
static void waitUntilStopped(int pid) {
  for (int tries = 0; tries < 1000 && !processStopped(pid); ++tries)
    std::this_thread::sleep_for(std::chrono::microseconds(100));
}

Result<Attachments::Armed> Attachments::armWatchpoint(const std::string &program,
                                                      uint64_t address,
                                                      std::optional<uint64_t> row) {
  auto it = armable_.find(armableKey(program, row));
  if (it == armable_.end())
    return Error("watchpoint_attach record for program '" + armableKey(program, row) +
                 "', which is no watchpoint on a function's argument");
  ArmableWatchpoint &w = it->second;
  Armed armed = Armed::AlreadyThere;
  std::optional<Error> failed;
  // As bpftrace: the same address again is left as it is (even after unwatch).
  if (w.lastAddress != address && !detached_) {
    w.lastAddress = address;
    if (w.stops)
      waitUntilStopped(w.pid);
    int saved = pid_;
    pid_ = w.pid;
    auto link = openBreakpoint(w.program, w.name, w.target, address);
    pid_ = saved;
    if (!link)
      failed = std::move(link).error();
    else if (*link)
      opened_.push_back({address, *link});
    armed = !link ? Armed::AlreadyThere : *link ? Armed::Opened : Armed::NoRegister;
  }
  // The uprobe stopped the process before it sent the address: it goes on now, the
  // breakpoint in place (or none free, or a failure: it goes on unwatched).
  if (w.stops && ::kill(w.pid, SIGCONT) != 0)
    return Error(w.name + ": cannot continue process " + std::to_string(w.pid) + ": " +
                 std::strerror(errno));
  if (failed)
    return std::move(*failed);
  return armed;
}

void Attachments::unwatch(uint64_t address) {
  auto at = std::remove_if(opened_.begin(), opened_.end(), [&](const OpenedWatchpoint &o) {
    if (o.address != address)
      return false;
    bpf_link__destroy(o.link);
    return true;
  });
  opened_.erase(at, opened_.end());
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
