// Where btrun's script output goes (stdout or the -o file) and in which format:
// bpftrace's text, or its `-f json` lines. Output is buffered: the event loop flushes
// after each batch of ring-buffer records (a write per record made btrun's consumer
// the bottleneck), the banner is flushed at once, the rest at the end. Output keeps
// its own buffer and writes it only between records: a -c command shares btrun's
// stdout, and a stdio buffer that filled mid-line let the command's output split a line.
#ifndef BT_RUNTIME_OUTPUT_H
#define BT_RUNTIME_OUTPUT_H

#include "bt/Runtime/Result.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace bt::rt {

enum class OutputFormat { Text, Json };

/// When buffered output is written (bpftrace's -B): Batch after each batch of records
/// (btrun's default: a line's latency at a fraction of the writes), None after every
/// record, Line after every record that ends a line, Full only when 64 KiB are held.
/// In every mode it is written before the -c command starts, before btrun's own
/// messages on stderr, and at the end.
enum class BufferMode { Batch, None, Line, Full };

class Output {
public:
  /// stdout when `path` is empty.
  static Result<std::unique_ptr<Output>> open(const std::string &path,
                                              OutputFormat format = OutputFormat::Text,
                                              BufferMode mode = BufferMode::Batch);
  ~Output();
  Output(const Output &) = delete;
  Output &operator=(const Output &) = delete;

  /// Text while capturing, else the format it was opened with.
  OutputFormat format() const { return json() ? OutputFormat::Json : OutputFormat::Text; }
  void flush();
  /// The end of a batch of records: a flush in the Batch mode.
  void batchEnd();

  /// "Attaching N probes..." | {"type": "attached_probes", ...}
  void attached(size_t probes);
  /// A printf's text | {"type": "printf", "data": TEXT}
  void printfText(std::string_view text);
  /// time()'s text | {"type": "time", "data": TEXT}
  void timeText(std::string_view text);
  /// join()'s strings, joined: a line of text, or {"type": "join", "data": TEXT}.
  void joinText(std::string_view text);
  /// cat()'s file | {"type": "cat", "data": TEXT}
  void catText(std::string_view text);
  /// system()'s command output | {"type": "syscall", "data": TEXT} (bpftrace's name)
  void systemText(std::string_view text);
  /// print(value): TEXT | {"type": "value", "data": VALUE}
  void value(std::string_view text, const nlohmann::ordered_json &value);
  /// "Program pinned to PATH" for an iterator pinned to a file, as bpftrace prints it
  /// (plain text in JSON output too, as bpftrace).
  void pinned(const std::string &path);
  /// A map already rendered in this output's format (MapPrinter).
  void map(std::string_view rendered);
  /// Between END's output and the maps at exit: two newlines in text, none in JSON.
  void exitSeparator();
  /// Events the ring buffer could not take: "Lost N events" on stderr in text, a
  /// {"type": "lost_events", ...} line in JSON.
  void lostEvents(uint64_t count);
  /// A watchpoint on a function's argument that found no free debug register, in
  /// bpftrace's words among the output: a line in text, {"type": "lost_events", "data":
  /// TEXT} in JSON.
  void watchpointRegistersExhausted();
  /// A map that reached its capacity: "WARNING: Map full; can't update element: @m holds
  /// 4096 keys, N updates dropped (...)" on stderr in text, a {"type": "map_full", ...}
  /// line in JSON.
  void mapFull(const std::string &map, uint64_t capacity, uint64_t dropped);
  /// A failed helper call of an object built with -k, as bpftrace 0.17 reports it on
  /// stdout: TEXT (its located warning) | {"type": "helper_error", "helper": HELPER,
  /// "retcode": RC, "line": LINE, "col": COL}.
  void helperError(std::string_view text, const std::string &helper, int64_t rc, int line,
                   int col);
  /// btrun --test/--bench's results: TEXT as it is, or {"type": JSON_TYPE, "data": DATA}
  /// (nothing in JSON without a JSON_TYPE: a header or a summary).
  void report(std::string_view text, const char *jsonType = nullptr,
              const nlohmann::ordered_json *data = nullptr);

  /// btrun --test: until endCapture, what the script prints is kept as text (in either
  /// format), not written; endCapture returns it.
  void startCapture();
  std::string endCapture();

private:
  Output(std::FILE *f, bool owned, OutputFormat format, BufferMode mode);
  /// Appends one record's text; writes the buffer out once it holds kFlushBytes.
  void write(std::string_view text);
  void writeJson(const char *type, const nlohmann::ordered_json &data);
  /// TEXT as it is, or {"type": TYPE, "data": TEXT}.
  void textOrJson(const char *type, std::string_view text);
  bool json() const { return format_ == OutputFormat::Json && !capture_; }
  static constexpr size_t kFlushBytes = 64 * 1024;
  std::FILE *f_;
  bool owned_;
  OutputFormat format_;
  BufferMode mode_;
  std::string pending_;
  std::optional<std::string> capture_;
};

} // namespace bt::rt

#endif
