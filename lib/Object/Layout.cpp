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

uint32_t keylessArrayValueSize(Aggregation a) {
  return a == Aggregation::Sum ? 16 : aggregationValueSize(a);
}

} // namespace bt::obj
