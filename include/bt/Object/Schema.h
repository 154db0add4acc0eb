// The manifest's enumerations (docs/OBJECT.md), each spelled once: one table per
// enum gives the manifest's text for every value, read and written alike.
#ifndef BT_OBJECT_SCHEMA_H
#define BT_OBJECT_SCHEMA_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bt::obj {

// Schema versions: 1, the base; 2 adds `features`, the layouts of values an object uses
// that a reader of version 1 would misread. btc writes version 1 for an object that uses
// none of them, so that a btrun of version 1 still runs it, and version 2 otherwise, which
// that btrun refuses; a btrun reads both and refuses a feature it does not know.
inline constexpr int kFirstSchemaVersion = 1;
inline constexpr int kSchemaVersion = 2;

/// A layout of values that readers of schema version 1 would misread (`features`).
enum class Feature {
  // kstack and ustack values carry their frame count in bits 56-63 (StackValue.h).
  StackFrameCounts,
  // Map keys and values and print() values may be `symbolic` fields (a script's enum).
  SymbolicValues,
  // fentry:bpf programs read `probe` and `func` from a table btrun fills (bpf_match_names).
  BpfMatchNames,
  // exit() events may carry the exit code in the record (one integer argument).
  ExitCodes,
  // A map value may be a record whose members btrun reads from the running kernel's BTF
  // (Field::kernelType): a reader without it would print no members.
  KernelRecords,
  // A sum() map's value may be unsigned (its value_type): a reader without it would print
  // a sum of unsigned values past INT64_MAX as negative.
  UnsignedSums,
  // A watchpoint on a pattern's functions may arm each match apart (target.match_probe):
  // its watchpoint_attach records carry the match's cookie, and `probe` reads the
  // match's row of watch_match_names. A reader without it would arm them all as one.
  WatchMatchNames,
};

/// The canonical probe types a manifest names.
enum class ProbeType {
  Begin, End, Tracepoint, RawTracepoint, Interval, Profile, Software, Uprobe, Uretprobe,
  Usdt, Kprobe, Kretprobe, Fentry, Fexit, TpBtf, Hardware, Watchpoint, AsyncWatchpoint, Iter,
  Self, Test, Bench,
};
/// BEGIN, END, self, test and bench: never attached, btrun runs their programs
/// (BPF_PROG_TEST_RUN).
inline bool runsInBtrun(ProbeType t) {
  return t == ProbeType::Begin || t == ProbeType::End || t == ProbeType::Self ||
         t == ProbeType::Test || t == ProbeType::Bench;
}
/// test and bench: run only under btrun --test / --bench; every other run leaves them
/// out (they are not even loaded).
inline bool runsOnlyInTestMode(ProbeType t) { return t == ProbeType::Test || t == ProbeType::Bench; }

enum class Aggregation { None, Count, Sum, Min, Max, Avg, Stats, Hist, Lhist, Tseries };

/// BPF map types the objects use; the values are the kernel's (BPF_MAP_TYPE_*).
enum class MapType : uint32_t {
  Hash = 1, PercpuHash = 5, PercpuArray = 6, StackTrace = 7, LruHash = 9, LruPercpuHash = 10,
  PerfEventArray = 4, Ringbuf = 27,
};

enum class EventKind {
  Printf, PrintValue, PrintMap, Clear, Zero, Time, Exit, HelperError, Join, Cat, System,
  Errorf, Warnf, SkbOutput, WatchpointAttach, WatchpointDetach,
};

enum class FieldType {
  Int, String, KernelStack, KernelSymbol, Timestamp, ErrorText, InetAddress, Tuple,
  UserStack, UserSymbol, UserName, Record, Array, Buffer,
  CgroupPath, SyscallName, Symbolic
};

/// A value printed as a text only the run host knows (a stack's frames, strerror's
/// message, a user's name, ...): neither a number nor bytes of the record.
inline bool isHostText(FieldType t) {
  return t != FieldType::Int && t != FieldType::String && t != FieldType::Tuple &&
         t != FieldType::Record && t != FieldType::Array && t != FieldType::Symbolic;
}

/// How a kstack or ustack prints: bpftrace's frames, perf's `\tADDRESS name+offset`
/// lines, raw addresses, or (ustack only) a build id and file offset per frame.
enum class StackMode { Bpftrace, Perf, Raw, BuildId };

/// A positional or named parameter as the programs read it (bool: named ones only).
enum class ParamType { Int, String, Bool };

/// What to do with an attach point the host lacks (`config = { missing_probes = ... }`):
/// refuse to run, leave it out with a warning, or leave it out silently.
enum class MissingProbes { Error, Warn, Ignore };

/// The manifest's text of a value ("tracepoint", "percpu_hash", "helper_error", ...).
const char *toString(ProbeType v);
const char *toString(Aggregation v);
const char *toString(MapType v);
const char *toString(EventKind v);
const char *toString(FieldType v);
const char *toString(StackMode v);
const char *toString(ParamType v);
const char *toString(MissingProbes v);
const char *toString(Feature v);

/// The value a manifest's text names, or nullopt.
template <typename E> std::optional<E> fromString(std::string_view text);

/// Every text of an enum, for messages: "int, string, kstack, ksym or strftime".
template <typename E> std::string expectedValues();

} // namespace bt::obj

#endif
