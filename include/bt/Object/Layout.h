// Map value layouts that btc writes and btrun reads (docs/OBJECT.md, "Map layouts").
#ifndef BT_OBJECT_LAYOUT_H
#define BT_OBJECT_LAYOUT_H

#include "bt/Object/Schema.h"

#include <cstdint>

namespace bt::obj {

/// Bytes of one CPU's value of a keyed aggregation map: 8 for count, sum, hist and lhist
/// (the value or the bucket's count), 16 for min and max ({value, isset}) and avg and
/// stats ({total, count}); 0 for none, whose value_type decides.
uint32_t aggregationValueSize(Aggregation a);

/// The same for a keyless aggregation's percpu_array element, where a sum keeps a count
/// word beside its value so that "never updated" differs from a sum of 0.
uint32_t keylessArrayValueSize(Aggregation a);

} // namespace bt::obj

#endif
