// Map value layouts (docs/OBJECT.md, "Map layouts").
#include "bt/Object/Layout.h"

namespace bt::obj {

uint32_t aggregationValueSize(Aggregation a) {
  switch (a) {
  case Aggregation::None:
    return 0;
  case Aggregation::Count:
  case Aggregation::Sum:
  case Aggregation::Hist:
  case Aggregation::Lhist:
    return 8;
  case Aggregation::Tseries: // its size is tseriesValueSize(intervals)
    return kTseriesHeaderSize;
  case Aggregation::Min:
  case Aggregation::Max:
  case Aggregation::Avg:
  case Aggregation::Stats:
    return 16;
  }
  return 8;
}

uint32_t tseriesValueSize(uint64_t intervals) {
  return kTseriesHeaderSize + static_cast<uint32_t>(intervals) * kTseriesBucketSize;
}

uint32_t histBuckets(unsigned bits) {
  // The largest, 2^63 - 1, has its leading 1 at bit 62: bucket ((63 - k) << k) + 2^k.
  return ((64u - bits) << bits) + 1;
}

uint64_t histBucketMin(uint64_t bucket, unsigned bits) {
  const uint64_t j = bucket - 1, n = uint64_t(1) << bits;
  if (j < 2 * n)
    return j;
  return (uint64_t(1) << ((j >> bits) - 1)) * (n + (j & (n - 1)));
}

uint32_t keylessArrayValueSize(Aggregation a) {
  return a == Aggregation::Sum ? 16 : aggregationValueSize(a);
}

} // namespace bt::obj
