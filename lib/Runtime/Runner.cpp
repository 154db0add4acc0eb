// verify -> load -> attach (phase one) -> arm (BEGIN, flag) -> run -> stop.
#include "bt/Runtime/Runner.h"

#include "bt/Format/Text.h"
#include "bt/Object/Json.h"
#include "bt/Runtime/Privileges.h"
#include "bt/Runtime/Attach.h"
#include "bt/Runtime/EventLoop.h"
#include "bt/Runtime/Loader.h"
#include "bt/Runtime/Metrics.h"
#include "bt/Runtime/ObjectReader.h"
#include "bt/Runtime/Output.h"
#include "bt/Runtime/Verify.h"
#include "KernelRecords.h"
#include "RunSteps.h"
#include "ProcessBinaries.h"
#include "WatchMatches.h"
#include "UprobeProcess.h"

#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <fcntl.h>
#include <sys/wait.h>
#include <wordexp.h>

#include <thread>
#include <unistd.h>

namespace bt::rt {

namespace {

// Positional arguments for a message: "$1='42', $2='x'", or "none".
std::string describeArguments(const std::vector<std::string> &args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i)
    out += (i ? ", $" : "$") + std::to_string(i + 1) + "='" +
           format::escapeNonPrintable(args[i]) + "'";
  return out.empty() ? "none" : out;
}

// SIGINTs and SIGTERMs so far: the first stops the run, another ends the bounded
// handling of what was queued at the stop (a user pressing Ctrl-C twice).
volatile std::sig_atomic_t gStopSignals = 0;
volatile std::sig_atomic_t gChildSignal = 0;
volatile std::sig_atomic_t gUsr1Signal = 0;

extern "C" void onStopSignal(int) { gStopSignals = gStopSignals + 1; }
extern "C" void onChildSignal(int) { gChildSignal = 1; }
extern "C" void onUsr1Signal(int) { gUsr1Signal = 1; }

/// Installs the handlers for the run and restores the previous ones when it ends.
class SignalScope {
public:
  SignalScope() {
    gStopSignals = 0;
    gChildSignal = 0;
    gUsr1Signal = 0;
    install(SIGINT, onStopSignal, &oldInt_);
    install(SIGTERM, onStopSignal, &oldTerm_);
    install(SIGCHLD, onChildSignal, &oldChld_);
    // SIGUSR1 runs the self:signal:SIGUSR1 probes; without one it does nothing (as
    // bpftrace since its self probes, which replaced 0.17's printing of the maps).
    install(SIGUSR1, onUsr1Signal, &oldUsr1_);
  }
  ~SignalScope() {
    sigaction(SIGINT, &oldInt_, nullptr);
    sigaction(SIGTERM, &oldTerm_, nullptr);
    sigaction(SIGCHLD, &oldChld_, nullptr);
    sigaction(SIGUSR1, &oldUsr1_, nullptr);
  }

private:
  static void install(int sig, void (*fn)(int), struct sigaction *old) {
    struct sigaction sa {};
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a signal interrupts the ring-buffer wait
    sigaction(sig, &sa, old);
  }
  struct sigaction oldInt_ {}, oldTerm_ {}, oldChld_ {}, oldUsr1_ {};
};

/// The -c command: started after arming, stopped (SIGTERM) if still running at the end.
class Child {
public:
  ~Child() {
    for (int fd : {goFd_, failedFd_})
      if (fd >= 0)
        ::close(fd);
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int st;
      ::waitpid(pid_, &st, 0);
    }
  }
  /// Splits the command like a shell (quotes and escapes honoured, no command
  /// substitution) and finds its program, so that a bad command is refused before
  /// anything is loaded.
  Status parse(const std::string &command) {
    wordexp_t we{};
    int rc = ::wordexp(command.c_str(), &we, WRDE_NOCMD);
    if (rc != 0) {
      if (rc != WRDE_NOSPACE)
        return Error("-c: cannot parse the command '" + command + "'" +
                     (rc == WRDE_CMDSUB ? " (command substitution is not allowed)"
                      : rc == WRDE_BADCHAR ? " (unquoted special character)"
                                           : " (unbalanced quotes?)"));
      ::wordfree(&we);
      // glibc's wordexp fails this way when `~` starts a word and HOME is empty.
      const char *home = std::getenv("HOME");
      if (home && !*home && command.find('~') != std::string::npos)
        return Error("-c: cannot expand '~' in '" + command + "': HOME is empty");
      return Error("-c: out of memory");
    }
    for (size_t i = 0; i < we.we_wordc; ++i)
      words_.push_back(we.we_wordv[i]);
    ::wordfree(&we);
    if (words_.empty())
      return Error("-c: empty command");
    if (int err = findProgram(words_[0], program_))
      return Error("-c: cannot run '" + words_[0] + "': " + std::strerror(err));
    return {};
  }
  /// The file the command runs, as execvp will find it (parse() found it).
  const std::string &program() const { return program_; }
  /// Forks the command's process, held before exec until release(): its pid is
  /// known to the programs (cpid) before they are armed, as in bpftrace.
  Status spawn() {
    std::vector<char *> argv;
    for (auto &w : words_)
      argv.push_back(w.data());
    argv.push_back(nullptr);
    int go[2], failed[2];
    if (::pipe2(go, O_CLOEXEC) != 0)
      return Error("-c: pipe: " + std::string(std::strerror(errno)));
    if (::pipe2(failed, O_CLOEXEC) != 0) {
      ::close(go[0]);
      ::close(go[1]);
      return Error("-c: pipe: " + std::string(std::strerror(errno)));
    }
    pid_t pid = ::fork();
    if (pid < 0)
      return Error("-c: fork: " + std::string(std::strerror(errno)));
    if (pid == 0) {
      ::close(go[1]);
      ::close(failed[0]);
      struct sigaction sa {};
      sa.sa_handler = SIG_DFL;
      sigaction(SIGINT, &sa, nullptr);
      sigaction(SIGTERM, &sa, nullptr);
      sigaction(SIGCHLD, &sa, nullptr);
      sigaction(SIGUSR1, &sa, nullptr);
      char c;
      if (::read(go[0], &c, 1) != 1) // btrun gave up before releasing it
        ::_exit(127);
      ::execvp(argv[0], argv.data());
      int err = errno;
      (void)!::write(failed[1], &err, sizeof err);
      ::_exit(127);
    }
    ::close(go[0]);
    ::close(failed[1]);
    pid_ = pid;
    goFd_ = go[1];
    failedFd_ = failed[0];
    return {};
  }
  /// Lets the held process exec the command; an exec failure is an error.
  Status release() {
    char c = 1;
    (void)!::write(goFd_, &c, 1);
    ::close(goFd_);
    goFd_ = -1;
    int err = 0;
    ssize_t n = ::read(failedFd_, &err, sizeof err);
    ::close(failedFd_);
    failedFd_ = -1;
    if (n == sizeof err) {
      int st;
      ::waitpid(pid_, &st, 0);
      pid_ = -1;
      return Error("-c: cannot run '" + words_[0] + "': " + std::strerror(err));
    }
    return {};
  }
  pid_t pid() const { return pid_; }
  /// Reaps the child if it has exited.
  bool exited() {
    if (pid_ <= 0)
      return false;
    int st;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return true;
    }
    return false;
  }
  bool running() const { return pid_ > 0; }

private:
  /// 0 if execvp would find an executable for NAME (then `found` is its path), else the
  /// errno it would fail with.
  static int findProgram(const std::string &name, std::string &found) {
    if (name.find('/') != std::string::npos) {
      found = name;
      return ::access(name.c_str(), X_OK) == 0 ? 0 : errno;
    }
    const char *path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/bin:/usr/bin";
    int err = ENOENT;
    for (size_t b = 0; b <= dirs.size();) {
      size_t e = dirs.find(':', b);
      if (e == std::string::npos)
        e = dirs.size();
      std::string dir = e == b ? "." : dirs.substr(b, e - b);
      std::string full = dir + "/" + name;
      if (::access(full.c_str(), X_OK) == 0) {
        found = full;
        return 0;
      }
      if (errno == EACCES)
        err = EACCES;
      b = e + 1;
    }
    return err;
  }

  std::vector<std::string> words_;
  std::string program_;
  pid_t pid_ = -1;
  int goFd_ = -1, failedFd_ = -1;
};

// How long btrun goes on handling the records queued when a run stops (on a signal,
// --timeout, exit of -c's command or -p's process) before it drops the rest. bpftrace
// stops handling them at once on a signal; a second keeps what a burst just before the
// end printed (a full buffer of printf records takes a fraction of it), while a flood of
// system() or cat() records, milliseconds each, no longer delays the exit by seconds.
// END's own records are never bounded.
constexpr std::chrono::milliseconds kStopDrainBound{1000};

void say(bool verbose, const std::string &msg) {
  if (verbose)
    std::fprintf(stderr, "btrun: %s\n", msg.c_str());
}

} // namespace

Result<Loaded> prepare(const std::string &path, bool verbose, const TrustPolicy &trust,
                       const RunSettingOverrides &run, RunMode mode,
                       const TracedProcessFiles *process, BinaryFiles *binaries) {
  setLibbpfVerbose(verbose);
  auto file = openObject(path, trust);
  if (!file)
    return std::move(file).error();
  if (run.perfRbPages)
    file->manifest.options.run.perfRbPages = run.perfRbPages;
  if (run.logSize)
    file->manifest.options.run.logSize = run.logSize;
  say(verbose, path + ": object and manifest verified (" +
                   std::to_string(file->object.sections.size()) + " sections)");
  // Before the host's checks: the kernel's BTF is readable without privileges.
  if (auto listed = listKernelRecords(file->manifest); !listed)
    return std::move(listed).error();
  leaveOutMissing(file->manifest);
  selectRunMode(file->manifest, mode);
  auto host = verifyHost(file->manifest);
  if (!host)
    return std::move(host).error();
  say(verbose, "host verified");
  if (process && binaries)
    if (auto st = findProcessBinaries(file->manifest, *process, *binaries); !st)
      return std::move(st).error();
  auto bpf = BpfObject::load(file->object, file->manifest);
  if (!bpf)
    return std::move(bpf).error();
  say(verbose, "loaded " + std::to_string((*bpf)->programCount()) + " programs");
  return Loaded{std::move(*file), std::move(*bpf)};
}

std::vector<const AttachmentSpec *> programsOfType(const Manifest &m, ProbeType type) {
  std::vector<const AttachmentSpec *> out;
  for (const auto &p : m.probes)
    if (p.type == type)
      for (const auto &a : p.attachments)
        out.push_back(&a);
  return out;
}

Status runSpecial(const BpfObject &bpf, const Manifest &m, ProbeType type) {
  for (const AttachmentSpec *a : programsOfType(m, type)) {
    auto ran = bpf.testRun(a->program);
    if (!ran)
      return std::move(ran).error().prefix((a->probe.empty() ? std::string(toString(type)) : a->probe) + ": ");
  }
  return {};
}

namespace {

Result<std::unique_ptr<Globals64>> setUpGlobals(const RunOptions &opt, const Manifest &m,
                                                BpfObject &bpf) {
  // `--name[=value]` (after `--`, as bpftrace takes them) are getopt's named parameters.
  std::vector<std::string> positional, named;
  for (const auto &p : opt.params)
    (p.rfind("--", 0) == 0 ? named : positional).push_back(p);
  // btc compiled the arguments in: other ones would print what the object does not do.
  if (const auto &fixed = m.globals.fixedParams; fixed && !positional.empty() &&
                                                  positional != *fixed)
    return Error(opt.objectPath + ": btc fixed the positional parameters when it compiled " +
                 "the script (" + describeArguments(*fixed) + "), but btrun was given " +
                 describeArguments(positional) +
                 ": run it without them, or compile the script again with these");
  // A second object given by mistake would otherwise be ignored as an unused $1.
  if (!positional.empty() && !m.globals.fixedParams && !m.globals.paramCountOffset &&
      m.globals.params.empty())
    return Error(opt.objectPath + ": the script reads no positional parameters, but " +
                 std::to_string(positional.size()) + " argument" +
                 (positional.size() == 1 ? " was" : "s were") + " given ('" + positional[0] +
                 "')");
  bpf_map *globalsMap = bpf.internalMap(m.globals.mapSection);
  if (!globalsMap)
    return Error(opt.objectPath + ": no '" + m.globals.mapSection + "' map for the runtime globals");
  auto globals = Globals64::map(bpf_map__fd(globalsMap), bpf_map__value_size(globalsMap), m.globals,
                                m.dropCounterOffsets());
  if (!globals)
    return std::move(globals).error().prefix(opt.objectPath + ": ");
  (*globals)->setArmed(false);
  if (auto st = (*globals)->setParams(positional); !st)
    return std::move(st).error();
  if (auto st = (*globals)->setNamedParams(named); !st)
    return std::move(st).error();
  return globals;
}

} // namespace

Result<RunState> startRun(const RunOptions &opt, const Manifest &m, BpfObject &bpf, Output &out) {
  if (!m.options.unsafeFunctions.empty() && !opt.unsafe)
    return Error(opt.objectPath + ": the script calls " + m.options.unsafeFunctions.front() +
                 "(), an unsafe function: run btrun with --unsafe");
  auto globals = setUpGlobals(opt, m, bpf);
  if (!globals)
    return std::move(globals).error();
  auto loop = EventLoop::open(bpf, m, out);
  if (!loop)
    return std::move(loop).error().prefix(opt.objectPath + ": ");
  (*loop)->setWarnings(opt.warnings && m.options.warnings);
  return RunState{std::move(*globals), std::move(*loop)};
}

namespace {

/// Every map, in name order, as bpftrace prints them at exit.
Status printMaps(const BpfObject &bpf, const Manifest &m, Output &out, const FormatContext &ctx) {
  std::vector<const MapSpec *> maps;
  for (const auto &mi : m.maps)
    maps.push_back(&mi);
  std::stable_sort(maps.begin(), maps.end(),
                   [](const MapSpec *a, const MapSpec *b) { return a->name < b->name; });
  for (const MapSpec *mi : maps) {
    auto text = renderMap(bpf, *mi, out.format(), ctx);
    if (!text)
      return std::move(text).error();
    out.map(*text);
  }
  return {};
}

} // namespace

Result<std::string> manifestJson(const std::string &path) {
  auto obj = readObject(path);
  if (!obj)
    return std::move(obj).error();
  // Keys print in the stored (sorted) order.
  obj::Json j = obj::parseJson(obj->manifestText);
  if (j.is_discarded())
    return Error(path + ": invalid manifest: not valid JSON");
  return j.dump(2, ' ', false, obj::Json::error_handler_t::replace) + "\n";
}

Result<std::string> namedParamsHelp(const std::string &path) {
  auto obj = readObject(path);
  if (!obj)
    return std::move(obj).error();
  auto m = parseManifest(obj->manifestText);
  if (!m)
    return std::move(m).error();
  const auto &params = m->globals.namedParams;
  if (params.empty())
    return std::string();
  std::string out = "\n" + path + " named parameters (after --):\n";
  for (const NamedParam &p : params) {
    std::string flag = "--" + p.name + (p.type == ParamType::Bool     ? ""
                                        : p.type == ParamType::String ? "=STRING"
                                                                      : "=INT");
    out += "  " + flag + std::string(flag.size() < 24 ? 24 - flag.size() : 1, ' ');
    if (!p.description.empty())
      out += p.description + " ";
    out += "(default: " + (p.type == ParamType::String ? "\"" + p.defaultValue + "\"" : p.defaultValue) +
           ")\n";
  }
  return out;
}

Result<std::string> dryRun(const std::string &path, const TrustPolicy &trust) {
  auto file = openObject(path, trust);
  if (!file)
    return std::move(file).error();
  const Manifest &m = file->manifest;
  std::string out = path + ": " + std::to_string(m.attachPointCount()) + " attach point" +
                    (m.attachPointCount() == 1 ? "" : "s") + ", two-phase start " +
                    (m.options.syncStart ? "on" : "off") + "\n";
  out += "phase 1: attach (probes " + std::string(m.options.syncStart ? "disarmed" : "live") +
         ")\n";
  size_t step = 0;
  UsdtNoteFiles usdtFiles;
  for (const auto &prog : m.attachOrder) {
    auto [probe, first] = m.findProgram(prog);
    // A program raw_syscalls dispatches may serve several syscalls: a step each.
    for (const AttachmentSpec &a : probe->attachments) {
      if (a.program != prog || (first->cookie && &a != first))
        continue;
      out += "  " + std::to_string(++step) + ". " + a.probe + "  program " + prog +
             "  (probe " + std::to_string(probe->index) + ", line " +
             std::to_string(probe->line) + ")\n";
      if (probe->type == ProbeType::Usdt) {
        // The sites it will attach to, from the binary's notes as this host has it.
        const AttachTarget &t = a.target;
        if (t.path.empty()) {
          out += "     its sites: in the binaries of -p PID's process, or in -c CMD's "
                 "program, when btrun runs\n";
          continue;
        }
        auto sites = usdtFiles.sites(t.path, t.provider, t.name);
        if (!sites)
          out += "     " + sites.error().message() + "\n";
        else if (sites->empty())
          out += "     " + noUsdtProbeMessage(t.path, t.provider, t.name) + "\n";
        auto hex = [](uint64_t v) {
          char buf[24];
          std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
          return std::string(buf);
        };
        for (const UsdtSite &s : sites ? *sites : std::vector<UsdtSite>{}) {
          out += "     site " + s.provider + ":" + s.name + " at file offset " + hex(s.offset);
          if (s.semaphore)
            out += ", semaphore at file offset " + hex(s.semaphoreOffset);
          out += "\n";
        }
      }
    }
  }
  auto special = [&](ProbeType type) {
    std::string names;
    for (const AttachmentSpec *a : programsOfType(m, type))
      names += (names.empty() ? "" : ", ") + a->program;
    return names.empty() ? std::string("none") : names;
  };
  out += "phase 2: run BEGIN (" + special(ProbeType::Begin) + "), then arm\n";
  if (!programsOfType(m, ProbeType::Self).empty())
    out += "on SIGUSR1: run self (" + special(ProbeType::Self) + ")\n";
  out += "stop: disarm, detach, run END (" + special(ProbeType::End) + "), print maps\n";
  return out;
}

Result<std::string> verifyOnly(const std::string &path, bool verbose, const TrustPolicy &trust) {
  auto loaded = prepare(path, verbose, trust);
  if (!loaded)
    return std::move(loaded).error();
  const Manifest &m = loaded->file.manifest;
  // Attaching is part of what can fail on a host; verify-only stops before it.
  size_t progs = loaded->bpf->programCount();
  std::string ok = path + ": OK: " + std::to_string(m.probes.size()) + " probe" +
                   (m.probes.size() == 1 ? "" : "s") + ", " + std::to_string(progs) +
                   " program" + (progs == 1 ? "" : "s") + ", " + std::to_string(m.maps.size()) +
                   " map" + (m.maps.size() == 1 ? "" : "s") + " verified and loaded";
  // A plain run leaves test: and bench: probes out; --test and --bench load them with
  // BEGIN and END, each its own object, so each is verified as it would load.
  auto whole = openObject(path, trust);
  if (!whole)
    return std::move(whole).error();
  for (auto [mode, type] : {std::pair{RunMode::Test, ProbeType::Test},
                            std::pair{RunMode::Bench, ProbeType::Bench}}) {
    size_t n = programsOfType(whole->manifest, type).size();
    if (n == 0)
      continue;
    auto modeLoaded = prepare(path, verbose, trust, {}, mode);
    if (!modeLoaded)
      return std::move(modeLoaded).error().prefix(std::string("--") + toString(type) + ": ");
    ok += std::string(", ") + std::to_string(n) + " " + toString(type) + " probe" +
          (n == 1 ? "" : "s");
  }
  return ok;
}

Result<int> run(const RunOptions &opt) {
  if (opt.mode != RunMode::Trace)
    return runTestMode(opt);
  auto output = Output::open(opt.outputPath, opt.format, opt.bufferMode);
  if (!output)
    return std::move(output).error();
  Output &out = **output;

  Child child;
  if (!opt.command.empty()) {
    auto st = child.parse(opt.command);
    if (!st)
      return std::move(st).error();
  }

  TracedProcess traced;
  if (opt.pid) {
    auto st = traced.open(*opt.pid);
    if (!st)
      return std::move(st).error();
  }

  // The metrics endpoint is bound first: an address in use or not local is refused
  // before anything is loaded.
  std::unique_ptr<MetricsServer> metrics;
  if (!opt.metricsAddress.empty()) {
    auto server = MetricsServer::listen(opt.metricsAddress);
    if (!server)
      return std::move(server).error();
    metrics = std::move(*server);
  }

  // `uprobe::fn`: the function of -p's process, found where that process maps it, or of
  // the -c command's program; before load, which sizes the table of a watchpoint
  // pattern's matches.
  TracedProcessFiles process;
  if (traced.active())
    process.pid = traced.pid();
  process.commandProgram = child.program();
  auto binaries = std::make_shared<BinaryFiles>();
  auto loadedR = prepare(opt.objectPath, opt.verbose, opt.trust, opt.run, RunMode::Trace,
                         &process, binaries.get());
  if (!loadedR)
    return std::move(loadedR).error();
  Loaded &loaded = *loadedR;
  const Manifest &m = loaded.file.manifest;
  BpfObject &bpf = *loaded.bpf;
  // As bpftrace refuses a run with no probes ("No probes to attach"), not one that waits
  // for nothing until it is stopped.
  if (m.attachPointCount() == 0)
    return Error(opt.objectPath + ": no probes to attach: missing_probes left every one " +
                 "out, or the script's probes are test and bench probes, which run only " +
                 "under --test and --bench");
  if (m.globals.childPidOffset && !m.globals.childPidOptional && opt.command.empty())
    return Error(opt.objectPath + ": the script reads cpid, which needs a command: -c CMD");
  auto started = startRun(opt, m, bpf, out);
  if (!started)
    return std::move(started).error();
  Globals64 &globals = *started->globals;
  EventLoop &loop = *started->loop;
  // Before anything is attached: the binaries `probe` names, as bpftrace 0.17 names them.
  globals.setTracedBinaries(tracedBinaryNames(m, process));
  if (auto st = fillWatchMatchNames(bpf, m, process); !st)
    return std::move(st).error();

  SignalScope signals;

  if (auto max = m.options.run.maxProbes; max && m.attachPointCount() > *max)
    return Error(opt.objectPath + ": the script has " + std::to_string(m.attachPointCount()) +
                 " attach points, more than its max_probes (" + std::to_string(*max) + ")");

  // Phase one: attach everything while disarmed.
  Attachments links;
  links.setTargetPid(traced.active() ? traced.pid() : -1);
  links.shareBinaryFiles(std::move(binaries));
  links.setChildCommand(!opt.command.empty());
  auto att = links.attachAll(bpf, m);
  if (!att)
    return std::move(att).error();
  loop.setWatchpoints(&links);
  say(opt.verbose, "attached " + std::to_string(links.size()) + " links");
  // Everything that needs more than CAP_BPF is done, once the kernel's symbols
  // are read for kstack (kallsyms hides addresses without CAP_SYSLOG).
  if (m.usesKernelSymbols())
    loop.kernelStacks().loadSymbols();
  // The -c command's process is forked before btrun drops its capabilities: forked
  // after, it would regain root's at exec, and the kernel stops running BPF programs
  // on a watchpoint opened before such a change (the event still counts).
  if (!opt.command.empty()) {
    if (auto st = child.spawn(); !st)
      return std::move(st).error();
    if (auto watch = links.attachDeferred(child.pid()); !watch)
      return std::move(watch).error();
  }
  bool watchesArguments = false;
  for (const ProbeSpec &p : m.probes)
    for (const AttachmentSpec &a : p.attachments)
      watchesArguments |= a.target.argument.has_value();
  auto dropped = dropToRunPrivileges(m.usesUserSymbols(), watchesArguments);
  if (!dropped)
    return std::move(dropped).error();
  const uint64_t attachedProbes =
      m.attachPointCount() + links.extraUsdtSites() + links.extraBpfMatches() - links.leftOut();
  // missing_probes = warn|ignore left out every attach point on this host: upstream's
  // "Attachment failed for all probes", not a run that waits for nothing.
  if (attachedProbes == 0)
    return Error(opt.objectPath + ": attachment failed for all probes (missing_probes left " +
                 "each one out on this host)");
  if (!opt.quiet) {
    out.attached(attachedProbes);
  }
  // Scrapes read the maps from the server's thread; it stops before the maps are freed.
  struct StopMetrics {
    MetricsServer *server;
    ~StopMetrics() {
      if (server)
        server->stop();
    }
  } stopMetrics{metrics.get()};
  if (metrics) {
    MetricsLimits limits;
    limits.maxSeries = opt.metricsMaxSeries;
    const Globals64 &g = globals;
    metrics->start([&bpf, &m, &g, attachedProbes, limits] {
      return scrapeMetrics(bpf, m, g, attachedProbes, limits);
    });
  }

  // Phase two: BEGIN, arm, then the command (its process held before exec).
  if (!opt.command.empty())
    globals.setChildPid(static_cast<uint64_t>(child.pid()));
  globals.setStartNow();
  auto begin = runSpecial(bpf, m, ProbeType::Begin);
  if (!begin)
    return std::move(begin).error();
  // BEGIN's output is written before the command starts writing to the same stdout.
  if (auto st = loop.drain(); !st)
    return std::move(st).error();
  if (opt.armDelayMs)
    std::this_thread::sleep_for(std::chrono::milliseconds(opt.armDelayMs));
  if (auto st = links.restartTimers(); !st)
    return std::move(st).error();
  globals.setArmed(true);

  if (!opt.command.empty()) {
    auto st = child.release();
    if (!st)
      return std::move(st).error();
  }

  // An iterator walks its objects once; then btrun stops as on exit().
  bool walked = false;
  if (links.hasIterators()) {
    auto st = links.runIterators([&](int ms) { return loop.poll(ms); },
                                 [&](const std::string &path) { out.pinned(path); });
    if (!st)
      return std::move(st).error();
    walked = true;
  }

  using Clock = std::chrono::steady_clock;
  // A plain time point, not an optional one: GCC took the optional's value for
  // possibly uninitialized (-Wmaybe-uninitialized).
  const Clock::time_point deadline =
      opt.timeoutSeconds ? Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(*opt.timeoutSeconds))
                         : Clock::time_point::max();
  while (true) {
    if (walked || loop.exitRequested() || gStopSignals || traced.exited())
      break;
    // Reap only after a SIGCHLD (one arriving just after this check ends the
    // next wait, at most 100 ms later): not one wait4 per batch of events.
    if (gChildSignal) {
      gChildSignal = 0;
      if (child.running() && child.exited())
        break;
    }
    // The signal ended the wait: its probes' output comes with the next poll.
    if (gUsr1Signal) {
      gUsr1Signal = 0;
      if (auto st = runSpecial(bpf, m, ProbeType::Self); !st)
        return std::move(st).error();
    }
    int waitMs = 100;
    if (opt.timeoutSeconds) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0)
        break;
      waitMs = static_cast<int>(std::min<long long>(waitMs, left));
    }
    auto st = loop.poll(waitMs);
    if (!st)
      return std::move(st).error();
  }
  say(opt.verbose, "stopping");

  // Stop: disarm, detach, what came before (for a bounded time), END, its output, the maps.
  globals.setArmed(false);
  links.detachAll();
  // A signal that stopped the run is the first; one more (or the first, after --timeout,
  // exit() or the command's exit) ends the handling at once.
  const std::sig_atomic_t stopSignals = gStopSignals;
  auto drained =
      loop.drainWithin(kStopDrainBound, [stopSignals] { return gStopSignals > stopSignals; });
  if (!drained)
    return std::move(drained).error();
  // JSON readers get what was dropped in bpftrace's lost_events record at exit (below):
  // events the probes sent whose output never came.
  const bool dropsAreLost = opt.format == OutputFormat::Json;
  if (drained->dropped && !dropsAreLost && opt.warnings) {
    out.flush(); // after the output it did handle
    const std::string why =
        drained->interrupted
            ? ": a second stop signal came after " + std::to_string(drained->handled.count()) +
                  " ms of handling them"
            : " after " + std::to_string(kStopDrainBound.count()) +
                  " ms of handling them (bpftrace drops what is queued when it is stopped)";
    std::fprintf(stderr,
                 "btrun: warning: %llu events still queued when the run stopped were dropped "
                 "unhandled%s\n",
                 static_cast<unsigned long long>(drained->dropped), why.c_str());
  }
  loop.setDiscard(false);
  auto end = runSpecial(bpf, m, ProbeType::End);
  if (!end)
    return std::move(end).error();
  auto st = loop.drain();
  if (!st)
    return std::move(st).error();

  // The separator is printed either way, as bpftrace ends its output.
  out.exitSeparator();
  if (m.options.run.printMapsOnExit) {
    auto maps = printMaps(bpf, m, out, loop.formatContext());
    if (!maps)
      return std::move(maps).error();
  }
  // Exit records beyond the first (a full one-page buffer of them) change nothing.
  uint64_t droppedAtStop = dropsAreLost ? drained->dropped : 0;
  if (uint64_t lost = globals.lost() + loop.lostPackets() + droppedAtStop; lost && !m.sendsOnlyExit())
    out.lostEvents(lost);
  // --no-warnings silences the text warning, as bpftrace's silences its own; the JSON
  // record is data and stays.
  for (const MapSpec &mi : m.maps)
    if (mi.dropsOffset && (opt.warnings || opt.format == OutputFormat::Json))
      if (uint64_t dropped = globals.counter(*mi.dropsOffset))
        out.mapFull(mi.name, mi.maxEntries, dropped);
  return loop.exitCode();
}

} // namespace bt::rt
