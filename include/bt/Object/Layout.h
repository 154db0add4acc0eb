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

/// hist(v, k) buckets (upstream's k, 0..5: 2^k buckets per power of two): 0 holds v < 0,
/// bucket i >= 1 holds [histBucketMin(i, k), histBucketMin(i + 1, k)). Below 2^(k+1) a
/// bucket holds one value, i - 1; k = 0 is bpftrace 0.17's log2 histogram.
uint32_t histBuckets(unsigned bits);
uint64_t histBucketMin(uint64_t bucket, unsigned bits);

/// A tseries value, per CPU: a header {u64 latest epoch, u64 updates} (updates is
/// non-zero once the CPU wrote it), then one bucket per interval, bucket epoch %
/// intervals: {s64 value, u64 epoch, u64 aux}. An epoch is CLOCK_TAI nanoseconds /
/// interval. aux counts the values combined (avg: value is their total), or, for
/// the default aggregation that keeps the last value, is when it was written (TAI ns).
constexpr uint32_t kTseriesHeaderSize = 16;
constexpr uint32_t kTseriesBucketSize = 24;
uint32_t tseriesValueSize(uint64_t intervals);

/// fentry:bpf's `probe` and `func` (BpfMatchNames): the texts' capacities, NUL included.
/// A function name of up to 95 bytes fits, and "fexit:bpf:4294967295:" before it.
constexpr uint32_t kBpfMatchFuncSize = 96;
constexpr uint32_t kBpfMatchProbeSize = 128;
constexpr const char *kBpfMatchNamesMap = "bt_bpf_matches";

/// `probe` of a watchpoint on a pattern's functions armed per match (WatchMatchNames):
/// a row's capacity, NUL included: "asyncwatchpoint:", a 256-byte binary path, ':', a
/// 128-byte function name and ":8:rwx" fit; btrun cuts a longer text.
constexpr uint32_t kWatchMatchProbeSize = 416;
constexpr const char *kWatchMatchNamesMap = "bt_watch_matches";

/// An `inet` value (ntop): the address family (AF_INET 2, AF_INET6 10) as a u64, then
/// the address's bytes as the program held them (network order), zero-padded to 16.
constexpr uint32_t kInetBytesOffset = 8;
constexpr uint32_t kInetAddressSize = kInetBytesOffset + 16;

/// A `buffer` value (buf): the length in bytes as a u64, then the bytes (at most the
/// field's size less 8; the program never sends a longer length).
constexpr uint32_t kBufferDataOffset = 8;

/// The map of libbpf's USDT argument specs (its usdt.bpf.h), in an object whose usdt
/// probes read arguments: btrun attaches them with bpf_program__attach_usdt, which fills it.
constexpr const char *kUsdtSpecMapName = "__bpf_usdt_specs";

} // namespace bt::obj

#endif
