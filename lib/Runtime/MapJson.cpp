// Maps as bpftrace 0.17's `-f json` prints them, one JSON object per line:
//   {"type": "map"|"stats"|"hist", "data": {"@name": VALUE}}
// VALUE is the reduced value of a keyless map, or an object from each key (fields
// joined by ",") to its value, in the order the text output uses. hist/lhist values are
// arrays of buckets {"min", "max", "count"} from the first to the last non-empty one (an
// open-ended bucket has no "min" or no "max"); stats values are {"count", "average",
// "total"}, avg values the average.
#include "bt/Runtime/MapPrinter.h"
#include "bt/Object/Layout.h"
#include "JsonLine.h"
#include "MapReduce.h"
#include "TseriesFormat.h"
#include "bt/Runtime/RecordFormat.h"
#include "bt/Runtime/TupleFormat.h"

#include <nlohmann/json.hpp>

namespace bt::rt {

namespace {

using Json = nlohmann::ordered_json;

Json bucket(std::optional<int64_t> min, std::optional<int64_t> max, uint64_t count) {
  Json b = Json::object();
  if (min)
    b["min"] = *min;
  if (max)
    b["max"] = *max;
  b["count"] = count;
  return b;
}

/// The rows the text output prints: from the first to the last non-empty bucket.
std::pair<size_t, size_t> usedRange(const std::vector<uint64_t> &values) {
  size_t first = values.size(), last = 0;
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i]) {
      first = std::min(first, i);
      last = i;
    }
  return {first, last};
}

Json histJson(const std::vector<uint64_t> &values, unsigned bits, uint64_t countDiv) {
  Json rows = Json::array();
  auto [first, last] = usedRange(values);
  for (size_t i = first; i <= last && i < values.size(); ++i) {
    if (i == 0) {
      rows.push_back(bucket(std::nullopt, -1, values[i] / countDiv));
    } else {
      auto lo = int64_t(obj::histBucketMin(i, bits));
      auto hi = int64_t(obj::histBucketMin(i + 1, bits) - 1);
      rows.push_back(bucket(lo, hi, values[i] / countDiv));
    }
  }
  return rows;
}

Json lhistJson(const std::vector<uint64_t> &values, const LhistParams &l) {
  Json rows = Json::array();
  int64_t buckets = l.step > 0 ? (l.max - l.min) / l.step : 0;
  auto [first, last] = usedRange(values);
  for (size_t i = first; i <= last && i < values.size(); ++i) {
    int64_t k = static_cast<int64_t>(i);
    if (k == 0)
      rows.push_back(bucket(std::nullopt, l.min - 1, values[i]));
    else if (k == buckets + 1)
      rows.push_back(bucket(l.max, std::nullopt, values[i]));
    else
      rows.push_back(bucket((k - 1) * l.step + l.min, k * l.step + l.min - 1, values[i]));
  }
  return rows;
}

Json valueJson(const MapSpec &map, const Reduced &r, const FormatContext &ctx) {
  switch (map.aggregation) {
  case Aggregation::Hist:
    return histJson(r.buckets, map.histBits, r.countDiv);
  case Aggregation::Lhist:
    return map.lhist ? lhistJson(r.buckets, *map.lhist) : Json::array();
  case Aggregation::Stats:
    return Json{{"count", r.count}, {"average", r.s}, {"total", r.total}};
  case Aggregation::Count:
    return r.u;
  case Aggregation::Sum:
    return unsignedSum(map) ? Json(r.u) : Json(r.s);
  case Aggregation::None:
    if (map.valueType && map.valueType->type == FieldType::String)
      return r.bytes.empty() ? Json("") : Json(displayString(*map.valueType, r.bytes.data(), ctx));
    if (map.valueType && map.valueType->type == FieldType::Tuple)
      return r.bytes.size() < map.valueType->size ? Json() : tupleJson(*map.valueType, r.bytes.data(), ctx);
    if (map.valueType && (map.valueType->type == FieldType::Record ||
                          map.valueType->type == FieldType::Array))
      return r.bytes.empty() ? Json() : recordJson(*map.valueType, r.bytes.data(), ctx);
    // An enum is its number: upstream leaves names out of JSON values.
    if (map.valueType && map.valueType->type != FieldType::Int &&
        map.valueType->type != FieldType::Symbolic) // kstack, ksym, ...
      return r.bytes.empty() ? Json("") : Json(ctx.hostValue(*map.valueType, r.bytes.data(), 8));
    if (map.valueType && !map.valueType->isSigned)
      return r.u;
    return r.s;
  default:
    return r.s;
  }
}

const char *typeName(Aggregation agg) {
  switch (agg) {
  case Aggregation::Hist:
  case Aggregation::Lhist:
    return "hist";
  case Aggregation::Avg:
  case Aggregation::Stats:
    return "stats";
  default:
    return "map";
  }
}

} // namespace

std::string formatMapJson(const MapSpec &map, const std::vector<RawEntry> &entries,
                          unsigned ncpus, const FormatContext &ctx, const PrintLimits &limits) {
  if (map.aggregation == Aggregation::Tseries)
    return formatTseriesJson(map, entries, ncpus, ctx);
  std::vector<Reduced> rows = printedRows(map, entries, ncpus, limits);
  if (rows.empty())
    return ""; // bpftrace writes no line for an empty map
  Json value;
  if (map.keyless) {
    value = valueJson(map, rows.front(), ctx);
  } else {
    value = Json::object();
    // One member per entry, even when two keys print alike (ksym of two addresses in
    // one function), as bpftrace writes them: appended to the ordered object's
    // vector, past the map interface that would merge them.
    auto &members = static_cast<std::vector<std::pair<const std::string, Json>> &>(
        value.get_ref<Json::object_t &>());
    for (const Reduced &r : rows) {
      std::string key;
      // An enum key by its enumerator's name: upstream writes keys as their text.
      for (const std::string &part : keyParts(map, r.key.data(), r.key.size(), ctx))
        key += (key.empty() ? "" : ",") + part;
      members.emplace_back(key, valueJson(map, r, ctx));
    }
  }
  return jsonLine({{"type", typeName(map.aggregation)}, {"data", {{map.name, value}}}});
}

} // namespace bt::rt
