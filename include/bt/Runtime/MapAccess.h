// Reading, clearing and zeroing the script's maps in the kernel.
#ifndef BT_RUNTIME_MAPACCESS_H
#define BT_RUNTIME_MAPACCESS_H

#include "bt/Runtime/MapPrinter.h"
#include "bt/Runtime/Result.h"

#include <vector>

namespace bt::rt {

/// Number of possible CPUs (the number of values a per-CPU lookup returns).
unsigned possibleCpus();

/// Every element of the map behind `fd` (key size, value layout from `map`).
Result<std::vector<RawEntry>> readMap(int fd, const MapInfo &map, unsigned keySize);
/// Deletes every element.
Status clearMap(int fd, const MapInfo &map, unsigned keySize);
/// Sets every element's value to zero, keeping the keys.
Status zeroMap(int fd, const MapInfo &map, unsigned keySize);

} // namespace bt::rt

#endif
