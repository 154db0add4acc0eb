// libbpf open/load, the libbpf log, verifier excerpts, .bss globals, test runs.
#include "bt/Runtime/Loader.h"

#include "bt/Runtime/MapAccess.h"

#include "AttachCookies.h"
#include "BpfMatches.h"
#include "WatchMatches.h"
#include "Cgroups.h"
#include "KaddrSymbols.h"
#include "KfuncAllowed.h"
#include "ModuleBtf.h"
#include "CoreRelocation.h"
#include "MultiLink.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/mman.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>

namespace bt::rt {

namespace {

struct LogState {
  bool verbose = false;
  std::string text;
};

LogState &logState() {
  static LogState s;
  return s;
}

int libbpfPrint(enum libbpf_print_level level, const char *fmt, va_list args) {
  va_list copy;
  va_copy(copy, args);
  char small[1024];
  int n = std::vsnprintf(small, sizeof small, fmt, copy);
  va_end(copy);
  std::string msg;
  if (n >= 0 && static_cast<size_t>(n) < sizeof small) {
    msg.assign(small, n);
  } else if (n >= 0) {
    msg.resize(static_cast<size_t>(n) + 1);
    std::vsnprintf(msg.data(), msg.size(), fmt, args);
    msg.resize(n);
  }
  LogState &s = logState();
  if (level != LIBBPF_DEBUG || s.verbose)
    s.text += msg;
  if (s.verbose)
    std::fputs(msg.c_str(), stderr);
  return 0;
}

struct PrintInstaller {
  PrintInstaller() { libbpf_set_print(libbpfPrint); }
};

void installPrint() { static PrintInstaller once; }

std::vector<std::string> splitLines(const std::string &text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos)
      nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

int64_t nanoseconds(clockid_t clock) {
  struct timespec ts;
  ::clock_gettime(clock, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// nsecs(sw_tai)'s offset, as bpftrace takes it at start: CLOCK_TAI minus CLOCK_BOOTTIME,
// the boot clock read between two TAI reads, from the tightest of a few tries.
uint64_t taiMinusBoottime() {
  int64_t best = INT64_MAX, delta = 0;
  for (int i = 0; i < 10; ++i) {
    int64_t before = nanoseconds(CLOCK_TAI), boot = nanoseconds(CLOCK_BOOTTIME),
            after = nanoseconds(CLOCK_TAI);
    if (after - before < best) {
      best = after - before;
      delta = before + (after - before) / 2 - boot;
    }
  }
  return uint64_t(delta);
}

} // namespace

void setLibbpfVerbose(bool verbose) {
  installPrint();
  logState().verbose = verbose;
}

std::vector<std::string> takeLibbpfLog() {
  auto lines = splitLines(logState().text);
  logState().text.clear();
  return lines;
}

std::string failedProgram(const std::vector<std::string> &log) {
  static const std::string marker = "prog '";
  for (const auto &l : log) {
    size_t p = l.find(marker);
    if (p == std::string::npos)
      continue;
    size_t start = p + marker.size();
    size_t end = l.find('\'', start);
    if (end == std::string::npos)
      continue;
    if (l.find("load failed", end) != std::string::npos ||
        l.find("failed to load", end) != std::string::npos ||
        l.find("BEGIN PROG LOAD LOG", end) != std::string::npos)
      return l.substr(start, end - start);
  }
  return {};
}

namespace {
// The verifier walks a loop once per iteration; these say it stopped before the end
// (the same state again; too many branches pending; a million instructions walked).
bool gaveUpOnLoop(const std::vector<std::string> &log) {
  for (const auto &l : log)
    if (l.find("infinite loop detected") != std::string::npos ||
        l.find("jumps is too complex") != std::string::npos ||
        l.find("BPF program is too large") != std::string::npos)
      return true;
  return false;
}
} // namespace

std::vector<std::string> verifierExcerpt(const std::vector<std::string> &log, size_t tail) {
  // The verifier log sits between libbpf's BEGIN/END PROG LOAD LOG markers.
  std::vector<std::string> vlog;
  bool in = false, sawMarkers = false;
  for (const auto &l : log) {
    if (l.find("-- BEGIN PROG LOAD LOG --") != std::string::npos) {
      in = true;
      sawMarkers = true;
      vlog.clear();
      continue;
    }
    if (l.find("-- END PROG LOAD LOG --") != std::string::npos) {
      in = false;
      continue;
    }
    if (in && !l.empty())
      vlog.push_back(l);
  }
  if (!sawMarkers)
    for (const auto &l : log)
      if (!l.empty())
        vlog.push_back(l);

  std::vector<std::string> out;
  size_t first = vlog.size() > tail ? vlog.size() - tail : 0;
  // Script lines (from BTF line info) before the tail, latest last, no repeats.
  std::vector<std::string> sources;
  for (size_t i = 0; i < first; ++i)
    if (vlog[i].rfind("; ", 0) == 0) {
      for (auto it = sources.begin(); it != sources.end(); ++it)
        if (*it == vlog[i]) {
          sources.erase(it);
          break;
        }
      sources.push_back(vlog[i]);
    }
  const size_t maxSources = 10;
  if (sources.size() > maxSources)
    sources.erase(sources.begin(), sources.end() - maxSources);
  out = sources;
  if (first > 0)
    out.push_back("...");
  for (size_t i = first; i < vlog.size(); ++i)
    out.push_back(vlog[i]);
  return out;
}

Globals64::~Globals64() {
  if (mem_)
    ::munmap(mem_, len_);
}

Result<std::unique_ptr<Globals64>> Globals64::map(int mapFd, size_t valueSize, const Globals &layout,
                                                  const std::vector<uint64_t> &counters) {
  std::vector<std::pair<uint64_t, uint64_t>> fields = {
      {layout.armedOffset, 8}, {layout.lostOffset, 8}, {layout.startOffset, 8}};
  if (layout.paramCountOffset)
    fields.push_back({*layout.paramCountOffset, 8});
  if (layout.childPidOffset)
    fields.push_back({*layout.childPidOffset, 8});
  if (layout.ncpusOffset)
    fields.push_back({*layout.ncpusOffset, 8});
  if (layout.pidNamespaceOffset)
    fields.push_back({*layout.pidNamespaceOffset, 16});
  if (layout.taiDeltaOffset)
    fields.push_back({*layout.taiDeltaOffset, 8});
  for (const PositionalParam &p : layout.params)
    fields.push_back({p.offset, p.size});
  for (const NamedParam &p : layout.namedParams)
    fields.push_back({p.offset, p.size});
  for (const CgroupIdSlot &c : layout.cgroupIds)
    fields.push_back({c.offset, 8});
  for (const KfuncAllowedSlot &k : layout.kfuncAllowed)
    fields.push_back({k.offset, 8});
  for (const obj::TracedBinaryNameSlot &t : layout.tracedBinaryNames)
    fields.push_back({t.offset, t.size});
  for (uint64_t off : counters)
    fields.push_back({off, 8});
  for (auto [off, size] : fields) {
    if (off > valueSize || size > valueSize - off)
      return Error("globals: an offset lies outside the " + std::to_string(valueSize) +
                   "-byte " + layout.mapSection + " map");
    if (off % 8)
      return Error("globals: offsets must be 8-byte aligned");
  }
  long page = ::sysconf(_SC_PAGESIZE);
  size_t len = (valueSize + page - 1) / page * page;
  void *mem = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, mapFd, 0);
  if (mem == MAP_FAILED)
    return Error("cannot mmap the " + layout.mapSection + " map: " + std::strerror(errno));
  auto g = std::unique_ptr<Globals64>(new Globals64());
  g->mem_ = mem;
  g->len_ = len;
  g->layout_ = layout;
  if (layout.ncpusOffset) {
    // The run host's possible CPUs (bpftrace's ncpus), known before anything runs.
    int n = libbpf_num_possible_cpus();
    if (n < 0)
      return Error(std::string("cannot count the possible CPUs: ") + std::strerror(-n));
    uint64_t v = static_cast<uint64_t>(n);
    std::memcpy(static_cast<char *>(mem) + *layout.ncpusOffset, &v, 8);
  }
  if (layout.pidNamespaceOffset) {
    // pid(curr_ns): the namespace btrun runs in, as bpftrace's is its own.
    struct stat st;
    if (::stat("/proc/self/ns/pid", &st) != 0)
      return Error(std::string("pid(curr_ns): cannot read /proc/self/ns/pid: ") +
                   std::strerror(errno));
    uint64_t ns[2] = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
    std::memcpy(static_cast<char *>(mem) + *layout.pidNamespaceOffset, ns, sizeof ns);
  }
  if (layout.taiDeltaOffset) {
    uint64_t delta = taiMinusBoottime();
    std::memcpy(static_cast<char *>(mem) + *layout.taiDeltaOffset, &delta, 8);
  }
  for (const CgroupIdSlot &c : layout.cgroupIds) {
    auto id = cgroupIdOf(c.path);
    if (!id)
      return std::move(id).error();
    std::memcpy(static_cast<char *>(mem) + c.offset, &*id, 8);
  }
  for (const KfuncAllowedSlot &k : layout.kfuncAllowed) {
    uint64_t allowed = kfuncAllowed(k.kfunc, k.section);
    std::memcpy(static_cast<char *>(mem) + k.offset, &allowed, 8);
  }
  return g;
}

void Globals64::setArmed(bool armed) {
  auto *p = reinterpret_cast<uint64_t *>(static_cast<char *>(mem_) + layout_.armedOffset);
  __atomic_store_n(p, armed ? 1ULL : 0ULL, __ATOMIC_SEQ_CST);
}

Status Globals64::setParams(const std::vector<std::string> &args) {
  char *base = static_cast<char *>(mem_);
  if (layout_.paramCountOffset) {
    uint64_t n = args.size();
    std::memcpy(base + *layout_.paramCountOffset, &n, 8);
  }
  for (const PositionalParam &p : layout_.params) {
    const std::string *arg = static_cast<size_t>(p.index) <= args.size() ? &args[p.index - 1] : nullptr;
    if (p.isString()) {
      std::memset(base + p.offset, 0, p.size);
      if (arg)
        std::memcpy(base + p.offset, arg->data(), std::min<size_t>(arg->size(), p.size - 1));
      continue;
    }
    std::optional<int64_t> v = arg ? obj::positionalInteger(*arg) : 0;
    if (!v)
      return Error("$" + std::to_string(p.index) + " is used as an integer but given '" + *arg +
                   "'; use str($" + std::to_string(p.index) + ") for text");
    std::memcpy(base + p.offset, &*v, 8);
  }
  return {};
}

Status Globals64::setNamedParams(const std::vector<std::string> &args) {
  std::map<std::string, std::optional<std::string>> given;
  for (const std::string &arg : args) {
    size_t eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    auto known = std::find_if(layout_.namedParams.begin(), layout_.namedParams.end(),
                              [&](const NamedParam &p) { return p.name == name; });
    if (known == layout_.namedParams.end()) {
      std::string names;
      for (const NamedParam &p : layout_.namedParams)
        names += (names.empty() ? "" : ", ") + ("--" + p.name);
      return Error("unknown program argument '" + arg + "' (the script reads " +
                   (names.empty() ? std::string("none") : names) + ")");
    }
    given[name] = eq == std::string::npos ? std::nullopt
                                          : std::optional<std::string>(arg.substr(eq + 1));
  }
  char *base = static_cast<char *>(mem_);
  for (const NamedParam &p : layout_.namedParams) {
    auto it = given.find(p.name);
    std::optional<std::string> text = it == given.end() ? p.defaultValue : it->second;
    auto wrong = [&](const std::string &kind) {
      return Error("program argument --" + p.name + " takes " + kind + ", not '" +
                   text.value_or("") + "'");
    };
    // `--name` alone is a bool's true; any other kind needs its value.
    auto missing = [&](const std::string &form) {
      return Error("program argument --" + p.name + " needs a value: --" + p.name + "=" + form);
    };
    if (p.type == ParamType::String) {
      if (!text)
        return missing("TEXT (a string)");
      std::memset(base + p.offset, 0, p.size);
      std::memcpy(base + p.offset, text->data(), std::min<size_t>(text->size(), p.size - 1));
      continue;
    }
    int64_t v = 0;
    if (p.type == ParamType::Bool) {
      if (!text || *text == "true" || *text == "1")
        v = 1;
      else if (*text != "false" && *text != "0")
        return wrong("true or false");
    } else {
      if (!text)
        return missing("N (an integer)");
      errno = 0;
      char *end = nullptr;
      v = std::strtoll(text->c_str(), &end, 0);
      // `--x=False` to getopt("x", 0): say which default made it an integer.
      if (::strcasecmp(text->c_str(), "true") == 0 || ::strcasecmp(text->c_str(), "false") == 0)
        return Error(wrong("an integer").message() + " (its default, " + p.defaultValue +
                     ", makes it an integer; a true or false default, or none, makes a bool)");
      if (text->empty() || *end != '\0' || errno == ERANGE)
        return wrong("an integer");
    }
    std::memcpy(base + p.offset, &v, 8);
  }
  return {};
}

void Globals64::setChildPid(uint64_t pid) {
  if (layout_.childPidOffset)
    std::memcpy(static_cast<char *>(mem_) + *layout_.childPidOffset, &pid, 8);
}

void Globals64::setTracedBinaries(const std::vector<std::string> &binaries) {
  for (size_t i = 0; i < layout_.tracedBinaryNames.size() && i < binaries.size(); ++i) {
    const obj::TracedBinaryNameSlot &t = layout_.tracedBinaryNames[i];
    std::string text = t.before + binaries[i] + t.after;
    char *at = static_cast<char *>(mem_) + t.offset;
    std::memset(at, 0, t.size);
    std::memcpy(at, text.data(), std::min<size_t>(text.size(), t.size - 1));
  }
}

void Globals64::setStartNow() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  uint64_t ns = uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
  auto *p = reinterpret_cast<uint64_t *>(static_cast<char *>(mem_) + layout_.startOffset);
  __atomic_store_n(p, ns, __ATOMIC_SEQ_CST);
}

uint64_t Globals64::lost() const { return counter(layout_.lostOffset); }

uint64_t Globals64::counter(uint64_t offset) const {
  auto *p = reinterpret_cast<uint64_t *>(static_cast<char *>(mem_) + offset);
  return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

BpfObject::~BpfObject() {
  for (const BpfMatch &m : bpfMatches_)
    if (m.progFd >= 0)
      ::close(m.progFd);
  if (obj_)
    bpf_object__close(obj_);
}

Result<std::unique_ptr<BpfObject>> BpfObject::load(const ObjectFile &file, const Manifest &manifest) {
  installPrint();
  takeLibbpfLog(); // start a fresh log

  std::string objName = file.path.substr(file.path.find_last_of('/') + 1);
  size_t dot = objName.find('.');
  if (dot != std::string::npos && dot > 0)
    objName.resize(dot);
  LIBBPF_OPTS(bpf_object_open_opts, opts);
  opts.object_name = objName.c_str();
  // log_size: the verifier's log goes to a buffer of that size (libbpf's own grows
  // as needed), whose text libbpf leaves to us.
  std::string kernelLog;
  if (auto size = manifest.options.run.logSize) {
    kernelLog.assign(*size, '\0');
    opts.kernel_log_buf = kernelLog.data();
    opts.kernel_log_size = kernelLog.size();
  }
  bpf_object *obj = bpf_object__open_mem(file.bytes.data(), file.bytes.size(), &opts);
  if (!obj) {
    int err = errno;
    Error e(file.path + ": libbpf cannot open the object: " + std::strerror(err));
    for (auto &l : takeLibbpfLog())
      if (!l.empty())
        e.details.push_back(l);
    return e;
  }
  std::unique_ptr<BpfObject> holder(new BpfObject(obj));

  // Every program the manifest names must be in the object.
  for (const auto &p : manifest.probes)
    for (const auto &a : p.attachments)
      if (!holder->program(a.program))
        return Error(file.path + ": " + a.probe + ": program '" + a.program +
                     "' is not in the object");
  // A program the manifest no longer names is not loaded: missing_probes left it
  // without attachments (what this host lacks may be its load-time target, a fentry
  // function, a tp_btf event), or the run's mode leaves its probe out (test and bench
  // outside --test/--bench: one the verifier refuses must not stop a run that ignores it).
  bpf_program *prog;
  bpf_object__for_each_program(prog, obj) {
    std::string name = bpf_program__name(prog);
    bool dispatcher = std::any_of(manifest.dispatchers.begin(), manifest.dispatchers.end(),
                                  [&](const Dispatcher &d) { return d.program == name; });
    if (!dispatcher && !manifest.findProgram(name).first)
      bpf_program__set_autoload(prog, false);
  }
  // So must every map: a missing one was found only when the maps were printed at exit.
  // And be the map the manifest describes: btrun sizes its reads by it.
  for (const auto &mi : manifest.maps) {
    bpf_map *m = holder->map(mi.bpfName);
    if (!m)
      return Error(file.path + ": map " + mi.name + " ('" + mi.bpfName + "') is not in the object");
    if (auto st = checkMapShape(kernelMapOf(m), mi); !st)
      return std::move(st).error().prefix(file.path + ": ");
  }
  // And every stack-trace map a kstack or ustack value points into, a tuple's too.
  auto checkStackMapIn = [&](const auto &self, const Field &f) -> Status {
    for (const Field &e : f.elements)
      if (auto st = self(self, e); !st)
        return st;
    if (f.type != FieldType::KernelStack && f.type != FieldType::UserStack)
      return {};
    bpf_map *m = holder->map(f.stackMap);
    if (!m || bpf_map__type(m) != BPF_MAP_TYPE_STACK_TRACE)
      return Error(file.path + ": stack map '" + f.stackMap + "' of a " + toString(f.type) +
                   " is not a stack_trace map in the object");
    // btrun reads its frames as the mode says: build ids from a BPF_F_STACK_BUILD_ID map,
    // addresses from any other.
    bool buildIdMap = bpf_map__map_flags(m) & BPF_F_STACK_BUILD_ID;
    if (buildIdMap != (f.stackMode == StackMode::BuildId))
      return Error(file.path + ": stack map '" + f.stackMap + "' of a " + toString(f.stackMode) +
                   " " + toString(f.type) + (buildIdMap ? " holds" : " does not hold") +
                   " build ids (BPF_F_STACK_BUILD_ID)");
    return {};
  };
  auto checkStackMap = [&](const Field &f) { return checkStackMapIn(checkStackMapIn, f); };
  for (const auto &mi : manifest.maps) {
    for (const Field &f : mi.key.fields)
      if (auto st = checkStackMap(f); !st)
        return std::move(st).error();
    if (mi.valueType)
      if (auto st = checkStackMap(*mi.valueType); !st)
        return std::move(st).error();
  }
  for (const auto &e : manifest.events)
    for (const Field &f : e.args)
      if (auto st = checkStackMap(f); !st)
        return std::move(st).error();

  // A script that sends no events, or only exit(), needs no real ring buffer:
  // one page (the smallest the kernel takes) instead of the object's size saves
  // its memory. The first exit record always fits.
  // perf_rb_pages (config or btrun --perf-rb-pages) sizes it otherwise.
  const long page = ::sysconf(_SC_PAGESIZE);
  if (bpf_map *rb = holder->map(manifest.ringbuf)) {
    if (manifest.sendsOnlyExit())
      bpf_map__set_max_entries(rb, static_cast<uint32_t>(page));
    else if (auto pages = manifest.options.run.perfRbPages)
      bpf_map__set_max_entries(rb, static_cast<uint32_t>(*pages * page));
  }

  // A program that serves several attachments (cookies) loads for the multi link
  // where the host has it: the kernel gives it that link's bpf_get_attach_cookie.
  for (const auto &p : manifest.probes) {
    if (p.attachments.empty() || !p.attachments[0].cookie)
      continue;
    bool uprobe = p.type == ProbeType::Uprobe || p.type == ProbeType::Uretprobe;
    int type = uprobe ? kTraceUprobeMulti : kTraceKprobeMulti;
    if (hostHasMultiLink(type))
      bpf_program__set_expected_attach_type(holder->program(p.attachments[0].program),
                                            static_cast<bpf_attach_type>(type));
  }

  if (auto st = checkAttachCookies(obj, manifest); !st)
    return std::move(st).error();
  if (auto st = checkKaddrSymbols(file); !st)
    return std::move(st).error();

  // fentry/fexit:bpf: each program targets its first match, named by that program's fd
  // at load (the kernel takes a reference then); its other matches get copies after.
  auto bpfMatches = findBpfMatches(manifest);
  if (!bpfMatches)
    return std::move(bpfMatches).error();
  auto targets = targetFirstMatches(*holder, manifest, *bpfMatches);
  if (!targets)
    return std::move(targets).error();
  std::vector<int> targetFds = std::move(*targets);
  auto closeTargets = [&] {
    for (int fd : targetFds)
      ::close(fd);
  };

  if (auto st = sizeWatchMatchNames(*holder, manifest); !st) {
    closeTargets();
    return std::move(st).error();
  }
  auto moduleTargets = setModuleTargets(*holder, manifest);
  if (!moduleTargets) {
    closeTargets();
    return std::move(moduleTargets).error();
  }

  int loaded = bpf_object__load(obj);
  int err = errno;
  closeTargets();
  if (loaded != 0) {
    auto log = takeLibbpfLog();
    for (auto &l : splitLines(kernelLog.c_str()))
      log.push_back(l);
    std::string prog = failedProgram(log);
    Error e;
    if (!prog.empty()) {
      auto [probe, att] = manifest.findProgram(prog);
      std::string who = att ? att->probe : "program '" + prog + "'";
      std::string where;
      if (probe && probe->line > 0)
        where = " (" + manifest.sourceName(probe->file) +
                ":" + std::to_string(probe->line) + ")";
      // A member this kernel lacks: one located line, not a verifier dump.
      if (auto core = failedCoreRelocation(log)) {
        e.messages.push_back((core->where.empty() ? std::string() : core->where + ": ") +
                             core->type + " has no member '" + core->member +
                             "' on this kernel (its CO-RE relocation failed, in " + who + ")");
        return e;
      }
      e.messages.push_back(who + where + ": the kernel verifier rejected program '" + prog +
                           "': " + std::strerror(err));
      if (gaveUpOnLoop(log))
        e.messages.push_back("the verifier could not walk a loop to its end (a `while`, or a "
                             "function's calls of itself, which btc makes a loop): it walks "
                             "each iteration, so the count needs a small bound it can see "
                             "(a constant, `$n & 15`)");
      e.details = verifierExcerpt(log);
    } else {
      e.messages.push_back(file.path + ": cannot load the object: " + std::strerror(err));
      for (auto &l : log)
        if (!l.empty())
          e.details.push_back(l);
      if (e.details.size() > 20)
        e.details.erase(e.details.begin(), e.details.end() - 20);
    }
    return e;
  }
  takeLibbpfLog();
  if (auto st = checkModuleTargets(*holder, *moduleTargets); !st)
    return std::move(st).error();
  if (auto st = loadBpfMatchCopies(*holder, manifest, *bpfMatches); !st)
    return std::move(st).error();
  return holder;
}

bpf_program *BpfObject::program(const std::string &name) const {
  return bpf_object__find_program_by_name(obj_, name.c_str());
}

bpf_map *BpfObject::map(const std::string &bpfName) const {
  return bpf_object__find_map_by_name(obj_, bpfName.c_str());
}

bpf_map *BpfObject::internalMap(const std::string &section) const {
  bpf_map *m;
  bpf_object__for_each_map(m, obj_) {
    std::string name = bpf_map__name(m);
    if (name.size() >= section.size() &&
        name.compare(name.size() - section.size(), section.size(), section) == 0)
      return m;
  }
  return nullptr;
}

size_t BpfObject::programCount() const {
  size_t n = 0;
  bpf_program *p;
  bpf_object__for_each_program(p, obj_)++ n;
  return n;
}

size_t BpfObject::mapCount() const {
  size_t n = 0;
  bpf_map *m;
  bpf_object__for_each_map(m, obj_)++ n;
  return n;
}

Result<uint32_t> BpfObject::testRun(const std::string &name) const {
  bpf_program *p = program(name);
  if (!p)
    return Error("program '" + name + "' is not in the object");
  uint64_t ctx[1] = {0};
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.ctx_in = ctx;
  opts.ctx_size_in = sizeof ctx;
  if (bpf_prog_test_run_opts(bpf_program__fd(p), &opts) != 0)
    return Error("cannot run program '" + name + "' (BPF_PROG_TEST_RUN): " + std::strerror(errno));
  return opts.retval;
}

Result<uint32_t> BpfObject::timeRepeatedRuns(const std::string &name, uint32_t repeat) const {
  bpf_program *p = program(name);
  if (!p)
    return Error("program '" + name + "' is not in the object");
  // The kernel runs an XDP program on a packet: the smallest it takes is an Ethernet
  // header (the program does not read it).
  uint8_t packet[64] = {};
  LIBBPF_OPTS(bpf_test_run_opts, opts);
  opts.data_in = packet;
  opts.data_size_in = sizeof packet;
  opts.repeat = repeat;
  if (bpf_prog_test_run_opts(bpf_program__fd(p), &opts) != 0)
    return Error("cannot run program '" + name + "' (BPF_PROG_TEST_RUN, repeat " +
                 std::to_string(repeat) + "): " + std::strerror(errno));
  return opts.duration;
}

} // namespace bt::rt
