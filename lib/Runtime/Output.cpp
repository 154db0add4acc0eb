#include "bt/Runtime/Output.h"
#include "JsonLine.h"
#include "LocatedWarning.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>

namespace bt::rt {

using Json = nlohmann::ordered_json;

Result<std::unique_ptr<Output>> Output::open(const std::string &path, OutputFormat format,
                                             BufferMode mode) {
  if (path.empty())
    return std::unique_ptr<Output>(new Output(stdout, false, format, mode));
  std::FILE *f = std::fopen(path.c_str(), "w");
  if (!f)
    return Error(path + ": cannot open for writing: " + std::strerror(errno));
  return std::unique_ptr<Output>(new Output(f, true, format, mode));
}

Output::Output(std::FILE *f, bool owned, OutputFormat format, BufferMode mode)
    : f_(f), owned_(owned), format_(format), mode_(mode) {
  // Unbuffered: each flush() is one write of whole records.
  std::setvbuf(f_, nullptr, _IONBF, 0);
}

Output::~Output() {
  flush();
  if (owned_)
    std::fclose(f_);
}

void Output::write(std::string_view text) {
  if (capture_) {
    capture_->append(text);
    return;
  }
  pending_.append(text);
  if (mode_ == BufferMode::None || pending_.size() >= kFlushBytes ||
      (mode_ == BufferMode::Line && !text.empty() && text.back() == '\n'))
    flush();
}

void Output::startCapture() {
  flush();
  capture_.emplace();
}

std::string Output::endCapture() {
  std::string text = std::move(capture_).value_or(std::string());
  capture_.reset();
  return text;
}

void Output::report(std::string_view text, const char *jsonType, const Json *data) {
  if (!json())
    write(text);
  else if (jsonType && data)
    writeJson(jsonType, *data);
}

void Output::batchEnd() {
  if (mode_ == BufferMode::Batch)
    flush();
}

void Output::flush() {
  if (pending_.empty())
    return;
  std::fwrite(pending_.data(), 1, pending_.size(), f_);
  pending_.clear();
}

void Output::writeJson(const char *type, const Json &data) {
  write(jsonLine({{"type", type}, {"data", data}}));
}

void Output::attached(size_t probes) {
  if (json())
    writeJson("attached_probes", {{"probes", probes}});
  else
    write("Attaching " + std::to_string(probes) + (probes == 1 ? " probe...\n" : " probes...\n"));
  flush();
}

void Output::textOrJson(const char *type, std::string_view text) {
  if (json())
    writeJson(type, std::string(text));
  else
    write(text);
}

void Output::printfText(std::string_view text) { textOrJson("printf", text); }

void Output::pinned(const std::string &path) {
  write("Program pinned to " + path + "\n");
  flush();
}

void Output::timeText(std::string_view text) { textOrJson("time", text); }

void Output::joinText(std::string_view text) {
  if (json())
    writeJson("join", std::string(text));
  else
    write(std::string(text) + "\n");
}

void Output::catText(std::string_view text) { textOrJson("cat", text); }

void Output::systemText(std::string_view text) { textOrJson("syscall", text); }

void Output::value(std::string_view text, const Json &value) {
  if (json())
    writeJson("value", value);
  else
    write(text);
}

void Output::map(std::string_view rendered) { write(rendered); }

void Output::exitSeparator() {
  if (!json())
    write("\n\n");
}

void Output::lostEvents(uint64_t count) {
  flush(); // after the maps, as the user reads them
  if (json())
    writeJson("lost_events", {{"events", count}});
  else
    std::fprintf(stderr, "Lost %llu events\n", static_cast<unsigned long long>(count));
}

void Output::watchpointRegistersExhausted() {
  const char *text = "Failed to attach watchpoint probe. You are out of watchpoint registers.";
  if (json())
    writeJson("lost_events", std::string(text));
  else
    write(std::string(text) + "\n");
}

void Output::helperError(std::string_view text, const std::string &helper, int64_t rc, int line,
                         int col) {
  if (json())
    write(helperErrorJson(helper, rc, line, col));
  else
    write(text);
}

void Output::mapFull(const std::string &map, uint64_t capacity, uint64_t dropped) {
  flush();
  if (json())
    writeJson("map_full", {{"map", map}, {"capacity", capacity}, {"dropped", dropped}});
  else
    // Opens with upstream bpftrace's words for a full map, which tools look for on its
    // stderr; upstream says them at each refused update, btrun once per map at exit.
    std::fprintf(stderr,
                 "WARNING: Map full; can't update element: %s holds %llu keys, %llu update%s "
                 "dropped (btc --max-map-keys N or `let %s = hash(N)` raises it)\n",
                 map.c_str(), static_cast<unsigned long long>(capacity),
                 static_cast<unsigned long long>(dropped), dropped == 1 ? "" : "s",
                 map.c_str());
}

} // namespace bt::rt
