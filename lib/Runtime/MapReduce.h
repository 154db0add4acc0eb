// Private to lib/Runtime: a map's entries reduced over CPUs (and, for histograms,
// gathered per key) in the order bpftrace prints them. Shared by the text and JSON
// renderings (MapPrinter.cpp, MapJson.cpp).
#ifndef BT_RUNTIME_MAPREDUCE_H
#define BT_RUNTIME_MAPREDUCE_H

#include "bt/Runtime/MapPrinter.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bt::rt {

struct Reduced {
  std::vector<uint8_t> key; // key prefix (fields only)
  int64_t s = 0;            // signed value / average
  uint64_t u = 0;           // unsigned value
  int64_t total = 0, count = 0;
  std::vector<uint8_t> bytes;    // string, tuple, record or host-text value
  std::vector<uint64_t> buckets; // hist, lhist
  uint64_t histTotal = 0;
  uint64_t countDiv = 1; // a hist()'s bucket counts are shown divided by it
};

/// A sum() of unsigned values (its value_type unsigned): printed and sorted as uint64.
inline bool unsignedSum(const MapSpec &map) {
  return map.aggregation == Aggregation::Sum && map.valueType && !map.valueType->isSigned;
}

/// Every key of the map once, its per-CPU values combined, sorted as bpftrace sorts.
std::vector<Reduced> reduceMap(const MapSpec &map, const std::vector<RawEntry> &entries,
                               unsigned ncpus);

/// The rows a print shows: reduceMap's, the last `limits.top` of them, their values divided
/// by `limits.div`, as bpftrace 0.17 does: a hist()'s shown counts (countDiv), not an
/// lhist()'s; a stats() map ignores both (btc warns). A keyless count() with no entry
/// (cleared or deleted) is one row of 0, as 0.17 prints it; no other empty map has a row.
std::vector<Reduced> printedRows(const MapSpec &map, const std::vector<RawEntry> &entries,
                                 unsigned ncpus, const PrintLimits &limits);

/// Each key field as text (ints in decimal, strings as they are, an enum by its
/// enumerator's name); empty when keyless.
std::vector<std::string> keyParts(const MapSpec &map, const uint8_t *key, size_t keySize,
                                  const FormatContext &ctx);

} // namespace bt::rt

#endif
