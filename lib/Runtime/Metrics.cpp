// The script's maps in Prometheus' text exposition format (version 0.0.4).
#include "bt/Runtime/Metrics.h"

#include "MapReduce.h"
#include "bt/Object/Layout.h"
#include "bt/Runtime/Loader.h"
#include "bt/Runtime/MapAccess.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace bt::rt {

namespace {

// A key field whose text only the event loop's tables give (stacks, symbols, users, ...).
bool hostTablesKey(const MapSpec &m) {
  return std::any_of(m.key.fields.begin(), m.key.fields.end(), [](const Field &f) {
    return isHostText(f.type) && !isValueOnlyText(f.type);
  });
}

std::string labels(const MapSpec &m, const Reduced &r, const FormatContext &ctx,
                   const std::string &extra = "") {
  std::vector<std::string> parts = keyParts(m, r.key.data(), r.key.size(), ctx);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i)
    out += (out.empty() ? "" : ",") + std::string(parts.size() == 1 ? "key" : "key" + std::to_string(i)) +
           "=\"" + escapeLabelValue(parts[i]) + "\"";
  if (!extra.empty())
    out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? "" : "{" + out + "}";
}

// The upper bounds (inclusive: values are integers) of a histogram's buckets but the
// last; the last bucket is +Inf. log2: bucket 0 holds v < 0, the others as
// bt/Object/Layout.h's histBucketMin says. lhist: bucket 0 holds v < min, i holds [min+(i-1)step, min+i*step).
std::vector<std::string> upperBounds(const MapSpec &m, size_t buckets) {
  std::vector<std::string> le;
  for (size_t i = 0; i + 1 < buckets; ++i) {
    if (m.aggregation == Aggregation::Lhist && m.lhist)
      le.push_back(std::to_string(m.lhist->min + int64_t(i) * m.lhist->step - 1));
    else if (i == 0)
      le.push_back("-1");
    else
      le.push_back(std::to_string(obj::histBucketMin(i + 1, m.histBits) - 1));
  }
  return le;
}

size_t histBuckets(const MapSpec &m) {
  if (m.aggregation == Aggregation::Lhist && m.lhist)
    return size_t((m.lhist->max - m.lhist->min) / m.lhist->step + 2);
  return obj::histBuckets(m.histBits);
}

} // namespace

std::string escapeLabelValue(const std::string &value) {
  std::string out;
  for (size_t i = 0; i < value.size();) {
    unsigned char c = value[i];
    if (c == '\\' || c == '"') {
      out += '\\';
      out += char(c);
      ++i;
      continue;
    }
    if (c == '\n') {
      out += "\\n";
      ++i;
      continue;
    }
    // A well-formed UTF-8 sequence is copied as it is, anything else becomes U+FFFD.
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= value.size() && !(len == 2 && c < 0xc2);
    for (size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(value[i + k]) >> 6) == 0x2;
    if (ok) {
      out.append(value, i, len);
      i += len;
    } else {
      out += "\xef\xbf\xbd";
      ++i;
    }
  }
  return out;
}

std::string formatPrometheus(const std::vector<MapSnapshot> &maps, unsigned ncpus,
                             const Manifest &manifest, const RunnerStats &stats,
                             const MetricsLimits &limits) {
  const FieldText valueText = [&manifest](const Field &f, const uint8_t *base, unsigned) {
    return valueOnlyText(f, base, manifest).value_or(std::string());
  };
  const FormatContext ctx = FormatContext::of(manifest, &valueText);
  std::ostringstream out;
  size_t series = 0;
  std::map<std::string, uint64_t> dropped;
  std::vector<std::string> skipped;
  for (const MapSnapshot &snap : maps) {
    const MapSpec &m = *snap.map;
    if (hostTablesKey(m)) {
      skipped.push_back(m.name);
      continue;
    }
    if (m.aggregation == Aggregation::None && m.valueType && m.valueType->type != FieldType::Int) {
      skipped.push_back(m.name);
      continue;
    }
    std::vector<Reduced> rows = reduceMap(m, snap.entries, ncpus);
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Reduced &a, const Reduced &b) { return a.key < b.key; });
    const std::string name = "bt_" + m.bpfName;
    const bool hist = m.hasBuckets();
    size_t perRow = hist ? histBuckets(m) + 1 : m.aggregation == Aggregation::Avg ||
                                                        m.aggregation == Aggregation::Stats
                                                    ? 2
                                                    : 1;
    switch (m.aggregation) {
    case Aggregation::Count: case Aggregation::Sum:
      out << "# HELP " << name << "_total " << m.name << " (" << toString(m.aggregation) << ")\n"
          << "# TYPE " << name << "_total counter\n";
      break;
    case Aggregation::Avg: case Aggregation::Stats:
    case Aggregation::Hist: case Aggregation::Lhist:
      out << "# HELP " << name << " " << m.name << " (" << toString(m.aggregation) << ")\n"
          << "# TYPE " << name << (hist ? " histogram\n" : " summary\n");
      break;
    default:
      out << "# HELP " << name << " " << m.name << " (" << toString(m.aggregation) << ")\n"
          << "# TYPE " << name << " gauge\n";
      break;
    }
    for (const Reduced &r : rows) {
      if (series + perRow > limits.maxSeries) {
        dropped[m.name] += perRow;
        continue;
      }
      series += perRow;
      switch (m.aggregation) {
      case Aggregation::Count:
        out << name << "_total" << labels(m, r, ctx) << " " << r.u << "\n";
        break;
      case Aggregation::Sum:
        out << name << "_total" << labels(m, r, ctx) << " ";
        if (unsignedSum(m))
          out << r.u << "\n";
        else
          out << r.s << "\n";
        break;
      case Aggregation::Avg: case Aggregation::Stats:
        out << name << "_sum" << labels(m, r, ctx) << " " << r.total << "\n"
            << name << "_count" << labels(m, r, ctx) << " " << r.count << "\n";
        break;
      case Aggregation::Hist: case Aggregation::Lhist: {
        std::vector<std::string> le = upperBounds(m, histBuckets(m));
        uint64_t cumulative = 0;
        for (size_t i = 0; i < le.size(); ++i) {
          cumulative += i < r.buckets.size() ? r.buckets[i] : 0;
          out << name << "_bucket" << labels(m, r, ctx, "le=\"" + le[i] + "\"") << " " << cumulative
              << "\n";
        }
        out << name << "_bucket" << labels(m, r, ctx, "le=\"+Inf\"") << " " << r.histTotal << "\n"
            << name << "_count" << labels(m, r, ctx) << " " << r.histTotal << "\n";
        break;
      }
      default:
        out << name << labels(m, r, ctx) << " " << r.s << "\n";
        break;
      }
    }
  }
  out << "# HELP btrun_lost_events_total Ring-buffer records the programs could not send\n"
      << "# TYPE btrun_lost_events_total counter\n"
      << "btrun_lost_events_total " << stats.lostEvents << "\n"
      << "# HELP btrun_probes_attached Attach points of the running object\n"
      << "# TYPE btrun_probes_attached gauge\n"
      << "btrun_probes_attached " << stats.probesAttached << "\n"
      << "# HELP btrun_map_updates_dropped_total Updates a full map refused\n"
      << "# TYPE btrun_map_updates_dropped_total counter\n";
  for (const auto &[m, n] : stats.mapDrops)
    out << "btrun_map_updates_dropped_total{map=\"" << escapeLabelValue(m->name) << "\"} " << n
        << "\n";
  out << "# HELP btrun_metrics_series_dropped Series left out of this scrape by the cap\n"
      << "# TYPE btrun_metrics_series_dropped gauge\n";
  for (const auto &[m, n] : dropped)
    out << "btrun_metrics_series_dropped{map=\"" << escapeLabelValue(m) << "\"} " << n << "\n";
  out << "# HELP btrun_metrics_map_unexported Maps not exported: string values, or keys "
         "printed through the host's tables (stacks, symbols, strftime, ...)\n"
      << "# TYPE btrun_metrics_map_unexported gauge\n";
  for (const std::string &m : skipped)
    out << "btrun_metrics_map_unexported{map=\"" << escapeLabelValue(m) << "\"} 1\n";
  return out.str();
}

std::string scrapeMetrics(const BpfObject &bpf, const Manifest &manifest, const Globals64 &globals,
                          uint64_t probesAttached, const MetricsLimits &limits) {
  std::vector<MapSnapshot> maps;
  RunnerStats stats;
  for (const MapSpec &m : manifest.maps) {
    if (m.dropsOffset)
      stats.mapDrops.push_back({&m, globals.counter(*m.dropsOffset)});
    auto entries = readMap(kernelMapOf(bpf.map(m.bpfName)), m);
    if (entries)
      maps.push_back({&m, std::move(*entries)});
  }
  stats.lostEvents = globals.lost();
  stats.probesAttached = probesAttached;
  return formatPrometheus(maps, possibleCpus(), manifest, stats, limits);
}

} // namespace bt::rt
