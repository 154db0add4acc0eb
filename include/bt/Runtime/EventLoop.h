// The ring buffer: decoding records by the manifest's event table and acting on them.
#ifndef BT_RUNTIME_EVENTLOOP_H
#define BT_RUNTIME_EVENTLOOP_H

#include "bt/Runtime/Attach.h"
#include "bt/Runtime/KernelStacks.h"
#include "bt/Runtime/UserStacks.h"
#include "bt/Runtime/Loader.h"
#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/MapPrinter.h"
#include "bt/Runtime/Output.h"
#include "bt/Runtime/Result.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

struct ring_buffer;

namespace bt::rt {

/// Map `map` as it is in the kernel now, in `format`, as bpftrace 0.17 prints it: an
/// empty map is an empty line in text and nothing in JSON.
Result<std::string> renderMap(const BpfObject &obj, const MapSpec &map, OutputFormat format,
                              const FormatContext &ctx, const PrintLimits &limits = {});

/// What a record asks for, decoded without the kernel: text to print and/or an action.
struct DecodedEvent {
  const EventSpec *event = nullptr;
  std::string text; // printf, print_value, time; cat's path, system's command
  nlohmann::ordered_json value; // print_value: the value itself, for JSON; helper_error: rc
  int exitCode = 0;             // exit: the status btrun exits with
};
/// Decodes one ring-buffer record (u64 event id, then the arguments) of the object whose
/// manifest is `manifest` (`ctx`: its settings). Pure apart from the clock that `time` reads.
Result<DecodedEvent> decodeRecord(const Manifest &manifest, const uint8_t *data, size_t size,
                                  const FormatContext &ctx);

/// cat(): the first `maxBytes` bytes of the file at `path` (config max_cat_bytes; bpftrace's
/// default 10240); "" after a message on stderr when it cannot be read (HostActions.cpp).
std::string catFile(const std::string &path, size_t maxBytes);
/// system(): what `command` writes to its standard output, run by /bin/sh.
std::string runCommand(const std::string &command);

class SkbOutputChannel;

class EventLoop {
public:
  ~EventLoop();
  EventLoop(const EventLoop &) = delete;
  EventLoop &operator=(const EventLoop &) = delete;

  static Result<std::unique_ptr<EventLoop>> open(const BpfObject &obj, const Manifest &manifest,
                                                 Output &out);

  /// Waits up to `timeoutMs` for records and handles them for as long again (50 ms at
  /// least); more may be left for the next call. EINTR is not an error.
  Status poll(int timeoutMs);
  /// Handles every record already in the buffer.
  Status drain();
  /// What drainWithin did: how many records it dropped unread, whether `interrupted` ended
  /// the handling before its bound, and for how long it handled them.
  struct Drained {
    uint64_t dropped = 0;
    bool interrupted = false;
    std::chrono::milliseconds handled{0};
  };
  /// Handles the records already in the buffer for at most `bound`, or until `interrupted`
  /// (asked between records) says so, then drops the rest unread, as bpftrace drops what
  /// is still queued once it is stopped (Runner.cpp).
  Result<Drained> drainWithin(std::chrono::milliseconds bound,
                              const std::function<bool()> &interrupted);

  /// An exit event arrived.
  bool exitRequested() const { return exit_; }
  /// The first exit event's code, btrun's exit status (0 without one).
  int exitCode() const { return exitCode_; }
  /// errorf() calls and failed helpers (runtime errors) so far: a test that adds one fails.
  size_t errorCount() const { return errors_; }
  /// btrun --test: a test's exit() ends that test, not the run.
  void resetExit() {
    exit_ = false;
    exitCode_ = 0;
    discard_ = false;
  }
  /// After exit, bpftrace prints no further event until END runs: records are dropped.
  void setDiscard(bool discard) { discard_ = discard; }
  /// Where watchpoint_attach and unwatch records open and remove watchpoints (none: such
  /// a record is an error).
  void setWatchpoints(Attachments *links) { watchpoints_ = links; }
  /// Whether helper-error warnings are printed (btrun --no-warnings clears it).
  void setWarnings(bool on) { warnings_ = on; }
  /// The object's settings and kstack values as text, for the maps printed at exit as well.
  const FormatContext &formatContext() const { return format_; }
  KernelStacks &kernelStacks() { return stacks_; }
  /// skboutput() packets the kernel dropped because a perf buffer was full.
  uint64_t lostPackets() const;

private:
  EventLoop(const BpfObject &obj, const Manifest &m, Output &out);
  std::string hostText(const Field &field, const uint8_t *base, unsigned indent);
  static int onRecord(void *ctx, void *data, size_t size);
  Status handle(const uint8_t *data, size_t size);
  /// Handles the buffered records until `deadline`; true when it stopped there with
  /// records left.
  Result<bool> consumeUntil(std::chrono::steady_clock::time_point deadline);

  const BpfObject &obj_;
  const Manifest &m_;
  Output &out_;
  KernelStacks stacks_;
  UserStacks userStacks_;
  int64_t wallClockOffsetNs_ = 0; // CLOCK_REALTIME - CLOCK_MONOTONIC, for strftime
  FieldText fieldText_;
  FormatContext format_; // the manifest's string settings, fieldText_ for host values
  ring_buffer *rb_ = nullptr;
  std::unique_ptr<SkbOutputChannel> skb_; // skboutput()'s perf buffers and pcap files
  bool exit_ = false;
  int exitCode_ = 0;
  size_t errors_ = 0;
  bool discard_ = false;
  bool dropping_ = false; // drainWithin's bound has passed: records are counted, not read
  uint64_t dropped_ = 0;
  bool warnings_ = true;
  Attachments *watchpoints_ = nullptr;
  // When a poll stops handling records (EventLoop.cpp): a flood cannot hold it.
  std::chrono::steady_clock::time_point batchDeadline_;
  const std::function<bool()> *interrupted_ = nullptr; // drainWithin's, while it runs
  std::optional<Error> error_;
};

} // namespace bt::rt

#endif
