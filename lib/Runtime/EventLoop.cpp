// Ring-buffer records -> text and map actions (docs/OBJECT.md "Ring-buffer records").
#include "bt/Runtime/EventLoop.h"
#include "bt/Object/StackValue.h"
#include "bt/Runtime/Format.h"
#include "bt/Runtime/MapAccess.h"
#include "bt/Runtime/MapPrinter.h"
#include "bt/Runtime/RecordFormat.h"
#include "bt/Runtime/TupleFormat.h"
#include "Cgroups.h"
#include "LocatedWarning.h"
#include "Pcap.h"
#include "ProcessText.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace bt::rt {

Result<std::string> renderMap(const BpfObject &obj, const MapSpec &map, OutputFormat format,
                              const FormatContext &ctx, const PrintLimits &limits) {
  bpf_map *m = obj.map(map.bpfName);
  if (!m)
    return Error("map " + map.name + " ('" + map.bpfName + "') is not in the object");
  auto raw = readMap(kernelMapOf(m), map);
  if (!raw)
    return std::move(raw).error();
  return format == OutputFormat::Json ? formatMapJson(map, *raw, possibleCpus(), ctx, limits)
                                      : formatMap(map, *raw, possibleCpus(), ctx, limits);
}

namespace {
int64_t clockNs(clockid_t clock) {
  struct timespec ts;
  ::clock_gettime(clock, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}
} // namespace

EventLoop::EventLoop(const BpfObject &obj, const Manifest &m, Output &out)
    : obj_(obj), m_(m), out_(out), stacks_(obj), userStacks_(obj, m.options.run.cppDemangle),
      // strftime's nanoseconds come from bpf_ktime_get_ns (CLOCK_MONOTONIC), as in bpftrace.
      wallClockOffsetNs_(clockNs(CLOCK_REALTIME) - clockNs(CLOCK_MONOTONIC)),
      fieldText_([this](const Field &f, const uint8_t *base, unsigned indent) {
        return hostText(f, base, indent);
      }),
      format_(FormatContext::of(m, &fieldText_)) {}

std::string EventLoop::hostText(const Field &field, const uint8_t *base, unsigned indent) {
  if (field.type == FieldType::UserStack || field.type == FieldType::UserSymbol)
    return userStacks_.text(field, base + field.offset, indent);
  if (auto text = valueOnlyText(field, base, m_))
    return std::move(*text);
  auto value = static_cast<int64_t>(readInt(field, base));
  if (field.type == FieldType::Timestamp)
    return formatTimestamp(field.timeFormat, value + wallClockOffsetNs_);
  if (field.type == FieldType::ErrorText)
    return std::strerror(static_cast<int>(value));
  if (field.type == FieldType::UserName)
    return userName(static_cast<uint32_t>(value));
  if (field.type == FieldType::CgroupPath)
    return cgroupPathText(static_cast<uint64_t>(value), field.hierarchyFilter);
  if (field.type == FieldType::KernelStack) // the id, without a frame count above it
    return stacks_.text(field, static_cast<int32_t>(value & 0xffffffff), indent);
  return stacks_.text(field, value, indent);
}

Result<DecodedEvent> decodeRecord(const Manifest &m, const uint8_t *data, size_t size,
                                  const FormatContext &ctx) {
  if (size < 8)
    return Error("ring buffer: a record of " + std::to_string(size) + " bytes has no event id");
  uint64_t id;
  std::memcpy(&id, data, 8);
  if (id >= m.events.size())
    return Error("ring buffer: unknown event id " + std::to_string(id));
  DecodedEvent d;
  d.event = &m.events[id];
  const EventSpec &e = *d.event;
  auto where = [&]() {
    return "event " + std::to_string(id) + (e.line ? " (line " + std::to_string(e.line) + ")" : "");
  };
  switch (e.kind) {
  case EventKind::Printf:
  case EventKind::Cat:    // the path
  case EventKind::System: // the command
  case EventKind::Errorf:
  case EventKind::Warnf: {
    auto text = formatPrintf(e.parsedFormat, e.args, data, size, ctx);
    if (!text)
      return std::move(text).error().prefix(where() + ": ");
    d.text = std::move(*text);
    // As bpftrace: the script's location (a range of columns), the level, the message.
    if (e.kind == EventKind::Errorf || e.kind == EventKind::Warnf)
      d.text = m.sourceName(e.file) + ":" + std::to_string(e.line) + ":" + std::to_string(e.col) + "-" +
               std::to_string(e.endCol) +
               (e.kind == EventKind::Errorf ? ": ERROR: " : ": WARNING: ") + d.text + "\n";
    break;
  }
  case EventKind::PrintValue: {
    auto st = checkArgs(e.args, size);
    if (!st)
      return std::move(st).error().prefix(where() + ": ");
    const Field &arg = e.args.front();
    // A value only the run host can name (strerror, ksym, kstack, username, ...): its
    // text, as a map prints it as a value; in JSON that text as a string.
    if (isHostText(arg.type) && ctx.hostText) {
      std::string name = ctx.hostValue(arg, data, 8);
      d.text = name + "\n";
      d.value = std::move(name);
      break;
    }
    d.text = formatValue(arg, data, ctx);
    if (arg.type == FieldType::String)
      d.value = displayString(arg, data, ctx);
    else if (arg.type == FieldType::Tuple)
      d.value = tupleJson(arg, data, ctx);
    else if (arg.type == FieldType::Record || arg.type == FieldType::Array)
      d.value = recordJson(arg, data, ctx);
    else if (arg.isPointer)
      d.value = integerText(arg, data);
    else if (arg.isSigned)
      d.value = static_cast<int64_t>(readInt(arg, data));
    else
      d.value = readInt(arg, data);
    break;
  }
  case EventKind::Time:
    d.text = formatTime(e.format, std::time(nullptr));
    break;
  case EventKind::Join: {
    // As bpftrace: the strings up to the first empty one (a NULL pointer reads as empty).
    auto st = checkArgs(e.args, size);
    if (!st)
      return std::move(st).error().prefix(where() + ": ");
    for (const Field &arg : e.args) {
      std::string s = readString(arg, data);
      if (s.empty())
        break;
      if (&arg != &e.args.front())
        d.text += e.separator;
      d.text += s;
    }
    break;
  }
  case EventKind::Exit: {
    d.exitCode = e.exitCode;
    if (e.args.empty())
      break;
    auto st = checkArgs(e.args, size);
    if (!st)
      return std::move(st).error().prefix(where() + ": ");
    // A code computed in the probe: a process status keeps its low 8 bits (exit(256) is 0).
    d.exitCode = static_cast<int>(readInt(e.args.front(), data) & 0xff);
    break;
  }
  case EventKind::WatchpointAttach:
  case EventKind::WatchpointDetach: {
    auto st = checkArgs(e.args, size);
    if (!st)
      return std::move(st).error().prefix(where() + ": ");
    d.value = readInt(e.args.front(), data); // the address
    break;
  }
  case EventKind::HelperError: {
    auto st = checkArgs(e.args, size);
    if (!st)
      return std::move(st).error().prefix(where() + ": ");
    int64_t rc = readInt(e.args.front(), data);
    // bpftrace 0.17's words and layout for its -k warning.
    d.text = locatedWarning(m, e,
                            "Failed to " + e.helper + ": " + std::strerror(int(-rc)) + " (" +
                                std::to_string(rc) + ")");
    d.value = rc;
    break;
  }
  default:
    break;
  }
  return d;
}

EventLoop::~EventLoop() {
  if (rb_)
    ring_buffer__free(rb_);
}

Result<std::unique_ptr<EventLoop>> EventLoop::open(const BpfObject &obj, const Manifest &manifest,
                                                   Output &out) {
  bpf_map *m = obj.map(manifest.ringbuf);
  if (!m)
    return Error("ring buffer map '" + manifest.ringbuf + "' is not in the object");
  std::unique_ptr<EventLoop> loop(new EventLoop(obj, manifest, out));
  loop->rb_ = ring_buffer__new(bpf_map__fd(m), &EventLoop::onRecord, loop.get(), nullptr);
  if (!loop->rb_)
    return Error("cannot open ring buffer '" + manifest.ringbuf + "': " + std::strerror(errno));
  if (!manifest.skbOutput.empty()) {
    auto skb = SkbOutputChannel::open(obj, manifest);
    if (!skb)
      return std::move(skb).error();
    loop->skb_ = std::move(*skb);
  }
  return loop;
}

namespace {
// libbpf reads a ring until it finds it empty: under a flood that outpaces btrun (a
// uprobe on malloc, which btrun's own printing calls) one poll never returned, and with
// it neither --timeout, nor a signal, nor exit() ended the run. A negative return from
// the record callback ends the poll with the consumer position past that record, so
// nothing is lost; the next poll goes on from there. The bound is time, not a count:
// a record that prints a map takes milliseconds.
constexpr int kBatchFull = -EAGAIN;
constexpr int kMinBatchMs = 50;
} // namespace

int EventLoop::onRecord(void *ctx, void *data, size_t size) {
  auto *self = static_cast<EventLoop *>(ctx);
  auto st = self->handle(static_cast<const uint8_t *>(data), size);
  if (!st) {
    // A bad record is reported and skipped: the run goes on.
    for (const auto &msg : st.error().messages)
      std::fprintf(stderr, "btrun: warning: %s\n", msg.c_str());
  }
  if (std::chrono::steady_clock::now() >= self->batchDeadline_)
    return kBatchFull;
  return self->interrupted_ && (*self->interrupted_)() ? kBatchFull : 0;
}

Status EventLoop::handle(const uint8_t *data, size_t size) {
  // A watchpoint's uprobe may have stopped its process until this record is handled
  // (armWatchpoint continues it): it is handled even after exit() or the stop's bound.
  uint64_t id = 0;
  if (size >= 8)
    std::memcpy(&id, data, 8);
  bool continuesProcess = id < m_.events.size() && m_.events[id].kind == EventKind::WatchpointAttach;
  if (discard_ && !continuesProcess)
    return {};
  if (dropping_ && !continuesProcess) {
    ++dropped_;
    return {};
  }
  auto d = decodeRecord(m_, data, size, format_);
  if (!d)
    return std::move(d).error();
  const EventSpec &e = *d->event;
  switch (e.kind) {
  case EventKind::Printf:
    out_.printfText(d->text);
    break;
  case EventKind::PrintValue:
    out_.value(d->text, d->value);
    break;
  case EventKind::Time:
    out_.timeText(d->text);
    break;
  case EventKind::Join:
    out_.joinText(d->text);
    break;
  case EventKind::Cat:
    out_.flush(); // a failure's message on stderr keeps its place among the output
    out_.catText(catFile(d->text, m_.options.run.maxCatBytes));
    break;
  case EventKind::System:
    out_.flush(); // the command's own output (stderr) comes after what went before
    out_.systemText(runCommand(d->text));
    break;
  case EventKind::Errorf:
    ++errors_;
    out_.flush(); // keep the order of output and messages on one terminal
    std::fputs(d->text.c_str(), stderr);
    break;
  case EventKind::Warnf:
    if (warnings_) {
      out_.flush(); // keep the order of output and warnings on one terminal
      std::fputs(d->text.c_str(), stderr);
    }
    break;
  case EventKind::HelperError:
    ++errors_;
    if (warnings_) // on stdout among the output, as bpftrace 0.17 prints it
      out_.helperError(d->text, e.helper, d->value.get<int64_t>(), e.line, e.col);
    break;
  case EventKind::PrintMap: {
    const MapSpec *mi = m_.findMap(e.map);
    auto text = renderMap(obj_, *mi, out_.format(), format_, {e.top, e.div});
    if (!text)
      return std::move(text).error();
    out_.map(*text);
    break;
  }
  case EventKind::Clear:
  case EventKind::Zero: {
    const MapSpec *mi = m_.findMap(e.map);
    bpf_map *bm = obj_.map(mi->bpfName);
    if (!bm)
      return Error("map " + mi->name + " ('" + mi->bpfName + "') is not in the object");
    auto st = e.kind == EventKind::Clear ? clearMap(kernelMapOf(bm), *mi) : zeroMap(kernelMapOf(bm), *mi);
    if (!st)
      return st;
    break;
  }
  case EventKind::WatchpointAttach:
  case EventKind::WatchpointDetach:
    if (!watchpoints_)
      return Error("ring buffer: a " + std::string(toString(e.kind)) +
                   " record, and this run opens no watchpoints");
    if (e.kind == EventKind::WatchpointDetach) {
      watchpoints_->unwatch(d->value.get<uint64_t>());
      break;
    }
    {
      std::optional<uint64_t> row; // a match armed apart sends its row after the address
      if (e.args.size() > 1)
        row = readInt(e.args[1], data);
      auto armed = watchpoints_->armWatchpoint(e.program, d->value.get<uint64_t>(), row);
      if (!armed)
        return std::move(armed).error();
      if (*armed == Attachments::Armed::NoRegister)
        out_.watchpointRegistersExhausted();
    }
    break;
  case EventKind::SkbOutput: // its packets travel in the perf buffer (SkbOutputChannel)
    return Error("ring buffer: an skboutput record (those travel in the perf buffer)");
  case EventKind::Exit:
    if (!exit_)
      exitCode_ = d->exitCode;
    exit_ = true;
    discard_ = true;
    break;
  }
  return {};
}

uint64_t EventLoop::lostPackets() const { return skb_ ? skb_->lost() : 0; }

Status EventLoop::poll(int timeoutMs) {
  batchDeadline_ = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(std::max(timeoutMs, kMinBatchMs));
  int n = ring_buffer__poll(rb_, timeoutMs);
  if (n == kBatchFull)
    n = 0; // more may wait: the caller checks its deadline and signals, then polls again
  out_.batchEnd(); // once per batch of records, not per record
  // Packets wait at most one poll's timeout: their files are not read while btrun runs.
  if (skb_)
    if (auto st = skb_->consume(); !st)
      return st;
  if (error_) {
    Error e = std::move(*error_);
    error_.reset();
    return e;
  }
  if (n < 0 && n != -EINTR)
    return Error("ring buffer: poll failed: " + std::string(std::strerror(-n)));
  return {};
}

Result<bool> EventLoop::consumeUntil(std::chrono::steady_clock::time_point deadline) {
  batchDeadline_ = deadline;
  int n = ring_buffer__consume(rb_);
  out_.flush();
  if (skb_)
    if (auto st = skb_->consume(); !st)
      return std::move(st).error();
  if (error_) {
    Error e = std::move(*error_);
    error_.reset();
    return e;
  }
  if (n == kBatchFull)
    return true;
  if (n < 0 && n != -EINTR)
    return Error("ring buffer: consume failed: " + std::string(std::strerror(-n)));
  return false;
}

Status EventLoop::drain() {
  // No bound: the probes are detached or disarmed by now, so the buffer only empties.
  auto st = consumeUntil(std::chrono::steady_clock::time_point::max());
  if (!st)
    return std::move(st).error();
  return {};
}

Result<EventLoop::Drained> EventLoop::drainWithin(std::chrono::milliseconds bound,
                                                  const std::function<bool()> &interrupted) {
  auto start = std::chrono::steady_clock::now();
  interrupted_ = &interrupted;
  auto left = consumeUntil(start + bound);
  interrupted_ = nullptr;
  if (!left)
    return std::move(left).error();
  Drained d;
  d.handled = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  if (!*left)
    return d;
  d.interrupted = interrupted();
  // What is left is skipped, not read: a flood of system() records took seconds each
  // second of the run to handle, and this leaves the buffer empty for END's records.
  dropping_ = true;
  dropped_ = 0;
  left = consumeUntil(std::chrono::steady_clock::time_point::max());
  dropping_ = false;
  if (!left)
    return std::move(left).error();
  d.dropped = dropped_;
  return d;
}

} // namespace bt::rt
