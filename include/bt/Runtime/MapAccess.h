// Reading, clearing and zeroing the script's maps in the kernel.
#ifndef BT_RUNTIME_MAPACCESS_H
#define BT_RUNTIME_MAPACCESS_H

#include "bt/Runtime/MapPrinter.h"
#include "bt/Runtime/Result.h"

#include <cstdint>
#include <vector>

struct bpf_map;

namespace bt::rt {

/// Number of possible CPUs (the number of values a per-CPU lookup returns).
unsigned possibleCpus();

/// A loaded map as the kernel has it (libbpf's bpf_map__fd, __key_size, ...). Reads
/// size their buffers from these, never from the manifest alone.
struct KernelMap {
  int fd = -1; // -1 before the object is loaded
  int type = 0;
  uint32_t keySize = 0;
  uint32_t valueSize = 0;
  uint32_t maxEntries = 0;
};
KernelMap kernelMapOf(const bpf_map *m);

/// Whether the object's map is what the manifest says: its BPF type, a value large
/// enough for the aggregation, and a keyless array's index and marker.
Status checkMapShape(const KernelMap &km, const MapSpec &map);

/// Every element of the map, as MapPrinter expects it: each per-CPU value
/// valueStride(map) bytes apart. A keyless per-CPU array (docs/OBJECT.md) reads as
/// the hash it stands for: one element per bucket ever updated, keyed by the bucket
/// as a u64 (0 for the scalar aggregations).
Result<std::vector<RawEntry>> readMap(const KernelMap &km, const MapSpec &map);
/// Deletes every element (an array's are zeroed, its zeroed marker too).
Status clearMap(const KernelMap &km, const MapSpec &map);
/// Sets every element's value to zero, keeping the keys (an array's marker is set).
Status zeroMap(const KernelMap &km, const MapSpec &map);

} // namespace bt::rt

#endif
