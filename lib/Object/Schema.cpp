// One table per manifest enum: the text of every value, in both directions.
#include "bt/Object/Schema.h"

#include <iterator>
#include <utility>

namespace bt::obj {

namespace {

template <typename E> struct Table;
#define BT_TABLE(E, ...)                                                                     \
  template <> struct Table<E> {                                                              \
    static constexpr std::pair<E, const char *> rows[] = {__VA_ARGS__};                      \
  };

BT_TABLE(ProbeType, {ProbeType::Begin, "begin"}, {ProbeType::End, "end"},
         {ProbeType::Self, "self"}, {ProbeType::Test, "test"}, {ProbeType::Bench, "bench"},
         {ProbeType::Tracepoint, "tracepoint"}, {ProbeType::RawTracepoint, "rawtracepoint"},
         {ProbeType::Interval, "interval"}, {ProbeType::Profile, "profile"},
         {ProbeType::Software, "software"}, {ProbeType::Uprobe, "uprobe"},
         {ProbeType::Uretprobe, "uretprobe"}, {ProbeType::Usdt, "usdt"},
         {ProbeType::Kprobe, "kprobe"}, {ProbeType::Kretprobe, "kretprobe"},
         {ProbeType::Fentry, "fentry"}, {ProbeType::Fexit, "fexit"},
         {ProbeType::TpBtf, "tp_btf"}, {ProbeType::Hardware, "hardware"},
         {ProbeType::Watchpoint, "watchpoint"},
         {ProbeType::AsyncWatchpoint, "asyncwatchpoint"}, {ProbeType::Iter, "iter"})
BT_TABLE(Aggregation, {Aggregation::None, "none"}, {Aggregation::Count, "count"},
         {Aggregation::Sum, "sum"}, {Aggregation::Min, "min"}, {Aggregation::Max, "max"},
         {Aggregation::Avg, "avg"}, {Aggregation::Stats, "stats"}, {Aggregation::Hist, "hist"},
         {Aggregation::Lhist, "lhist"}, {Aggregation::Tseries, "tseries"})
// libbpf's names (libbpf_bpf_map_type_str), which btrun compares with the object's.
BT_TABLE(MapType, {MapType::Hash, "hash"}, {MapType::PercpuHash, "percpu_hash"},
         {MapType::PercpuArray, "percpu_array"}, {MapType::StackTrace, "stack_trace"},
         {MapType::Ringbuf, "ringbuf"},
         {MapType::LruHash, "lru_hash"},
         {MapType::LruPercpuHash, "lru_percpu_hash"})
BT_TABLE(EventKind, {EventKind::Printf, "printf"}, {EventKind::PrintValue, "print_value"},
         {EventKind::PrintMap, "print_map"}, {EventKind::Clear, "clear"},
         {EventKind::Zero, "zero"}, {EventKind::Time, "time"}, {EventKind::Exit, "exit"},
         {EventKind::HelperError, "helper_error"}, {EventKind::Join, "join"},
         {EventKind::Cat, "cat"}, {EventKind::System, "system"},
         {EventKind::Errorf, "errorf"}, {EventKind::Warnf, "warnf"},
         {EventKind::SkbOutput, "skb_output"},
         {EventKind::WatchpointAttach, "watchpoint_attach"},
         {EventKind::WatchpointDetach, "watchpoint_detach"})
BT_TABLE(FieldType, {FieldType::Int, "int"}, {FieldType::String, "string"},
         {FieldType::KernelStack, "kstack"}, {FieldType::KernelSymbol, "ksym"},
         {FieldType::Timestamp, "strftime"}, {FieldType::ErrorText, "strerror"},
         {FieldType::InetAddress, "inet"},
         {FieldType::Tuple, "tuple"}, {FieldType::UserStack, "ustack"},
         {FieldType::Record, "record"}, {FieldType::Array, "array"},
         {FieldType::UserSymbol, "usym"}, {FieldType::UserName, "username"},
         {FieldType::Buffer, "buffer"},
         {FieldType::CgroupPath, "cgroup_path"}, {FieldType::SyscallName, "syscall_name"},
         {FieldType::Symbolic, "symbolic"})
BT_TABLE(StackMode, {StackMode::Bpftrace, "bpftrace"}, {StackMode::Perf, "perf"},
         {StackMode::Raw, "raw"}, {StackMode::BuildId, "build_id"})
BT_TABLE(ParamType, {ParamType::Int, "int"}, {ParamType::String, "string"},
         {ParamType::Bool, "bool"})
BT_TABLE(MissingProbes, {MissingProbes::Error, "error"}, {MissingProbes::Warn, "warn"},
         {MissingProbes::Ignore, "ignore"})
BT_TABLE(Feature, {Feature::StackFrameCounts, "stack_frame_counts"},
         {Feature::SymbolicValues, "symbolic_values"},
         {Feature::BpfMatchNames, "bpf_match_names"}, {Feature::ExitCodes, "exit_codes"},
         {Feature::KernelRecords, "kernel_records"},
         {Feature::UnsignedSums, "unsigned_sums"},
         {Feature::WatchMatchNames, "watch_match_names"})
#undef BT_TABLE

template <typename E> const char *name(E v) {
  for (const auto &[value, text] : Table<E>::rows)
    if (value == v)
      return text;
  return "?";
}

} // namespace

const char *toString(ProbeType v) { return name(v); }
const char *toString(Aggregation v) { return name(v); }
const char *toString(MapType v) { return name(v); }
const char *toString(EventKind v) { return name(v); }
const char *toString(FieldType v) { return name(v); }
const char *toString(StackMode v) { return name(v); }
const char *toString(ParamType v) { return name(v); }
const char *toString(MissingProbes v) { return name(v); }
const char *toString(Feature v) { return name(v); }

template <typename E> std::optional<E> fromString(std::string_view text) {
  for (const auto &[value, name] : Table<E>::rows)
    if (text == name)
      return value;
  return std::nullopt;
}

template <typename E> std::string expectedValues() {
  std::string out;
  size_t n = std::size(Table<E>::rows);
  for (size_t i = 0; i < n; ++i)
    out += std::string(i == 0 ? "" : i + 1 == n ? " or " : ", ") + Table<E>::rows[i].second;
  return out;
}

#define BT_INSTANTIATE(E)                                                                    \
  template std::optional<E> fromString<E>(std::string_view);                                 \
  template std::string expectedValues<E>();
BT_INSTANTIATE(ProbeType)
BT_INSTANTIATE(Aggregation)
BT_INSTANTIATE(MapType)
BT_INSTANTIATE(EventKind)
BT_INSTANTIATE(FieldType)
BT_INSTANTIATE(StackMode)
BT_INSTANTIATE(ParamType)
BT_INSTANTIATE(MissingProbes)
BT_INSTANTIATE(Feature)
#undef BT_INSTANTIATE

} // namespace bt::obj
