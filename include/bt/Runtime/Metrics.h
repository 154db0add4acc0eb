// btrun --metrics: the script's maps in Prometheus' text exposition format (0.0.4), read
// at scrape time, and the HTTP endpoint that serves them (docs/FLEET.md, "Metrics").
#ifndef BT_RUNTIME_METRICS_H
#define BT_RUNTIME_METRICS_H

#include "bt/Runtime/MapPrinter.h"
#include "bt/Runtime/Result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bt::rt {

/// One map as read for a scrape.
struct MapSnapshot {
  const MapSpec *map = nullptr;
  std::vector<RawEntry> entries;
};

/// btrun's own figures, exported beside the maps.
struct RunnerStats {
  uint64_t lostEvents = 0;
  uint64_t probesAttached = 0;
  std::vector<std::pair<const MapSpec *, uint64_t>> mapDrops; // updates a full map dropped
};

/// Series beyond `maxSeries` (over all maps, in manifest order) are left out of a scrape
/// and counted in btrun_metrics_series_dropped{map}.
struct MetricsLimits {
  size_t maxSeries = 10000;
};

/// The exposition: count/sum as counters (`bt_NAME_total`), min/max and plain integer
/// maps as gauges, avg/stats as a summary (`_sum`, `_count`), hist/lhist as histograms
/// with each bucket's exact integer upper bound (cumulative `le`), key fields as labels
/// (`key`, or `key0`, `key1`, ...) as the text output prints them (with the settings of
/// `manifest`, the object's), per-CPU values summed. A map keyed by a value whose text
/// needs the run host's tables (a stack, a symbol, strftime, ...: not isValueOnlyText) is
/// left out, listed in btrun_metrics_map_unexported: every key would be the same empty
/// label. Pure.
std::string formatPrometheus(const std::vector<MapSnapshot> &maps, unsigned ncpus,
                             const Manifest &manifest, const RunnerStats &stats,
                             const MetricsLimits &limits);

/// A label value as the exposition format writes it: `\`, `"` and newline escaped, bytes
/// that are not UTF-8 replaced by U+FFFD.
std::string escapeLabelValue(const std::string &value);

/// An HTTP/1.0 endpoint on HOST:PORT (numeric address) answering GET /metrics with
/// `render()`'s text, on a thread of its own. The socket is bound by listen(), so that an
/// address in use or not local fails before anything is loaded; serving starts with
/// start() and ends with the object.
class MetricsServer {
public:
  ~MetricsServer();
  static Result<std::unique_ptr<MetricsServer>> listen(const std::string &hostPort);
  void start(std::function<std::string()> render);
  /// Stops serving (idempotent; the destructor calls it).
  void stop();
  /// The port bound (useful with port 0).
  unsigned port() const { return port_; }

private:
  MetricsServer() = default;
  void serve();
  void answer(int fd);
  int listenFd_ = -1;
  int stopPipe_[2] = {-1, -1};
  unsigned port_ = 0;
  std::function<std::string()> render_;
  struct Thread;
  std::unique_ptr<Thread> thread_;
};

class BpfObject;
class Globals64;
/// One scrape: every map of the loaded object read now, with btrun's own figures.
std::string scrapeMetrics(const BpfObject &bpf, const Manifest &manifest, const Globals64 &globals,
                          uint64_t probesAttached, const MetricsLimits &limits);

} // namespace bt::rt

#endif
