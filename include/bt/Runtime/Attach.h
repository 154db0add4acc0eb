// Attaching programs (phase one of the two-phase start); detaching on destruction.
#ifndef BT_RUNTIME_ATTACH_H
#define BT_RUNTIME_ATTACH_H

#include "bt/Runtime/Loader.h"
#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/Result.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

struct bpf_link;
struct bpf_program;

namespace bt::rt {

struct BinaryFiles;

/// Online CPUs from /sys/devices/system/cpu/online ("0-3,5").
std::vector<int> onlineCpus();
/// Parses a kernel CPU list such as "0-3,5". Pure.
std::vector<int> parseCpuList(const std::string &text);

/// The links of every attached program. Destroying it detaches them all, last first.
class Attachments {
public:
  Attachments() = default;
  ~Attachments() { detachAll(); }
  Attachments(const Attachments &) = delete;
  Attachments &operator=(const Attachments &) = delete;

  /// Attaches every program of `attach_order` (BEGIN/END are never attached). On a
  /// failure detaches what it attached and names the probe.
  Status attachAll(const BpfObject &obj, const Manifest &manifest);
  void detachAll();
  /// btrun -p: uprobes and usdt probes attach to this process only (-1: every process).
  void setTargetPid(int pid) { pid_ = pid; }
  /// What has been read of the probes' binaries already (findProcessBinaries).
  void shareBinaryFiles(std::shared_ptr<BinaryFiles> binaries) { binaries_ = std::move(binaries); }
  /// btrun -c: watchpoints wait for the command's process (attachDeferred).
  void setChildCommand(bool command) { childCommand_ = command; }
  /// Attaches the watchpoints that waited for the -c command's process `pid`.
  Status attachDeferred(int pid);
  /// What opening a watchpoint on a function's argument at run time came to.
  enum class Armed { Opened, AlreadyThere, NoRegister };
  /// A watchpoint_attach record: opens the breakpoint of watchpoint program `program` at
  /// `address` in the traced process and attaches the program (AttachPerf.cpp); then,
  /// for the synchronous form, continues the process its uprobe stopped. `row`: the
  /// match armed apart that sent it (AttachTarget::matchRow), whose own watchpoint it is.
  Result<Armed> armWatchpoint(const std::string &program, uint64_t address,
                              std::optional<uint64_t> row);
  /// unwatch(address): removes every watchpoint opened at `address` (none: nothing).
  void unwatch(uint64_t address);
  bool hasIterators() const { return !iterators_.empty(); }
  /// Walks every iterator to its end, calling `poll(ms)` to consume the events its
  /// program sends meanwhile; an iterator with a pin file is pinned there instead and
  /// `pinned(path)` called (AttachPerf.cpp).
  Status runIterators(const std::function<Status(int)> &poll,
                      const std::function<void(const std::string &)> &pinned);
  /// Starts every interval and profile timer's period afresh: called at arming, so
  /// a timer's first event comes one period after BEGIN, not after its attachment.
  Status restartTimers();
  size_t size() const { return links_.size() + linkFds_.size(); }
  /// USDT sites attached beyond the first of each usdt attachment: bpftrace's banner
  /// counts every site, so "Attaching N probes..." adds these to the attach points.
  size_t extraUsdtSites() const { return extraUsdtSites_; }
  /// fentry:bpf matches beyond the first of each attachment: bpftrace counts each.
  size_t extraBpfMatches() const { return extraBpfMatches_; }
  /// Attach points that failed and were left out (missing_probes = warn|ignore).
  size_t leftOut() const { return leftOut_; }

private:
  Status attachOne(const BpfObject &obj, const Manifest &manifest, const ProbeSpec &probe,
                   const AttachmentSpec &att);
  // AttachMulti.cpp: a program that serves every attachment of its probe.
  Status attachShared(const BpfObject &obj, const ProbeSpec &probe, const std::string &program,
                      MissingProbes missing);
  /// Under missing_probes = warn|ignore: counts `attachPoints` left out for `why` (warns
  /// under warn) and says true; under error: false, the caller fails with `why`.
  bool leaveOut(MissingProbes missing, const Status &why, size_t attachPoints);
  // BpfMatches.cpp: fentry:bpf / fexit:bpf, a link per match of program `program`.
  Status attachBpfMatches(const BpfObject &obj, const Manifest &manifest,
                          const std::string &program);
  // AttachPerf.cpp: watchpoints and iterators.
  // `arm`: a watchpoint on a function's argument's uprobe (attached now; the watchpoint
  // itself when the uprobe sends an address).
  Status attachWatchpoint(bpf_program *prog, bpf_program *arm, bool stops,
                          const std::string &name, const AttachTarget &t);
  // Opens the breakpoint at `address` in process pid_ and attaches `prog` to it, with
  // the target's match row as its cookie; nullptr when no debug register is free.
  Result<bpf_link *> openBreakpoint(bpf_program *prog, const std::string &name,
                                    const AttachTarget &t, uint64_t address);
  Status attachIterator(bpf_program *prog, const std::string &name, const std::string &pin);
  struct DeferredWatchpoint {
    bpf_program *program;
    bpf_program *arm;
    bool stops;
    std::string name;
    AttachTarget target;
  };
  std::vector<DeferredWatchpoint> deferredWatchpoints_;
  // Watchpoints on a function's argument, by program and match row (each match of a
  // pattern armed apart has its own; the others share their program's): opened when
  // their uprobe sends an address (bpftrace opens one again only for another address
  // than the last).
  struct ArmableWatchpoint {
    bpf_program *program;
    bool stops; // watchpoint (its uprobe stopped the process), not asyncwatchpoint
    std::string name;
    AttachTarget target;
    int pid;
    std::optional<uint64_t> lastAddress;
  };
  std::map<std::string, ArmableWatchpoint> armable_; // by armableKey (AttachPerf.cpp)
  struct OpenedWatchpoint {
    uint64_t address;
    bpf_link *link; // not in links_: unwatch destroys it
  };
  std::vector<OpenedWatchpoint> opened_;
  bool detached_ = false;
  bool childCommand_ = false;
  struct Iterator {
    bpf_link *link; // owned by links_
    std::string name;
    std::string pin; // as the script wrote it ("": walk it once)
  };
  std::vector<Iterator> iterators_;
  std::set<std::string> attachedDispatchers_;
  std::vector<bpf_link *> links_;
  std::vector<int> linkFds_; // multi links, created through bpf(2)
  struct Timer {
    int fd;          // the perf event, owned by its link in links_
    uint64_t period; // in ns
  };
  std::vector<Timer> timers_;
  size_t extraUsdtSites_ = 0;
  size_t extraBpfMatches_ = 0;
  size_t leftOut_ = 0;
  int pid_ = -1;
  std::shared_ptr<BinaryFiles> binaries_; // each binary's symbols and notes, read once
};

} // namespace bt::rt

#endif
