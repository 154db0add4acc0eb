// Attach by probe type: tracepoint, raw tracepoint, uprobe/uretprobe, usdt, perf events
// (watchpoints and iterators: AttachPerf.cpp).
#include "bt/Runtime/Attach.h"
#include "BinaryFiles.h"
#include "bt/Object/Layout.h"

#include <thread>

#include <bpf/libbpf.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bt::rt {

std::vector<int> parseCpuList(const std::string &text) {
  std::vector<int> cpus;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    while (!part.empty() && (part.back() == '\n' || part.back() == ' '))
      part.pop_back();
    if (part.empty())
      continue;
    size_t dash = part.find('-');
    char *end = nullptr;
    long a = std::strtol(part.c_str(), &end, 10);
    long b = dash == std::string::npos ? a : std::strtol(part.c_str() + dash + 1, &end, 10);
    for (long c = a; c <= b && c >= 0; ++c)
      cpus.push_back(static_cast<int>(c));
  }
  return cpus;
}

std::vector<int> onlineCpus() {
  std::ifstream in("/sys/devices/system/cpu/online");
  std::string text;
  std::getline(in, text);
  auto cpus = parseCpuList(text);
  if (cpus.empty())
    cpus.push_back(0);
  return cpus;
}

namespace {

/// The perf event of an interval, profile, software or hardware probe on one CPU.
int openPerfEvent(int cpu, ProbeType type, const AttachTarget &t) {
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  if (type == ProbeType::Software || type == ProbeType::Hardware) {
    if (type == ProbeType::Hardware)
      attr.type = PERF_TYPE_HARDWARE;
    attr.config = t.config;
    attr.sample_period = t.count;
  } else if (t.frequencyHz && type == ProbeType::Profile) {
    attr.freq = 1;
    attr.sample_freq = *t.frequencyHz;
  } else if (t.periodNs) {
    attr.sample_period = *t.periodNs;
  } else {
    attr.sample_period = 1000000000ULL / *t.frequencyHz;
  }
  return static_cast<int>(::syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC));
}

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string describe(int err) {
  if (err == ENOENT)
    return "not found";
  return std::strerror(err);
}

} // namespace

Status Attachments::attachOne(const BpfObject &obj, const Manifest &manifest, const ProbeSpec &probe,
                               const AttachmentSpec &att) {
  const std::string &name = att.probe.empty() ? probe.text : att.probe;
  bpf_program *prog = obj.program(att.program);
  if (!prog)
    return Error(name + ": program '" + att.program + "' is not in the object");
  const AttachTarget &t = att.target;
  const ProbeType type = probe.type;
  bpf_link *link = nullptr;

  if (att.dispatch) {
    // Served by a raw_syscalls dispatcher: into its program array at the syscall's
    // number. The array's entries go when btrun's last reference to it does.
    bpf_map *table = obj.map(att.dispatch->map);
    if (!table)
      return Error(name + ": program array '" + att.dispatch->map + "' is not in the object");
    uint32_t key = static_cast<uint32_t>(att.dispatch->key);
    uint32_t fd = static_cast<uint32_t>(bpf_program__fd(prog));
    if (bpf_map__update_elem(table, &key, sizeof key, &fd, sizeof fd, BPF_ANY) != 0)
      return Error(name + ": cannot add the program to '" + att.dispatch->map + "': " +
                   std::strerror(errno));
    // The dispatcher attaches with its first handler: where that handler stands in
    // the attach order, among other programs on raw_syscalls (handlers in script order).
    for (const Dispatcher &d : manifest.dispatchers) {
      if (d.section != att.section || attachedDispatchers_.count(d.program))
        continue;
      bpf_program *dp = obj.program(d.program);
      if (!dp)
        return Error(name + ": dispatcher '" + d.program + "' is not in the object");
      link = bpf_program__attach_raw_tracepoint(dp, d.rawTracepoint.c_str());
      if (!link)
        return Error(name + ": cannot attach the raw_syscalls:" + d.rawTracepoint +
                     " dispatcher: " + describe(errno));
      attachedDispatchers_.insert(d.program);
      links_.push_back(link);
    }
    return {};
  } else if (type == ProbeType::Tracepoint) {
    link = bpf_program__attach_tracepoint(prog, t.category.c_str(), t.name.c_str());
    if (!link) {
      int err = errno;
      return Error(name + ": " + (err == ENOENT ? std::string("tracepoint not found")
                                                : "cannot attach tracepoint: " + describe(err)));
    }
  } else if (type == ProbeType::RawTracepoint) {
    link = bpf_program__attach_raw_tracepoint(prog, t.name.c_str());
    if (!link) {
      int err = errno;
      return Error(name + ": " + (err == ENOENT ? std::string("tracepoint not found")
                                                : "cannot attach raw tracepoint: " + describe(err)));
    }
  } else if (type == ProbeType::Uprobe || type == ProbeType::Uretprobe) {
    LIBBPF_OPTS(bpf_uprobe_opts, opts);
    opts.retprobe = type == ProbeType::Uretprobe;
    if (!binaries_)
      binaries_ = std::make_shared<BinaryFiles>();
    auto fileOffset =
        t.symbol.empty()
            ? binaries_->symbols.addressOffset(t.path, t.offset, opts.retprobe)
            : binaries_->symbols.fileOffset(t.path, t.symbol, t.offset, opts.retprobe);
    if (!fileOffset)
      return Error(name + ": " + fileOffset.error().message());
    uint64_t offset = *fileOffset;
    link = bpf_program__attach_uprobe_opts(prog, pid_, t.path.c_str(), offset, &opts);
    if (!link) {
      int err = errno;
      return Error(name + ": cannot attach " + std::string(toString(type)) + ": " +
                   (err == ENOENT ? "symbol or binary not found" : describe(err)));
    }
  } else if (type == ProbeType::Usdt) {
    // One uprobe per site of the probe in the binary's SDT notes; a guarded site
    // gets its semaphore's file offset, so the kernel counts it up while attached.
    if (!binaries_)
      binaries_ = std::make_shared<BinaryFiles>();
    auto sites = binaries_->usdt.sites(t.path, t.provider, t.name);
    if (!sites)
      return Error(name + ": " + sites.error().message());
    if (sites->empty())
      return Error(name + ": " + noUsdtProbeMessage(t.path, t.provider, t.name));
    extraUsdtSites_ += sites->size() - 1;
    // A program that reads arguments: libbpf attaches each site with its argument spec
    // (lib/Lower/UsdtArgs.cpp), once per provider and name (a pattern without a binary,
    // `usdt:*`, matches several).
    if (obj.map(obj::kUsdtSpecMapName)) {
      std::vector<std::pair<std::string, std::string>> probes;
      for (const UsdtSite &s : *sites)
        if (std::find(probes.begin(), probes.end(), std::pair(s.provider, s.name)) == probes.end())
          probes.emplace_back(s.provider, s.name);
      for (const auto &[provider, probeName] : probes) {
        bpf_link *l = bpf_program__attach_usdt(prog, pid_, t.path.c_str(), provider.c_str(),
                                               probeName.c_str(), nullptr);
        if (!l)
          return Error(name + ": cannot attach usdt probe " + provider + ":" + probeName + ": " +
                       describe(errno));
        links_.push_back(l);
      }
      return {};
    }
    for (const UsdtSite &s : *sites) {
      LIBBPF_OPTS(bpf_uprobe_opts, opts);
      opts.ref_ctr_offset = s.semaphoreOffset;
      bpf_link *l = bpf_program__attach_uprobe_opts(prog, pid_, t.path.c_str(), s.offset, &opts);
      if (!l) {
        int err = errno;
        return Error(name + ": cannot attach usdt probe site at offset " + hex(s.offset) + ": " +
                     describe(err));
      }
      links_.push_back(l);
    }
    return {};
  } else if (type == ProbeType::Watchpoint || type == ProbeType::AsyncWatchpoint) {
    bpf_program *arm = nullptr;
    if (t.argument && !(arm = obj.program(t.armProgram)))
      return Error(name + ": program '" + t.armProgram + "' is not in the object");
    return attachWatchpoint(prog, arm, type == ProbeType::Watchpoint, name, t);
  } else if (type == ProbeType::Iter) {
    return attachIterator(prog, name, t.pin);
  } else if (type == ProbeType::Interval || type == ProbeType::Profile ||
             type == ProbeType::Software || type == ProbeType::Hardware) {
    std::vector<int> cpus = type == ProbeType::Interval ? std::vector<int>{0} : onlineCpus();
    for (int cpu : cpus) {
      int fd = openPerfEvent(cpu, type, t);
      if (fd < 0)
        return Error(name + ": cannot open a perf event on CPU " + std::to_string(cpu) + ": " +
                     std::strerror(errno));
      bpf_link *l = bpf_program__attach_perf_event(prog, fd);
      if (!l) {
        int err = errno;
        ::close(fd);
        return Error(name + ": cannot attach to the perf event on CPU " + std::to_string(cpu) +
                     ": " + std::strerror(err));
      }
      links_.push_back(l); // the link owns and closes the perf event fd
      // A timer's period restarts at arming (restartTimers), so it counts from the
      // start the user sees, as bpftrace's timers start after BEGIN.
      // A cpu-clock event in Hz is a period in ns to the kernel after it opens it
      // (it clears attr.freq), so the period is what restartTimers gives back.
      if (type != ProbeType::Software && type != ProbeType::Hardware)
        timers_.push_back({fd, t.periodNs ? *t.periodNs : 1000000000ULL / *t.frequencyHz});
    }
    return {};
  } else if (type == ProbeType::Kprobe || type == ProbeType::Kretprobe ||
             type == ProbeType::Fentry || type == ProbeType::Fexit || type == ProbeType::TpBtf) {
    // Host verification refuses these on kernels without them; attach where they exist.
    // libbpf found a tp_btf's BTF id when it loaded the program.
    if (t.onBpfProgram) {
      return attachBpfMatches(obj, manifest, att.program);
    } else if (type != ProbeType::Kprobe && type != ProbeType::Kretprobe) {
      link = bpf_program__attach_trace(prog);
    } else {
      LIBBPF_OPTS(bpf_kprobe_opts, opts);
      opts.retprobe = type == ProbeType::Kretprobe;
      opts.offset = t.address ? *t.address : t.offset;
      // Without a function name libbpf's offset is the kernel address (kprobe:0xADDR).
      // The kernel resolves "module:fn" to the module's function, as perf probe -m does.
      std::string function = t.module.empty() ? t.symbol : t.module + ":" + t.symbol;
      link = bpf_program__attach_kprobe_opts(prog, t.address ? nullptr : function.c_str(), &opts);
    }
    if (!link) {
      int err = errno;
      return Error(name + ": cannot attach " + std::string(toString(type)) + ": " + describe(err));
    }
  } else {
    return Error(name + ": cannot attach probe type '" + toString(type) + "'");
  }
  links_.push_back(link);
  return {};
}

Status Attachments::attachAll(const BpfObject &obj, const Manifest &manifest) {
  // A program missing from attach_order is a broken object, not a probe to skip silently.
  for (const auto &p : manifest.probes) {
    if (runsInBtrun(p.type))
      continue;
    for (const auto &a : p.attachments) {
      bool listed = false;
      for (const auto &n : manifest.attachOrder)
        listed = listed || n == a.program;
      if (!listed)
        return Error(a.probe + ": program '" + a.program + "' is missing from attach_order");
    }
  }
  for (const auto &prog : manifest.attachOrder) {
    auto [probe, att] = manifest.findProgram(prog);
    if (!probe)
      return Error("attach_order names unknown program '" + prog + "'");
    if (runsInBtrun(probe->type))
      continue;
    // missing_probes = warn|ignore: what the host has but cannot attach is left out too.
    const MissingProbes missing = manifest.options.missingProbes;
    // A program that raw_syscalls dispatches may serve several syscalls: a slot each.
    if (att->cookie) {
      const size_t leftBefore = leftOut_; // attach points it left out one by one
      Status st = attachShared(obj, *probe, prog, missing);
      if (!st && !leaveOut(missing, st, probe->attachments.size() - (leftOut_ - leftBefore))) {
        detachAll();
        return st;
      }
      continue;
    }
    // A program of several attach points (`uprobe:lib:a, uprobe:lib:b`) loses only those
    // that fail, as bpftrace attaches each on its own.
    for (const AttachmentSpec &a : probe->attachments) {
      if (a.program != prog)
        continue;
      Status st = attachOne(obj, manifest, *probe, a);
      if (!st && !leaveOut(missing, st, 1)) {
        detachAll();
        return st;
      }
    }
  }
  return {};
}

bool Attachments::leaveOut(MissingProbes missing, const Status &why, size_t attachPoints) {
  if (missing == MissingProbes::Error)
    return false;
  leftOut_ += attachPoints;
  if (missing == MissingProbes::Warn)
    std::fprintf(stderr, "btrun: warning: %s: left out (missing_probes = warn)\n",
                 why.error().message().c_str());
  return true;
}

Status Attachments::restartTimers() {
  // PERF_EVENT_IOC_PERIOD with the event's own period clears what is left of the
  // current one: the next sample is one full period from now.
  for (const Timer &t : timers_) {
    uint64_t value = t.period;
    if (::ioctl(t.fd, PERF_EVENT_IOC_PERIOD, &value) != 0)
      return Error(std::string("cannot restart a timer at arming: ") + std::strerror(errno));
  }
  return {};
}

void Attachments::detachAll() {
  timers_.clear();
  for (const OpenedWatchpoint &o : opened_)
    bpf_link__destroy(o.link);
  opened_.clear();
  detached_ = true; // a watchpoint's address that comes now only continues its process
  attachedDispatchers_.clear();
  // A multi link unregisters all its functions and waits for one grace period.
  for (int fd : linkFds_)
    ::close(fd);
  linkFds_.clear();
  // Detaching a tracepoint waits for an RCU grace period inside close(); with
  // hundreds of probes that is seconds one after the other. Links are
  // independent, so destroy them from several threads to overlap the waits.
  constexpr size_t kSerialLimit = 8, kThreads = 16;
  if (links_.size() <= kSerialLimit) {
    while (!links_.empty()) {
      bpf_link__destroy(links_.back());
      links_.pop_back();
    }
    return;
  }
  std::vector<std::thread> workers;
  size_t n = std::min(kThreads, links_.size());
  for (size_t t = 0; t < n; ++t)
    workers.emplace_back([this, t, n] {
      for (size_t i = t; i < links_.size(); i += n)
        bpf_link__destroy(links_[i]);
    });
  for (auto &w : workers)
    w.join();
  links_.clear();
}

} // namespace bt::rt
