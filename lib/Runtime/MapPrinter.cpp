// bpftrace 0.17's text output for maps, rebuilt from its observed behaviour:
// - plain maps (none/count/sum/min/max): "key: value" lines, sorted by value ascending
//   (string values: by key); then one newline.
// - avg/stats: sorted by average; then an empty line.
// - hist/lhist: "key: " line, the rows, and an empty line after each key; sorted by the
//   total count of a key.
// - an empty map: the newline(s) alone (bpftrace prints an empty line for it).
// - keys: ints as decimal, strings as they are, several joined by ", " in brackets;
//   a pointer (the manifest's `pointer`) in hex, as `0x1f`; sorting by key compares ints
//   as unsigned 64-bit numbers and strings bytewise.
#include "bt/Runtime/MapPrinter.h"

#include "bt/Object/Layout.h"
#include "MapReduce.h"
#include "TseriesFormat.h"
#include "bt/Runtime/Format.h"
#include "bt/Runtime/RecordFormat.h"
#include "bt/Runtime/TupleFormat.h"

#include <algorithm>
#include <cstring>
#include <iomanip>
#include <map>
#include <sstream>

namespace bt::rt {

uint32_t valueSize(const MapSpec &map) {
  if (map.aggregation == Aggregation::Tseries)
    return map.valueSize;
  if (map.aggregation == Aggregation::None)
    return map.valueSize ? map.valueSize : (map.valueType ? map.valueType->size : 8);
  return obj::aggregationValueSize(map.aggregation);
}

uint32_t valueStride(const MapSpec &map) { return (valueSize(map) + 7) / 8 * 8; }

namespace {

int64_t rdS64(const uint8_t *p) {
  int64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
uint64_t rdU64(const uint8_t *p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

std::string hexAddress(uint64_t v) {
  std::ostringstream out;
  out << "0x" << std::hex << v;
  return out.str();
}

/// Number of values in a lookup buffer (1 unless the map is per-CPU).
unsigned copies(const MapSpec &map, const RawEntry &e, unsigned ncpus) {
  if (!map.perCpu())
    return 1;
  uint32_t stride = valueStride(map);
  unsigned n = stride ? static_cast<unsigned>(e.value.size() / stride) : 0;
  return std::min(n, ncpus ? ncpus : n);
}

const uint8_t *copyAt(const MapSpec &map, const RawEntry &e, unsigned cpu) {
  return e.value.data() + static_cast<size_t>(cpu) * valueStride(map);
}

/// A value that sums over CPUs and sorts as a number: an int, or an enum printed by name.
bool isInteger(const Field &f) { return f.type == FieldType::Int || f.type == FieldType::Symbolic; }

/// bpftrace's sort_by_key: by the first field, then the second, ...; ints compared as
/// unsigned 64-bit numbers, strings bytewise up to their NUL. An array is no sort key
/// (upstream leaves it in the hash table's order): arrayKeyOrder breaks those ties.
bool keyLess(const MapSpec &map, const std::vector<uint8_t> &a, const std::vector<uint8_t> &b) {
  for (const Field &f : map.key.fields) {
    if (f.offset + static_cast<size_t>(f.size) > a.size() ||
        f.offset + static_cast<size_t>(f.size) > b.size())
      break;
    if (f.type == FieldType::Array)
      continue;
    if (f.type != FieldType::String) { // ints and stack ids
      Field u = f;
      u.isSigned = false;
      uint64_t va = readInt(u, a.data()), vb = readInt(u, b.data());
      if (va != vb)
        return va < vb;
    } else {
      int c = std::strncmp(reinterpret_cast<const char *>(a.data() + f.offset),
                           reinterpret_cast<const char *>(b.data() + f.offset), f.size);
      if (c != 0)
        return c < 0;
    }
  }
  return false;
}

/// Two arrays' elements in order, as numbers (signed as their type; arrays of arrays
/// element by element): -1, 0 or 1.
int compareArrays(const Field &array, const uint8_t *a, const uint8_t *b) {
  if (array.elements.empty())
    return 0;
  Field element = array.elements.front();
  element.offset = 0;
  if (uint64_t(element.size) * array.count > array.size)
    return 0; // not an array btc lays out
  for (uint32_t i = 0; i < array.count; ++i) {
    const uint8_t *ea = a + size_t(i) * element.size, *eb = b + size_t(i) * element.size;
    int c = 0;
    if (element.type == FieldType::Array) {
      c = compareArrays(element, ea, eb);
    } else if (element.type == FieldType::Int) {
      uint64_t va = readInt(element, ea), vb = readInt(element, eb);
      if (va != vb)
        c = element.isSigned ? (int64_t(va) < int64_t(vb) ? -1 : 1) : (va < vb ? -1 : 1);
    } else {
      c = std::memcmp(ea, eb, element.size);
    }
    if (c != 0)
      return c < 0 ? -1 : 1;
  }
  return 0;
}

/// Rows that keyLess leaves tied (keys differing only in their arrays): by each array
/// key field in turn, as numbers, so that the order is the same on every run (upstream
/// newer bpftrace's printed arrays compare so); then by the raw bytes.
bool arrayKeyOrder(const MapSpec &map, const std::vector<uint8_t> &a, const std::vector<uint8_t> &b) {
  for (const Field &f : map.key.fields) {
    if (f.type != FieldType::Array || f.offset + static_cast<size_t>(f.size) > a.size() ||
        f.offset + static_cast<size_t>(f.size) > b.size())
      continue;
    if (int c = compareArrays(f, a.data() + f.offset, b.data() + f.offset))
      return c < 0;
  }
  return a < b;
}

std::string join(const std::vector<std::string> &elems, const std::string &delim) {
  std::string out;
  for (size_t i = 0; i < elems.size(); ++i) {
    if (i)
      out += delim;
    out += elems[i];
  }
  return out;
}

// The least value of bucket j + 1 as upstream prints it: 2^power * (2^bits + the k bits),
// with K, M, G, ... for each 2^10 of the power. bpftrace 0.17 (bits 0) stops at T.
std::string histIndexLabel(uint64_t j, unsigned bits) {
  const uint64_t n = uint64_t(1) << bits;
  unsigned power = unsigned(j >> bits) - 1;
  unsigned decade = std::min(power / 10, bits ? 6u : 4u);
  power -= 10 * decade;
  std::string s = std::to_string((uint64_t(1) << power) * (n + (j & (n - 1))));
  if (decade)
    s.push_back("KMGTPE"[decade - 1]);
  return s;
}

std::string lhistIndexLabel(int64_t number) {
  const int64_t kilo = 1024, mega = 1048576;
  if (number == 0)
    return "0";
  if (number % mega == 0)
    return std::to_string(number / mega) + "M";
  if (number % kilo == 0)
    return std::to_string(number / kilo) + "K";
  return std::to_string(number);
}

void row(std::ostringstream &res, const std::string &header, uint64_t value, uint64_t maxValue,
         uint64_t countDiv = 1) {
  const int maxWidth = 52;
  int barWidth = maxValue ? static_cast<int>(static_cast<float>(value) /
                                             static_cast<float>(maxValue) * maxWidth)
                          : 0;
  res << std::setw(16) << std::left << header << std::setw(8) << std::right
      << value / std::max<uint64_t>(countDiv, 1) << " |"
      << std::setw(maxWidth) << std::left << std::string(barWidth, '@') << "|\n";
}

} // namespace

std::vector<std::string> keyParts(const MapSpec &map, const uint8_t *key, size_t keySize,
                                  const FormatContext &ctx) {
  std::vector<std::string> parts;
  if (map.keyless)
    return parts;
  for (const Field &f : map.key.fields) {
    if (f.offset + static_cast<size_t>(f.size) > keySize) {
      parts.push_back("?");
      continue;
    }
    if (f.type == FieldType::String) {
      parts.push_back(displayString(f, key, ctx));
    } else if (f.type == FieldType::Tuple) { // a tuple inside the key: `@m[1, (2, a)]`
      parts.push_back(tupleText(f, key, ctx));
    } else if (f.type == FieldType::Record || f.type == FieldType::Array) {
      // A struct: `{.a=1,.b=2}`, as bpftrace 0.17; a record: `{ .a = 1 }`, as upstream;
      // an array `[1,2]`.
      parts.push_back(f.namedTuple ? recordText(f, key, ctx) : recordKeyText(f, key, ctx));
    } else if (f.type == FieldType::Symbolic) { // the script's enum: the enumerator's name
      parts.push_back(symbolicText(f, readInt(f, key)));
    } else if (f.type != FieldType::Int) { // kstack, ksym, strftime: the host's text
      parts.push_back(ctx.hostValue(f, key, 4));
    } else {
      uint64_t v = readInt(f, key);
      if (f.isPointer)
        parts.push_back(hexAddress(v));
      else
        parts.push_back(f.isSigned ? std::to_string(static_cast<int64_t>(v)) : std::to_string(v));
    }
  }
  return parts;
}

std::string formatKey(const MapSpec &map, const uint8_t *key, size_t keySize,
                      const FormatContext &ctx) {
  auto parts = keyParts(map, key, keySize, ctx);
  if (parts.empty())
    return map.name;
  return map.name + "[" + join(parts, ", ") + "]";
}

std::string formatHist(const std::vector<uint64_t> &values, unsigned bits, uint64_t countDiv) {
  int minIndex = -1, maxIndex = -1;
  uint64_t maxValue = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] > 0) {
      if (minIndex == -1)
        minIndex = static_cast<int>(i);
      maxIndex = static_cast<int>(i);
    }
    maxValue = std::max(maxValue, values[i]);
  }
  if (maxIndex == -1)
    return "";
  std::ostringstream res;
  for (int i = minIndex; i <= maxIndex; ++i) {
    std::string header;
    if (i == 0)
      header = "(..., 0)";
    else if (i <= (2 << bits)) // a bucket of one value
      header = "[" + std::to_string(i - 1) + "]";
    else
      header = "[" + histIndexLabel(uint64_t(i) - 1, bits) + ", " +
               histIndexLabel(uint64_t(i), bits) + ")";
    row(res, header, values[i], maxValue, countDiv);
  }
  return res.str();
}

std::string formatLhist(const std::vector<uint64_t> &values, int64_t min, int64_t max, int64_t step) {
  if (step <= 0)
    return "";
  int64_t buckets = (max - min) / step; // without the < min and >= max buckets
  int maxIndex = -1;
  uint64_t maxValue = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] != 0)
      maxIndex = static_cast<int>(i);
    maxValue = std::max(maxValue, values[i]);
  }
  if (maxIndex == -1)
    return "";
  int64_t start = -1, end = 0;
  for (int64_t i = 0; i <= buckets + 1 && i < static_cast<int64_t>(values.size()); ++i) {
    if (values[i] > 0) {
      if (start == -1)
        start = i;
      end = i;
    }
  }
  if (start == -1)
    start = 0;
  std::ostringstream res;
  for (int64_t i = start; i <= end; ++i) {
    std::string header;
    if (i == 0)
      header = "(..., " + lhistIndexLabel(min) + ")";
    else if (i == buckets + 1)
      header = "[" + lhistIndexLabel(max) + ", ...)";
    else
      header = "[" + lhistIndexLabel((i - 1) * step + min) + ", " +
               lhistIndexLabel(i * step + min) + ")";
    row(res, header, values[i], maxValue);
  }
  return res.str();
}

std::vector<Reduced> reduceMap(const MapSpec &map, const std::vector<RawEntry> &entries,
                               unsigned ncpus) {
  const Aggregation agg = map.aggregation;
  const bool isHist = agg == Aggregation::Hist || agg == Aggregation::Lhist;
  const bool isStats = agg == Aggregation::Avg || agg == Aggregation::Stats;

  // Reduce per-CPU values and, for histograms, gather the buckets of each key.
  std::vector<Reduced> rows;
  if (isHist) {
    std::map<std::vector<uint8_t>, std::vector<uint64_t>> byKey;
    size_t nb = obj::histBuckets(map.histBits);
    if (agg == Aggregation::Lhist && map.lhist)
      nb = static_cast<size_t>((map.lhist->max - map.lhist->min) / map.lhist->step + 2);
    for (const RawEntry &e : entries) {
      if (e.key.size() < map.bucketOffset + 8)
        continue;
      std::vector<uint8_t> prefix(e.key.begin(), e.key.begin() + map.bucketOffset);
      uint64_t bucket = rdU64(e.key.data() + map.bucketOffset);
      if (bucket > 4096)
        continue; // not a bucket any btc object writes
      uint64_t sum = 0;
      for (unsigned c = 0, n = copies(map, e, ncpus); c < n; ++c)
        sum += rdU64(copyAt(map, e, c));
      auto &b = byKey[prefix];
      if (b.size() < std::max<size_t>(nb, bucket + 1))
        b.resize(std::max<size_t>(nb, bucket + 1));
      b[bucket] += sum;
    }
    for (auto &[k, b] : byKey) {
      Reduced r;
      r.key = k;
      r.buckets = b;
      for (uint64_t v : b)
        r.histTotal += v;
      rows.push_back(std::move(r));
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Reduced &a, const Reduced &b) { return a.histTotal < b.histTotal; });
  } else {
    for (const RawEntry &e : entries) {
      Reduced r;
      r.key = e.key;
      unsigned n = copies(map, e, ncpus);
      switch (agg) {
      case Aggregation::Count:
      case Aggregation::Sum:
        for (unsigned c = 0; c < n; ++c)
          r.u += rdU64(copyAt(map, e, c));
        r.s = static_cast<int64_t>(r.u);
        break;
      case Aggregation::Min:
      case Aggregation::Max: {
        bool any = false;
        for (unsigned c = 0; c < n; ++c) {
          const uint8_t *p = copyAt(map, e, c);
          if (rdU64(p + 8) == 0)
            continue;
          int64_t v = rdS64(p);
          if (!any || (agg == Aggregation::Min ? v < r.s : v > r.s))
            r.s = v;
          any = true;
        }
        break;
      }
      case Aggregation::Avg:
      case Aggregation::Stats:
        for (unsigned c = 0; c < n; ++c) {
          const uint8_t *p = copyAt(map, e, c);
          r.total += rdS64(p);
          r.count += rdS64(p + 8);
        }
        r.s = r.count != 0 ? r.total / r.count : 0;
        break;
      case Aggregation::None: {
        Field vt = map.valueType.value_or(Field{});
        vt.offset = 0;
        if (e.value.size() < vt.size)
          break;
        if (!isInteger(vt)) { // a string, a tuple, or host text (kstack, ...)
          r.bytes.assign(e.value.begin(), e.value.begin() + vt.size);
        } else {
          for (unsigned c = 0; c < n; ++c)
            r.u += readInt(vt, copyAt(map, e, c));
          r.s = static_cast<int64_t>(r.u);
        }
        break;
      }
      default:
        break;
      }
      rows.push_back(std::move(r));
    }
    if (isStats) {
      // bpftrace collects these by raw key bytes, then sorts by average.
      std::stable_sort(rows.begin(), rows.end(),
                       [](const Reduced &a, const Reduced &b) { return a.key < b.key; });
      std::stable_sort(rows.begin(), rows.end(),
                       [](const Reduced &a, const Reduced &b) { return a.s < b.s; });
    } else {
      std::stable_sort(rows.begin(), rows.end(), [&](const Reduced &a, const Reduced &b) {
        if (a.key != b.key && !keyLess(map, a.key, b.key) && !keyLess(map, b.key, a.key))
          return arrayKeyOrder(map, a.key, b.key);
        return keyLess(map, a.key, b.key);
      });
      bool byValue = true, isSigned = true;
      if (agg == Aggregation::Count || unsignedSum(map))
        isSigned = false;
      if (agg == Aggregation::None) {
        Field vt = map.valueType.value_or(Field{});
        byValue = isInteger(vt);
        isSigned = vt.isSigned;
      }
      if (byValue)
        std::stable_sort(rows.begin(), rows.end(), [&](const Reduced &a, const Reduced &b) {
          return isSigned ? a.s < b.s : a.u < b.u;
        });
    }
  }
  return rows;
}

std::vector<Reduced> printedRows(const MapSpec &map, const std::vector<RawEntry> &entries,
                                 unsigned ncpus, const PrintLimits &limits) {
  std::vector<Reduced> rows = reduceMap(map, entries, ncpus);
  if (rows.empty() && map.keyless && map.aggregation == Aggregation::Count)
    rows.emplace_back();
  if (map.aggregation == Aggregation::Stats)
    return rows;
  if (limits.top && rows.size() > limits.top)
    rows.erase(rows.begin(), rows.end() - static_cast<std::ptrdiff_t>(limits.top));
  if (limits.div > 1 && map.aggregation != Aggregation::Lhist)
    for (Reduced &r : rows) {
      r.u /= limits.div;
      r.s /= static_cast<int64_t>(limits.div);
      r.countDiv = limits.div;
    }
  return rows;
}

std::string formatMap(const MapSpec &map, const std::vector<RawEntry> &entries, unsigned ncpus,
                      const FormatContext &ctx, const PrintLimits &limits) {
  if (map.aggregation == Aggregation::Tseries)
    return formatTseries(map, entries, ncpus, ctx);
  const Aggregation agg = map.aggregation;
  const bool isHist = agg == Aggregation::Hist || agg == Aggregation::Lhist;
  const bool isStats = agg == Aggregation::Avg || agg == Aggregation::Stats;
  std::vector<std::string> elems;
  for (const Reduced &r : printedRows(map, entries, ncpus, limits)) {
    std::string key = formatKey(map, r.key.data(), r.key.size(), ctx);
    std::string value;
    switch (agg) {
    case Aggregation::Hist:
      value = formatHist(r.buckets, map.histBits, r.countDiv);
      break;
    case Aggregation::Lhist:
      value = map.lhist ? formatLhist(r.buckets, map.lhist->min, map.lhist->max, map.lhist->step) : "";
      break;
    case Aggregation::Stats:
      value = "count " + std::to_string(r.count) + ", average " + std::to_string(r.s) +
              ", total " + std::to_string(r.total);
      break;
    case Aggregation::Count:
      value = std::to_string(r.u);
      break;
    case Aggregation::Sum:
      value = unsignedSum(map) ? std::to_string(r.u) : std::to_string(r.s);
      break;
    case Aggregation::None:
      if (map.valueType && map.valueType->type == FieldType::String)
        value = r.bytes.empty() ? "" : displayString(*map.valueType, r.bytes.data(), ctx);
      else if (map.valueType && map.valueType->type == FieldType::Tuple) // `()` has no bytes
        value = r.bytes.size() < map.valueType->size ? "" : tupleText(*map.valueType, r.bytes.data(), ctx);
      else if (map.valueType && (map.valueType->type == FieldType::Record ||
                                 map.valueType->type == FieldType::Array))
        value = r.bytes.empty() ? "" : recordText(*map.valueType, r.bytes.data(), ctx);
      else if (map.valueType && map.valueType->type == FieldType::Symbolic)
        value = symbolicText(*map.valueType, r.u);
      else if (map.valueType && map.valueType->type != FieldType::Int)
        value = r.bytes.empty() ? "" : ctx.hostValue(*map.valueType, r.bytes.data(), 8);
      else
        value = (map.valueType && !map.valueType->isSigned) ? std::to_string(r.u) : std::to_string(r.s);
      break;
    default:
      value = std::to_string(r.s);
      break;
    }
    elems.push_back(key + ": " + (isHist ? "\n" : "") + value);
  }
  std::string out = join(elems, "\n");
  out += isStats ? "\n\n" : "\n";
  return out;
}

} // namespace bt::rt
