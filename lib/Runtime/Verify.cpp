// Host checks before load: privileges, tracefs, probe types, tracepoints, binaries, BTF.
#include "bt/Runtime/Verify.h"

#include "bt/Object/BpfIsa.h"
#include "bt/Runtime/BpfPrograms.h"
#include "ModuleBtf.h"
#include "bt/Target/ElfBuildId.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/perf_event.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <map>
#include <optional>
#include <set>

namespace bt::rt {

namespace {

bool exists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool hasCap(const __user_cap_data_struct (&data)[2], int cap) {
  return data[cap / 32].effective & (1u << (cap % 32));
}

bool haveKprobes() {
  return exists("/sys/bus/event_source/devices/kprobe") ||
         exists(std::string(kTracefs) + "/kprobe_events");
}

/// Raw tracepoints are named without their category: look for any category holding it.
bool rawTracepointExists(const std::string &name) {
  std::string events = std::string(kTracefs) + "/events";
  DIR *d = ::opendir(events.c_str());
  if (!d)
    return false;
  bool found = false;
  while (struct dirent *de = ::readdir(d)) {
    if (de->d_name[0] == '.')
      continue;
    if (exists(events + "/" + de->d_name + "/" + name)) {
      found = true;
      break;
    }
  }
  ::closedir(d);
  return found;
}

// Whether the kernel takes BPF CPU v4 code: a socket filter whose first instruction
// is a gotol (BPF_JMP32 | BPF_JA, its offset in imm) to the next, which 6.6 added.
bool takesCpuV4() {
  struct bpf_insn insns[3] = {};
  insns[0].code = BPF_JMP32 | BPF_JA;
  insns[1].code = BPF_ALU64 | BPF_MOV | BPF_K; // r0 = 0
  insns[2].code = BPF_JMP | BPF_EXIT;
  int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "bt_probe_v4", "GPL", insns, 3, nullptr);
  if (fd < 0)
    return false;
  ::close(fd);
  return true;
}

// Whether tracing links carry a BPF cookie (Linux 5.19+), by which fentry:bpf's copies tell
// their matches' `probe` and `func` apart. The release says: no tracing program loads
// without a target to probe with, and libbpf probes no helper of tracing programs.
// BT_TEST_NO_ATTACH_COOKIES takes the refusal on a kernel that has them.
bool hasTracingCookies() {
  if (std::getenv("BT_TEST_NO_ATTACH_COOKIES"))
    return false;
  struct utsname u;
  unsigned major = 0, minor = 0;
  if (::uname(&u) != 0 || std::sscanf(u.release, "%u.%u", &major, &minor) != 2)
    return true; // unknown: the attach says
  return major > 5 || (major == 5 && minor >= 19);
}

// Whether the kernel has bpf_loop (Linux 5.17+).
bool hasBpfLoop() {
  // Tests take the refusal on a kernel that has it (test/runtime/no-bpf-loop.test).
  if (std::getenv("BT_TEST_NO_BPF_LOOP"))
    return false;
  return libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_loop, nullptr) == 1;
}

} // namespace

// A counting event on CPU 0: a VM without a virtual PMU has none.
std::string hardwareEventLacks(uint64_t config) {
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_HARDWARE;
  attr.config = config;
  attr.disabled = 1;
  int fd = static_cast<int>(::syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC));
  if (fd >= 0) {
    ::close(fd);
    return {};
  }
  int err = errno;
  if (err == ENOENT || err == EOPNOTSUPP)
    return "hardware perf events not supported by this host (no PMU counts this event: " +
           std::string(std::strerror(err)) + ")";
  return std::string("cannot open a hardware perf event: ") + std::strerror(err);
}

/// Whether the kernel lets a fentry/fexit program attach to `symbol`. Loads a two-
/// instruction program that returns 0 and attaches it for a moment: nothing of the
/// object is loaded. Returns an empty string when it works, else the reason.
std::string probeTracing(const std::string &symbol, bool exit) {
  struct btf *vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux)
    return "no kernel BTF (/sys/kernel/btf/vmlinux)";
  int id = btf__find_by_name_kind(vmlinux, symbol.c_str(), BTF_KIND_FUNC);
  btf__free(vmlinux);
  if (id < 0)
    return "function '" + symbol + "' not found in kernel BTF";
  return probeTracing(0, static_cast<uint32_t>(id), exit);
}

std::string probeTracing(int progFd, uint32_t btfId, bool exit) {
  return probeTracing(progFd, 0, btfId, exit);
}

std::string probeTracing(int progFd, int btfObjFd, uint32_t btfId, bool exit) {
  struct bpf_insn insns[2] = {};
  insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K; // r0 = 0
  insns[1].code = BPF_JMP | BPF_EXIT;
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.expected_attach_type = exit ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY;
  opts.attach_btf_id = btfId;
  opts.attach_prog_fd = static_cast<__u32>(progFd);
  opts.attach_btf_obj_fd = static_cast<__u32>(btfObjFd);
  int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "bt_probe", "GPL", insns, 2, &opts);
  if (fd < 0)
    return "not supported by this kernel";
  int link = bpf_raw_tracepoint_open(nullptr, fd);
  int err = errno;
  ::close(fd);
  if (link < 0)
    return std::string("not supported by this kernel (") + std::strerror(err) + ")";
  ::close(link);
  return {};
}

std::string AttachmentCheck::lacks(const ProbeSpec &p, const AttachmentSpec &a) {
  const std::string typeName = toString(p.type);
  if (p.type == ProbeType::Tracepoint) {
    if (tracefsOk_ && !exists(std::string(kTracefs) + "/events/" + a.target.category + "/" +
                              a.target.name))
      return "tracepoint not found";
  } else if (p.type == ProbeType::RawTracepoint || p.type == ProbeType::TpBtf) {
    if (tracefsOk_ && !rawTracepointExists(a.target.name))
      return "tracepoint not found";
  } else if (p.type == ProbeType::Uprobe || p.type == ProbeType::Uretprobe ||
             p.type == ProbeType::Usdt) {
    // No binary: the -p process's, which btrun finds when it runs (ProcessBinaries.cpp).
    if (a.target.path.empty())
      return "";
    if (::access(a.target.path.c_str(), R_OK) != 0)
      return "binary '" + a.target.path + "' not found";
    if (!a.target.buildId.empty()) {
      auto id = elfBuildId(a.target.path);
      if (!id)
        return id.error();
      if (*id != a.target.buildId)
        return "binary '" + a.target.path + "' has build id " +
               (id->empty() ? std::string("none") : *id) + ", not " + a.target.buildId +
               ", whose DWARF typed the probe's args at compile time (compile the script "
               "against this binary)";
    }
  } else if (p.type == ProbeType::Kprobe || p.type == ProbeType::Kretprobe) {
    if (!haveKprobes())
      return typeName + " not supported by this kernel (no kprobes)";
  } else if (p.type == ProbeType::Fentry || p.type == ProbeType::Fexit) {
    if (a.target.onBpfProgram)
      return bpfFunctionLacks(p, a);
    // fentry:MODULE:fn: the function of that module's BTF object.
    std::optional<ModuleFunction> inModule;
    if (!a.target.module.empty()) {
      auto f = findModuleFunction(a.target.module, a.target.symbol);
      if (!f)
        return f.error().message();
      inModule = *f;
    }
    auto it = tracingVerdict_.find(typeName);
    std::string reason;
    if (it == tracingVerdict_.end()) {
      reason = inModule ? probeTracing(0, inModule->btfFd, inModule->funcId,
                                       p.type == ProbeType::Fexit)
                        : probeTracing(a.target.symbol, p.type == ProbeType::Fexit);
      // A missing function is about this target only; support is about the kernel.
      if (reason.rfind("function", 0) != 0)
        tracingVerdict_[typeName] = reason;
    } else {
      reason = it->second;
    }
    if (inModule)
      ::close(inModule->btfFd);
    if (!reason.empty())
      return (reason.rfind("not supported", 0) == 0 ? typeName + " " : "") + reason;
  } else if (p.type == ProbeType::Interval || p.type == ProbeType::Profile ||
             p.type == ProbeType::Software) {
    if (!exists("/sys/bus/event_source/devices/software"))
      return "software perf events not supported by this kernel";
  } else if (p.type == ProbeType::Hardware) {
    return hardwareEventLacks(a.target.config);
  } else if (p.type == ProbeType::Watchpoint || p.type == ProbeType::AsyncWatchpoint) {
    if (!exists("/sys/bus/event_source/devices/breakpoint"))
      return "breakpoint perf events not supported by this kernel";
  } else if (p.type == ProbeType::Iter) {
    if (!exists("/sys/kernel/btf/vmlinux"))
      return "iter not supported by this kernel (no kernel BTF)";
  }
  return {};
}

// Whether fentry/fexit:bpf's functions run here, and the kernel lets a program attach to
// each (it refuses, e.g., a program that is itself fentry or fexit).
std::string AttachmentCheck::bpfFunctionLacks(const ProbeSpec &p, const AttachmentSpec &a) {
  auto found = findBpfFunctions(a.target.symbol, a.target.bpfProgramId);
  if (!found)
    return found.error().message();
  for (const BpfFunction &f : *found) {
    int fd = bpf_prog_get_fd_by_id(f.progId);
    if (fd < 0)
      return "BPF program " + std::to_string(f.progId) + " ended: " + std::strerror(errno);
    std::string reason = probeTracing(fd, f.btfId, p.type == ProbeType::Fexit);
    ::close(fd);
    if (reason.rfind("not supported", 0) == 0)
      return toString(p.type) + std::string(" on BPF program ") + std::to_string(f.progId) +
             " " + reason;
    if (!reason.empty())
      return reason;
  }
  return {};
}

Status checkPrivileges() {
  if (::geteuid() == 0)
    return {};
  __user_cap_header_struct hdr{};
  __user_cap_data_struct data[2] = {};
  hdr.version = _LINUX_CAPABILITY_VERSION_3;
  hdr.pid = 0;
  if (::syscall(SYS_capget, &hdr, data) == 0) {
    if (hasCap(data, CAP_SYS_ADMIN))
      return {};
#ifdef CAP_BPF
    if (hasCap(data, CAP_BPF) && hasCap(data, CAP_PERFMON))
      return {};
#endif
  }
  return Error("insufficient privileges: btrun needs root, or CAP_BPF and CAP_PERFMON");
}

Status ensureTracefs() {
  if (exists(std::string(kTracefs) + "/events"))
    return {};
  if (::mount("tracefs", kTracefs, "tracefs", 0, nullptr) != 0 &&
      !exists(std::string(kTracefs) + "/events"))
    return Error(std::string("cannot mount tracefs at ") + kTracefs + ": " + std::strerror(errno));
  return {};
}

size_t leaveOutMissing(Manifest &m) {
  if (m.options.missingProbes == MissingProbes::Error)
    return 0;
  AttachmentCheck check{bool(ensureTracefs())};
  size_t leftOut = 0;
  std::set<std::string> keptNeeds, leftOutNeeds; // "category/name" and binaries
  for (auto &p : m.probes) {
    std::vector<AttachmentSpec> kept;
    for (auto &a : p.attachments) {
      std::string lacks = check.lacks(p, a);
      std::string need = p.type == ProbeType::Tracepoint
                             ? a.target.category + "/" + a.target.name
                             : a.target.path;
      (lacks.empty() ? keptNeeds : leftOutNeeds).insert(need);
      if (lacks.empty()) {
        kept.push_back(std::move(a));
        continue;
      }
      ++leftOut;
      if (m.options.missingProbes == MissingProbes::Warn)
        std::fprintf(stderr, "btrun: warning: %s: %s: left out (missing_probes = warn)\n",
                     (a.probe.empty() ? p.text : a.probe).c_str(), lacks.c_str());
    }
    p.attachments = std::move(kept);
  }
  if (!leftOut)
    return 0;
  // What only left-out attachments needed is needed no more.
  auto &order = m.attachOrder;
  order.erase(std::remove_if(order.begin(), order.end(),
                             [&](const std::string &prog) { return !m.findProgram(prog).first; }),
              order.end());
  auto unneeded = [&](const std::string &need) {
    return leftOutNeeds.count(need) && !keptNeeds.count(need);
  };
  for (auto *needs : {&m.requirements.tracepoints, &m.requirements.binaries})
    needs->erase(std::remove_if(needs->begin(), needs->end(), unneeded), needs->end());
  return leftOut;
}

Status verifyHost(const Manifest &m) {
  auto priv = checkPrivileges();
  if (!priv)
    return priv;

  Error err;
  auto add = [&](const std::string &msg) { err.messages.push_back(msg); };

  bool needTracefs = false;
  for (const auto &p : m.probes)
    if (p.type == ProbeType::Tracepoint || p.type == ProbeType::RawTracepoint ||
        p.type == ProbeType::TpBtf)
      needTracefs = true;
  if (!m.requirements.tracepoints.empty())
    needTracefs = true;
  bool tracefsOk = true;
  if (needTracefs) {
    auto st = ensureTracefs();
    if (!st) {
      add(st.error().message());
      tracefsOk = false;
    }
  }

  if (m.bpfMatchNames && !hasTracingCookies())
    for (const auto &p : m.probes)
      for (const auto &a : p.attachments)
        if (a.target.onBpfProgram)
          add(a.probe + ": tells its matches' `probe` and `func` apart by the cookie of each "
                        "tracing link, which this kernel lacks (Linux 5.19+)");

  AttachmentCheck check(tracefsOk);
  std::set<std::string> checkedTracepoints;
  std::set<std::string> checkedBinaries; // reported with their probe, not twice
  for (const auto &p : m.probes) {
    for (const auto &a : p.attachments) {
      if (p.type == ProbeType::Tracepoint)
        checkedTracepoints.insert(a.target.category + "/" + a.target.name);
      else if (p.type == ProbeType::Uprobe || p.type == ProbeType::Uretprobe ||
               p.type == ProbeType::Usdt)
        checkedBinaries.insert(a.target.path);
      std::string lacks = check.lacks(p, a);
      if (!lacks.empty())
        add((a.probe.empty() ? p.text : a.probe) + ": " + lacks);
    }
  }

  for (const auto &tp : m.requirements.tracepoints)
    if (tracefsOk && !checkedTracepoints.count(tp) && !exists(std::string(kTracefs) + "/events/" + tp))
      add("tracepoint:" + tp.substr(0, tp.find('/')) + ":" +
          (tp.find('/') == std::string::npos ? std::string() : tp.substr(tp.find('/') + 1)) +
          ": tracepoint not found");
  for (const auto &b : m.requirements.binaries)
    if (!checkedBinaries.count(b) && ::access(b.c_str(), R_OK) != 0)
      add("binary '" + b + "' not found");
  if (tracefsOk)
    checkTracepointFields(m, err.messages);
  if (m.requirements.btf && !exists("/sys/kernel/btf/vmlinux"))
    add("object requires kernel BTF, but /sys/kernel/btf/vmlinux is missing");
  const auto &helpers = m.requirements.helpers;
  if (std::find(helpers.begin(), helpers.end(), BPF_FUNC_loop) != helpers.end() && !hasBpfLoop())
    add("object calls bpf_loop (string work on strings over 128 bytes, strlen(), strcontains(), "
        "strstr(), loops, globmatch(), in_cgroup(), "
        "per-CPU map reads), which this kernel lacks: it needs Linux 5.17 or later (with "
        "strings, compile with max_strlen at most 128)");
  if (m.options.strlen > obj::kMaxCpuV3Strlen && !takesCpuV4())
    add("object's strings of " + std::to_string(m.options.strlen) +
        " bytes (max_strlen over " + std::to_string(obj::kMaxCpuV3Strlen) +
        ") are BPF CPU v4 code, which needs kernel 6.6 or later: this kernel refuses its "
        "32-bit jumps (compile with max_strlen at most " +
        std::to_string(obj::kMaxCpuV3Strlen) + ")");

  if (!err.messages.empty())
    return err;
  return {};
}

} // namespace bt::rt
