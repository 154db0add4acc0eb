// Map text exactly as bpftrace 0.17 prints it (at exit and for print(@m)), as text or JSON. Pure functions:
// a map's layout and raw bytes in, text out.
#ifndef BT_RUNTIME_MAPPRINTER_H
#define BT_RUNTIME_MAPPRINTER_H

#include "bt/Runtime/FormatContext.h"
#include "bt/Runtime/Manifest.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bt::rt {

/// One BPF map element as read from the kernel: the full BPF key (for hist/lhist it
/// includes the bucket index at bucket_offset) and the value; for a per-CPU map `value`
/// holds `ncpus` values, each `valueStride(map)` bytes apart.
struct RawEntry {
  std::vector<uint8_t> key;
  std::vector<uint8_t> value;
};

/// Bytes of one (per-CPU) value of the map in the kernel: 8 for count/sum/hist/lhist,
/// 16 for min/max/avg/stats, value_size for none.
uint32_t valueSize(const MapSpec &map);
/// Distance between per-CPU values in a lookup buffer: valueSize rounded up to 8.
uint32_t valueStride(const MapSpec &map);

/// The map's text: every entry in bpftrace's order, with the same separators and the
/// same trailing newline(s). An empty map gives what bpftrace gives for it (a newline, or
/// two for avg/stats); callers that skip empty maps check `entries.empty()` first.
/// print(@m, top, div): only the last `top` entries in print order (0: all), each value
/// divided by `div` (integer division).
struct PrintLimits {
  uint64_t top = 0;
  uint64_t div = 1;
};

/// Keys with a kstack, ksym or strftime field print through the context's host text
/// (stack frames indented by 4, as bpftrace prints map keys); strings with its trailer.
std::string formatMap(const MapSpec &map, const std::vector<RawEntry> &entries, unsigned ncpus,
                      const FormatContext &ctx, const PrintLimits &limits = {});

/// The map as one line of bpftrace's `-f json` output (lib/Runtime/MapJson.cpp).
std::string formatMapJson(const MapSpec &map, const std::vector<RawEntry> &entries, unsigned ncpus,
                          const FormatContext &ctx, const PrintLimits &limits = {});

/// "@name" or "@name[k1, k2]" for the key fields at the start of `key`.
std::string formatKey(const MapSpec &map, const uint8_t *key, size_t keySize,
                      const FormatContext &ctx);

/// A log2 histogram's rows (bucket 0: negative, then bt/Object/Layout.h's buckets for
/// hist(v, bits); bits 0: 1 zero, k >= 2: [2^(k-2), 2^(k-1))). Counts are shown divided by
/// countDiv (print()'s div, as bpftrace 0.17), bars drawn from the counts themselves.
std::string formatHist(const std::vector<uint64_t> &buckets, unsigned bits = 0,
                       uint64_t countDiv = 1);
/// A linear histogram's rows (bucket 0: < min, last: >= max).
std::string formatLhist(const std::vector<uint64_t> &buckets, int64_t min, int64_t max, int64_t step);

} // namespace bt::rt

#endif
