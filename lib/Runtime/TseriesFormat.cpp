// tseries() maps (layout: bt/Object/Layout.h). Each CPU's buckets are combined per
// epoch; the shown intervals end at the latest epoch (of the whole map: a keyed map
// prints each key's graph in turn, all ending there) and go back at most `intervals`,
// from the first one that holds a value; one without a value between them prints
// "-" (text) or is left out (JSON), as upstream does. An epoch starts at
// epoch * interval_ns on CLOCK_TAI, shown as local wall-clock time.
#include "TseriesFormat.h"

#include "JsonLine.h"
#include "MapReduce.h"
#include "bt/Object/Layout.h"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>

namespace bt::rt {

namespace {

struct Point {
  uint64_t epoch = 0;
  std::optional<int64_t> value;
};

struct Combined {
  int64_t value = 0;
  uint64_t aux = 0; // values combined, or (the last value) when it was written
  bool any = false;
};

uint64_t rd(const uint8_t *p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

using Epochs = std::map<uint64_t, Combined>;

/// The CPUs' buckets of `entries` combined per epoch.
Epochs combine(const MapSpec &map, const RawEntry *const *entries, size_t count,
               unsigned ncpus) {
  const TseriesParams &ts = *map.tseries;
  const std::string &agg = ts.aggregation;
  const size_t stride = (map.valueSize + 7) / 8 * 8;
  Epochs byEpoch;
  for (size_t i = 0; i < count; ++i) {
    const RawEntry &e = *entries[i];
    size_t n = map.perCpu() ? std::min<size_t>(e.value.size() / stride, ncpus ? ncpus : ~0u) : 1;
    for (size_t c = 0; c < n; ++c) {
      const uint8_t *cpu = e.value.data() + c * stride;
      if (e.value.size() < c * stride + obj::tseriesValueSize(ts.intervals))
        break;
      for (uint64_t b = 0; b < ts.intervals; ++b) {
        const uint8_t *bucket = cpu + obj::kTseriesHeaderSize + b * obj::kTseriesBucketSize;
        uint64_t epoch = rd(bucket + 8), aux = rd(bucket + 16);
        int64_t v = static_cast<int64_t>(rd(bucket));
        if (epoch == 0 || aux == 0)
          continue;
        Combined &cb = byEpoch[epoch];
        if (!cb.any)
          cb = {v, aux, true};
        else if (agg == "sum" || agg == "avg")
          cb = {cb.value + v, cb.aux + aux, true};
        else if (agg == "min")
          cb.value = std::min(cb.value, v);
        else if (agg == "max")
          cb.value = std::max(cb.value, v);
        else if (aux > cb.aux)
          cb = {v, aux, true};
      }
    }
  }
  return byEpoch;
}

/// The intervals shown: those of the `intervals` up to `last` (the map's latest), from
/// the first that holds a value; only `last` when none does, as upstream shows them.
std::vector<Point> series(const MapSpec &map, const Epochs &byEpoch, uint64_t last) {
  const TseriesParams &ts = *map.tseries;
  uint64_t first = last >= ts.intervals - 1 ? last - (ts.intervals - 1) : 0;
  auto from = byEpoch.lower_bound(first);
  uint64_t start = from == byEpoch.end() || from->first > last ? last : from->first;
  std::vector<Point> out;
  for (uint64_t epoch = start; epoch <= last; ++epoch) {
    Point p{epoch, std::nullopt};
    if (auto it = byEpoch.find(epoch); it != byEpoch.end())
      p.value = ts.aggregation == "avg" ? it->second.value / static_cast<int64_t>(it->second.aux)
                                        : it->second.value;
    out.push_back(p);
  }
  return out;
}

struct KeySeries {
  const RawEntry *entry; // the key's, or null for a keyless map
  std::vector<Point> points;
};

/// Each key's intervals, all ending at the latest of the map, keys ordered from the
/// least to the most recently updated (ties by key bytes); keys without a value (a
/// zero()) are left out. A keyless map's CPU slots and elements make one series.
std::vector<KeySeries> keySeries(const MapSpec &map, const std::vector<RawEntry> &entries,
                                 unsigned ncpus) {
  std::vector<std::pair<const RawEntry *, Epochs>> keys;
  if (map.keyless) {
    std::vector<const RawEntry *> all;
    for (const RawEntry &e : entries)
      all.push_back(&e);
    keys.emplace_back(nullptr, combine(map, all.data(), all.size(), ncpus));
  } else {
    for (const RawEntry &e : entries) {
      const RawEntry *one = &e;
      keys.emplace_back(&e, combine(map, &one, 1, ncpus));
    }
  }
  keys.erase(std::remove_if(keys.begin(), keys.end(),
                            [](const auto &k) { return k.second.empty(); }),
             keys.end());
  auto latest = [](const Epochs &e) { return e.rbegin()->first; };
  std::stable_sort(keys.begin(), keys.end(), [&](const auto &a, const auto &b) {
    if (latest(a.second) != latest(b.second))
      return latest(a.second) < latest(b.second);
    return a.first && b.first && a.first->key < b.first->key;
  });
  std::vector<KeySeries> out;
  if (keys.empty())
    return out;
  uint64_t last = latest(keys.back().second);
  for (const auto &[entry, byEpoch] : keys)
    out.push_back({entry, series(map, byEpoch, last)});
  return out;
}

/// CLOCK_TAI nanoseconds as CLOCK_REALTIME ones.
int64_t taiToRealtime(int64_t tai) {
  timespec real{}, taiNow{};
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_TAI, &taiNow);
  int64_t offset = (int64_t(real.tv_sec) - int64_t(taiNow.tv_sec)) * 1000000000 +
                   (int64_t(real.tv_nsec) - int64_t(taiNow.tv_nsec));
  // The clocks differ by whole seconds; the two reads above, by a little more.
  int64_t second = 1000000000;
  offset = (offset >= 0 ? offset + second / 2 : offset - second / 2) / second * second;
  return tai + offset;
}

/// Decimal digits of a second a time shows: 0 (s), 3 (ms), 6 (us) or 9 (ns), the
/// coarsest unit that divides the interval.
int fractionDigits(uint64_t intervalNs) {
  if (intervalNs % 1000000000 == 0)
    return 0;
  if (intervalNs % 1000000 == 0)
    return 3;
  if (intervalNs % 1000 == 0)
    return 6;
  return 9;
}

std::string wallTime(int64_t realNs, const char *format, int digits) {
  time_t secs = static_cast<time_t>(realNs / 1000000000);
  int64_t frac = realNs % 1000000000;
  tm local{};
  localtime_r(&secs, &local);
  std::ostringstream ss;
  ss << std::put_time(&local, format);
  if (digits) {
    int64_t scaled = frac;
    for (int d = 9; d > digits; --d)
      scaled /= 10;
    ss << '.' << std::setw(digits) << std::setfill('0') << scaled;
  }
  return ss.str();
}

std::string intervalStart(const MapSpec &map, uint64_t epoch, const char *format, int digits) {
  return wallTime(taiToRealtime(static_cast<int64_t>(epoch * map.tseries->intervalNs)), format,
                  digits);
}

std::string graph(const MapSpec &map, const std::vector<Point> &pts) {
  constexpr int kWidth = 53, kPadding = 21;
  if (pts.empty())
    return "<no data>";
  std::optional<int64_t> lo, hi;
  for (const Point &p : pts)
    if (p.value) {
      lo = lo ? std::min(*lo, *p.value) : *p.value;
      hi = hi ? std::max(*hi, *p.value) : *p.value;
    }
  int64_t min = lo.value_or(0), max = hi.value_or(0);
  if (lo && min == max) { // some room on both sides, where the range allows
    if (min > INT64_MIN)
      --min;
    if (max < INT64_MAX)
      ++max;
  }
  // The unit of the times: from the spacing of the shown intervals, as upstream.
  uint64_t spacing = pts.size() > 1 ? (pts.back().epoch - pts.front().epoch) *
                                          map.tseries->intervalNs / (pts.size() - 1)
                                    : 0;
  int digits = fractionDigits(spacing);
  std::string timeHeader = "hh:mm:ss";
  if (digits)
    timeHeader += digits == 3 ? ".ms" : digits == 6 ? ".us" : ".ns";
  size_t timeWidth = 8 + (digits ? 1 + digits : 0);

  std::ostringstream out;
  // A key with no value among the shown intervals has no scale: upstream prints "null".
  std::string minText = lo ? std::to_string(min) : "null", maxText = lo ? std::to_string(max) : "null";
  auto scale = [&] {
    out << std::setw(kPadding) << std::left << minText << std::setw(kWidth - kPadding)
        << std::right << maxText << '\n';
  };
  out << std::string(timeWidth + 1, ' ');
  scale();
  out << std::setw(timeWidth + 1) << std::left << timeHeader << '|'
      << std::string(kWidth - 2, '_') << "|\n";
  double range = double(max) - double(min);
  int zero = 0;
  if (min < 0 && max > 0)
    zero = static_cast<int>(float(kWidth) * float(double(min)) / float(double(min) - double(max)));
  for (const Point &p : pts) {
    std::string line(kWidth, ' ');
    line[0] = '|';
    line[kWidth - 1] = '|';
    if (zero > 0)
      line[zero] = '.';
    out << intervalStart(map, p.epoch, "%H:%M:%S", digits) << ' ';
    if (p.value) {
      int at = kWidth / 2;
      if (min != max)
        at = static_cast<int>(float(kWidth - 1) * float(double(*p.value) - double(min)) /
                              float(range));
      line[std::max(0, std::min(kWidth - 1, at))] = '*';
      out << line << ' ' << *p.value << '\n';
    } else {
      out << line << " -\n";
    }
  }
  std::string bottom(kWidth, '_');
  bottom.front() = bottom.back() = 'v';
  out << std::string(timeWidth, ' ') << ' ' << bottom << '\n';
  out << std::string(timeWidth, ' ') << ' ';
  scale();
  return out.str();
}

} // namespace

std::string formatTseries(const MapSpec &map, const std::vector<RawEntry> &entries,
                          unsigned ncpus, const FormatContext &ctx) {
  if (!map.tseries || entries.empty())
    return "\n";
  std::string out;
  for (const KeySeries &k : keySeries(map, entries, ncpus)) {
    std::string name = k.entry ? formatKey(map, k.entry->key.data(), k.entry->key.size(), ctx)
                               : map.name;
    out += name + ":\n" + graph(map, k.points) + "\n";
  }
  if (out.empty()) // a keyless map that holds no value yet
    return map.keyless ? map.name + ":\n<no data>\n" : "\n";
  return out;
}

std::string formatTseriesJson(const MapSpec &map, const std::vector<RawEntry> &entries,
                              unsigned ncpus, const FormatContext &ctx) {
  if (!map.tseries || entries.empty())
    return "";
  auto pointsArray = [&](const std::vector<Point> &pts) {
    std::string array = "[";
    bool first = true;
    for (const Point &p : pts) {
      if (!p.value)
        continue;
      array += first ? "" : ",";
      first = false;
      array += "{\"interval_start\":\"" + intervalStart(map, p.epoch, "%Y-%m-%dT%H:%M:%S", 9) +
               "\",\"value\":" + std::to_string(*p.value) + "}";
    }
    return array + "]";
  };
  std::vector<KeySeries> keys = keySeries(map, entries, ncpus);
  if (map.keyless)
    return jsonLine({{"type", "tseries"},
                     {"data", {{map.name, jsonText(pointsArray(keys.empty() ? std::vector<Point>{}
                                                                            : keys[0].points))}}}});
  // One member per key, keys joined by "," as other maps' JSON writes them.
  std::string object = "{";
  for (const KeySeries &k : keys) {
    std::string key;
    for (const std::string &part : keyParts(map, k.entry->key.data(), k.entry->key.size(), ctx))
      key += (key.empty() ? "" : ",") + part;
    object += (object.size() > 1 ? ", " : "") +
              nlohmann::ordered_json(key).dump(-1, ' ', false,
                                                nlohmann::ordered_json::error_handler_t::replace) +
              ": " + pointsArray(k.points);
  }
  object += "}";
  return jsonLine({{"type", "tseries"}, {"data", {{map.name, jsonText(object)}}}});
}

} // namespace bt::rt
