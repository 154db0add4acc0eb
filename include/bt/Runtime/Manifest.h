// The C++ side of docs/OBJECT.md (manifest schema version 1). Keep them in step.
#ifndef BT_RUNTIME_MANIFEST_H
#define BT_RUNTIME_MANIFEST_H

#include "bt/Runtime/Result.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bt::rt {

inline constexpr int kSchemaVersion = 1;

struct SourceInfo {
  std::string name;
  std::string text;
  std::string sha256;
};

struct ManifestOptions {
  bool syncStart = true;
  bool warnings = true;
  uint64_t strlen = 64;
};

/// A positional parameter the programs read from the globals: btrun's Nth argument after
/// the object, as a signed 64-bit integer or as a NUL-padded string of `size` bytes.
struct PositionalParam {
  int index = 1;
  bool isString = false;
  uint64_t offset = 0;
  uint32_t size = 8;
};

struct Globals {
  std::string mapSection = ".bss";
  uint64_t armedOffset = 0;
  uint64_t lostOffset = 8;
  uint64_t startOffset = 16; // CLOCK_MONOTONIC ns at start, for `elapsed`
  std::optional<uint64_t> paramCountOffset; // $#
  std::optional<uint64_t> childPidOffset;   // cpid
  std::optional<uint64_t> ncpusOffset;      // ncpus: btrun writes the possible CPUs
  std::vector<PositionalParam> params;
};

/// Where one program attaches; which fields are set depends on the probe type.
struct Target {
  std::string category;              // tracepoint
  std::string name;                  // tracepoint, rawtracepoint, usdt
  std::string path;                  // uprobe, uretprobe, usdt
  std::string provider;              // usdt ("": any provider)
  std::string symbol;                // uprobe, uretprobe, kprobe, kretprobe, fentry, fexit
  uint64_t offset = 0;               // uprobe, kprobe
  std::optional<uint64_t> periodNs;    // interval, profile
  std::optional<uint64_t> frequencyHz; // interval, profile
  std::string event;                   // software: perf event name
  uint64_t config = 0;                 // software: PERF_COUNT_SW_*
  uint64_t count = 0;                  // software: events per run of the program
};

struct Attachment {
  std::string program; // BPF function name
  std::string section;
  std::string probe;   // e.g. "tracepoint:syscalls:sys_enter_read"
  Target target;
};

struct Probe {
  uint64_t index = 0;
  std::string text;
  std::string type; // canonical probe type, see OBJECT.md
  int line = 0;
  int col = 0;
  std::vector<Attachment> attachments;
};

enum class FieldType { Int, String, KernelStack, KernelSymbol, Timestamp };

/// An integer, string, kernel stack or kernel symbol laid out in a key, a value or a
/// record. A kernel stack is the 8-byte id that bpf_get_stackid returned for the stack
/// map `stackMap`; a kernel symbol (ksym) is an 8-byte address.
struct Field {
  FieldType type = FieldType::Int;
  uint32_t size = 8;
  bool isSigned = true;
  uint32_t offset = 0;
  std::string stackMap; // KernelStack
  bool perfMode = false; // KernelStack: perf's layout instead of bpftrace's
  std::string timeFormat; // Timestamp: strftime's format, for bpf_ktime_get_ns nanoseconds
};

/// A kernel stack's text as bpftrace prints it (frames one per line, each after `indent`
/// spaces, or perf's layout), from the field and the stack id, or a ksym's symbol name.
/// Supplied by the caller that can read the stack maps and kallsyms (KernelStacks); pure
/// formatting takes it as a parameter.
using FieldText = std::function<std::string(const Field &field, int64_t id, unsigned indent)>;

struct KeyLayout {
  uint32_t size = 0;
  std::vector<Field> fields;
};

enum class Aggregation { None, Count, Sum, Min, Max, Avg, Stats, Hist, Lhist };

struct LhistParams {
  int64_t min = 0;
  int64_t max = 0;
  int64_t step = 1;
};

struct MapInfo {
  std::string name;    // script name, "@c"
  std::string bpfName; // BPF map name, "c"
  std::string bpfType; // "hash", "percpu_hash", ...
  uint64_t maxEntries = 0;
  Aggregation aggregation = Aggregation::None;
  bool keyless = false;
  KeyLayout key;
  uint32_t valueSize = 8;
  std::optional<Field> valueType; // aggregation none only
  uint32_t bucketOffset = 0;      // hist, lhist
  std::optional<LhistParams> lhist;

  bool perCpu() const { return bpfType.rfind("percpu_", 0) == 0; }
};

enum class EventKind { Printf, PrintValue, PrintMap, Clear, Zero, Time, Exit, HelperError };

struct Event {
  uint64_t id = 0;
  EventKind kind = EventKind::Exit;
  std::string format; // printf, time
  uint32_t size = 0;  // record size in bytes
  int line = 0;
  int col = 0;
  std::vector<Field> args; // printf, print_value
  std::string map;         // print_map, clear, zero: script name (or BPF name)
  uint64_t top = 0;        // print_map: only the last `top` entries (0: all)
  uint64_t div = 1;        // print_map: values divided by it
  std::string helper;      // helper_error: the helper's name
};

struct Requirements {
  std::vector<std::string> probeTypes;
  std::vector<std::string> tracepoints; // "category/name"
  std::vector<std::string> binaries;
  bool btf = false;
  std::vector<int> helpers;
};

struct Manifest {
  int schemaVersion = kSchemaVersion;
  std::string producer;
  SourceInfo source;
  ManifestOptions options;
  Globals globals;
  std::string ringbuf;
  std::vector<Probe> probes;
  std::vector<std::string> attachOrder;
  std::vector<MapInfo> maps;
  std::vector<Event> events;
  Requirements requirements;
  std::string integrityAlgorithm = "sha256";
  std::map<std::string, std::string> integritySections;
  std::string fileSha256;     // of the whole file with this and the signature zeroed
  std::string signatureHex;   // Ed25519 over the file digest; empty when unsigned

  /// The probe and attachment that own BPF program `program`, or nullptrs.
  std::pair<const Probe *, const Attachment *> findProgram(const std::string &program) const;
  /// A map by script name ("@c") or BPF name ("c").
  const MapInfo *findMap(const std::string &name) const;
  /// Whether every record the programs can send is an exit (or there is none): such
  /// records carry nothing, one is enough, and losing the others costs nothing.
  bool sendsOnlyExit() const;
  /// Whether a map key or a record holds a kstack.
  bool usesKernelSymbols() const;
  /// Number of attach points of all probes: the N of "Attaching N probes...".
  size_t attachPointCount() const;
};

/// Parses and checks manifest JSON: syntax, schema version, required keys and kinds.
Result<Manifest> parseManifest(std::string_view json);

/// Text name of an aggregation, as in the manifest ("count", "lhist", ...).
const char *aggregationName(Aggregation a);

} // namespace bt::rt

#endif
