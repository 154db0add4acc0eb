// The manifest btc writes and btrun reads (docs/OBJECT.md, schema version 1), as
// C++ structs. lib/Lower fills them, lib/Object turns them into JSON and back
// (Json.h), lib/Runtime reads them. Keep this file and docs/OBJECT.md in step
// (test/lit/object checks every key the structs write is in OBJECT.md).
#ifndef BT_OBJECT_MANIFEST_H
#define BT_OBJECT_MANIFEST_H

#include "bt/Format/Printf.h"
#include "bt/Object/RunSettings.h"
#include "bt/Object/Schema.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace bt::obj {

struct SourceInfo {
  std::string name;
  std::string text;
  std::string sha256;
  // The scripts it imports (their names): a location's `file` N >= 1 is imports[N - 1].
  std::vector<std::string> imports;
  auto tie() const { return std::tie(name, text, sha256, imports); }
};

struct ManifestOptions {
  bool syncStart = true;
  bool warnings = true;
  bool helperErrors = false; // btc -k: failing helper calls send helper_error events
  uint64_t strlen = 64;
  // The unsafe functions the programs call (signal): btrun runs the object only with
  // --unsafe, as bpftrace does.
  std::vector<std::string> unsafeFunctions;
  // config = { missing_probes = ... }: what btrun does with an attach point the host lacks.
  MissingProbes missingProbes = MissingProbes::Error;
  RunSettings run; // each key written only when it is not the default
  auto tie() const {
    return std::tie(syncStart, warnings, helperErrors, strlen, unsafeFunctions, missingProbes,
                    run);
  }
};

/// A positional parameter the programs read from the globals: btrun's Nth argument after
/// the object, as a signed 64-bit integer or as a NUL-padded string of `size` bytes.
struct PositionalParam {
  int index = 1;
  ParamType type = ParamType::Int;
  uint64_t offset = 0;
  uint32_t size = 8;
  bool isString() const { return type == ParamType::String; }
  auto tie() const { return std::tie(index, type, offset, size); }
};

/// A positional parameter's text as the integer `$N` reads: decimal, 0x hex or 0 octal,
/// negative after a '-'; unsigned text keeps its 64 bits (a kernel address), as bpftrace.
/// nullopt when the text is no such number. btc (arguments bound at compile time) and
/// btrun (at run time) read them alike.
std::optional<int64_t> positionalInteger(const std::string &text);

/// A named parameter the programs read (getopt): btrun's `--name=value` after `--`
/// (`--name` alone: a bool's true), else `defaultValue`; an int or bool in 8 bytes, a
/// string NUL-padded in `size`.
struct NamedParam {
  std::string name;
  ParamType type = ParamType::Int;
  uint64_t offset = 0;
  uint32_t size = 8;
  std::string defaultValue;
  std::string description; // getopt()'s third argument, which `btrun OBJ --help` prints
  auto tie() const { return std::tie(name, type, offset, size, defaultValue, description); }
};

/// The runtime globals in `mapSection` (.bss): what btrun reads and writes there.
/// cgroupid(path): btrun writes the id of the run host's cgroup at `path`.
struct CgroupIdSlot {
  std::string path;
  uint64_t offset = 0;
  auto tie() const { return std::tie(path, offset); }
};

/// kfunc_allowed(name): btrun writes 1 when the run host's kernel lets a program of the
/// type libbpf gives `section` call the kfunc, else 0.
struct KfuncAllowedSlot {
  std::string kfunc;
  std::string section;
  uint64_t offset = 0;
  auto tie() const { return std::tie(kfunc, section, offset); }
};

/// A `probe` text that names the traced process's binary, which only btrun knows (bpftrace
/// 0.17's `watchpoint:./prog:increment:4:w` for a watchpoint on a function's argument):
/// btrun writes `before`, the binary (the -c command's program as it runs it, or
/// /proc/PID/exe for -p), then `after`, cut to size - 1 bytes and NUL-padded to `size`.
/// With `attachment` (a uprobe that names no binary, `uprobe::fn`: its attach point's
/// `probe`), the binary is the file btrun attached that uprobe to, under -p read through
/// /proc/PID/root as 0.17 names it (`uprobe:/proc/PID/root/usr/bin/app:fn`).
struct TracedBinaryNameSlot {
  std::string before, after;
  uint64_t offset = 0;
  uint32_t size = 0;
  std::string attachment;
  auto tie() const { return std::tie(before, after, offset, size, attachment); }
};

struct Globals {
  std::string mapSection = ".bss";
  uint64_t armedOffset = 0;
  uint64_t lostOffset = 8;
  uint64_t startOffset = 16; // CLOCK_MONOTONIC ns at start, for `elapsed`
  std::optional<uint64_t> paramCountOffset; // $#
  std::optional<uint64_t> childPidOffset;   // cpid
  bool childPidOptional = false;            // has_cpid: runs without -c (cpid 0)
  std::optional<uint64_t> ncpusOffset;      // ncpus: btrun writes the possible CPUs
  // pid(curr_ns): btrun writes its pid namespace's st_dev here and st_ino 8 bytes after.
  std::optional<uint64_t> pidNamespaceOffset;
  // nsecs(sw_tai): btrun writes CLOCK_TAI - CLOCK_BOOTTIME (ns) here, as bpftrace measures it.
  std::optional<uint64_t> taiDeltaOffset;
  std::vector<PositionalParam> params;
  // The arguments btc was given after the script ($1, $2, ...), which it compiled in as
  // constants: btrun takes none or exactly these. nullopt: bound at run time (params).
  std::optional<std::vector<std::string>> fixedParams;
  std::vector<NamedParam> namedParams;
  std::vector<CgroupIdSlot> cgroupIds;
  std::vector<KfuncAllowedSlot> kfuncAllowed;
  std::vector<TracedBinaryNameSlot> tracedBinaryNames;
  auto tie() const {
    return std::tie(mapSection, armedOffset, lostOffset, startOffset, paramCountOffset,
                    childPidOffset, ncpusOffset, pidNamespaceOffset, taiDeltaOffset, params, fixedParams,
                    namedParams,
                    cgroupIds, kfuncAllowed, tracedBinaryNames);
  }
};

/// Where one program attaches; which fields are set depends on the probe type.
struct AttachTarget {
  std::string category;                // tracepoint
  std::string name;                    // tracepoint, rawtracepoint, usdt
  std::string path;                    // uprobe, uretprobe, usdt
  std::string provider;                // usdt ("": any provider)
  // uprobe, uretprobe, kprobe, kretprobe, fentry, fexit; watchpoint on a function's
  // argument: the function of the traced process (-p, -c) whose argument holds the address
  std::string symbol;
  uint64_t offset = 0;                 // uprobe, kprobe
  std::optional<uint64_t> address;     // kprobe: a kernel address instead of a symbol
  std::string module;                  // kprobe, kretprobe, fentry, fexit: the module of `symbol` ("": any)
  std::optional<uint64_t> periodNs;    // interval, profile
  std::optional<uint64_t> frequencyHz; // interval, profile
  std::string event;                   // software, hardware: perf event name
  uint64_t config = 0;                 // software, hardware: PERF_COUNT_SW_*, PERF_COUNT_HW_*
  uint64_t count = 0;                  // software, hardware: events per run of the program
  uint64_t length = 0;                 // watchpoint: bytes watched at `address`
  std::string mode;                    // watchpoint: "r", "w", "x" or a combination
  // watchpoint on a function's argument (bpftrace's `watchpoint:fn+arg1:8:w`): which
  // argument of `symbol` holds the address, and the uprobe program on `symbol` that sends
  // it (a watchpoint_attach record) for btrun to open the breakpoint there. `path` is the
  // traced process's file that has `symbol`, found by btrun (never in the manifest).
  std::optional<uint64_t> argument;
  std::string armProgram;
  // watchpoint on a pattern's functions whose probe reads `probe`: each match is armed
  // apart, as bpftrace 0.17 compiles each apart then, and its `probe` is its row of
  // watch_match_names: `first`, the traced binary, ':', the function, `second`
  // (`watchpoint:./prog:incr_one:4:w`). Unset: the matches share one watchpoint.
  std::optional<std::pair<std::string, std::string>> matchProbe;
  // The row of watch_match_names of one match of such a pattern, which btrun numbers
  // as it expands the pattern (never in the manifest): the cookie of its two links.
  std::optional<uint64_t> matchRow;
  std::string pin; // iter: the bpffs file to pin the iterator at, as written ("": none)
  // uprobe: the GNU build id of `path` whose DWARF typed the program's `args` ("": none
  // read); btrun refuses a file with another id.
  std::string buildId;
  // fentry, fexit: `symbol` is a function of a BPF program running on the run host (of
  // program `bpfProgramId` when set), found there at load, not a kernel function.
  bool onBpfProgram = false;
  std::optional<uint64_t> bpfProgramId;
  auto tie() const {
    return std::tie(category, name, path, provider, symbol, offset, address, module, periodNs,
                    frequencyHz, event, config, count, length, mode, argument, armProgram,
                    matchProbe, matchRow, pin, buildId, onBpfProgram, bpfProgramId);
  }
};

/// A tracepoint field a program reads, where the target's format put it: btrun
/// refuses the object when the host's format puts it elsewhere.
struct TracepointFieldRead {
  std::string name;
  uint32_t offset = 0;
  uint32_t size = 0;
  bool isSigned = false;
  int line = 0; // where the script reads it (the first place)
  int col = 0;
  int file = 0; // 0: the script; N: source.imports[N - 1]
  auto tie() const { return std::tie(name, offset, size, isSigned, line, col, file); }
};

/// One BPF program of a probe and where it attaches.
struct AttachmentSpec {
  std::string program; // BPF function name
  std::string section;
  std::string probe;   // e.g. "tracepoint:syscalls:sys_enter_read"
  AttachTarget target;
  // A syscall tracepoint served by a dispatcher: btrun stores the program in the
  // program array `map` at `key` (the syscall's number) instead of attaching it.
  struct Dispatch {
    std::string map;
    uint64_t key = 0;
    auto tie() const { return std::tie(map, key); }
    bool operator==(const Dispatch &o) const { return tie() == o.tie(); }
  };
  std::optional<Dispatch> dispatch;
  std::vector<TracepointFieldRead> fields; // tracepoint: the fields it reads
  // Set when one program serves every attachment of its probe: the attach cookie, which
  // the program reads to tell attachments apart (requirements.multi_links).
  std::optional<uint64_t> cookie;
  auto tie() const { return std::tie(program, section, probe, target, dispatch, fields, cookie); }
};

/// One probe of the script: its attach points after wildcard expansion.
struct ProbeSpec {
  uint64_t index = 0;
  std::string text;
  ProbeType type = ProbeType::Begin;
  int line = 0;
  int col = 0;
  int file = 0; // 0: the script; N: source.imports[N - 1]
  std::vector<AttachmentSpec> attachments;
  auto tie() const { return std::tie(index, text, type, line, col, file, attachments); }
};

/// A name of an integer (Field::symbols): an enumerator, or a flag's bits.
struct Symbol {
  uint64_t value = 0;
  std::string name;
  auto tie() const { return std::tie(value, name); }
  bool operator==(const Symbol &o) const { return tie() == o.tie(); }
};

/// An integer, string, kernel stack, kernel symbol or timestamp laid out in a key, a
/// value or a record. A kernel stack is the 8-byte id that bpf_get_stackid returned for
/// the stack map `stackMap`; a kernel symbol (ksym) is an 8-byte address; a timestamp
/// (strftime) is bpf_ktime_get_ns nanoseconds. A tuple is `size` bytes holding its
/// `elements`, each at its offset from the tuple's start. A record (a struct or union
/// value) is `size` bytes holding its named `elements` (ints of 1, 2, 4 or 8 bytes,
/// strings, arrays, records) at their offsets; an array is `count` of `elements[0]`, the
/// i-th at i times its size.
struct Field {
  FieldType type = FieldType::Int;
  uint32_t size = 8;
  bool isSigned = true;
  uint32_t offset = 0;
  std::string stackMap;                       // KernelStack, UserStack
  StackMode stackMode = StackMode::Bpftrace;  // KernelStack, UserStack
  std::string timeFormat;                     // Timestamp: strftime's format
  std::string hierarchyFilter;                // CgroupPath: the hierarchies named (a wildcard)
  std::vector<Field> elements;                // Tuple, Record; Array: its one element
  std::string name;                           // an element of a Record: the member's name
  uint32_t count = 0;                         // Array
  uint32_t bits = 0;      // Int, a record's bitfield member: its width (0: no bitfield)
  uint32_t bitOffset = 0; // Int, a bitfield: its first bit in the `size` bytes at offset
  // Record: the script's own record (`(a=1, b=2)`, upstream bpftrace's), not a struct or
  // union: printed spaced as a map key too, as upstream prints it.
  bool namedTuple = false;
  // Record: a kernel struct or union held as the running kernel's bytes ("struct
  // task_struct", a map value over 512 bytes): no elements listed; btrun lists them from
  // the running kernel's BTF before it loads anything.
  std::string kernelType;
  bool isPointer = false; // Int, a map key: an address, printed in hex as bpftrace prints it
  // Symbolic (printf's %s of an enum, %gr): an integer of `size` bytes printed as the
  // name of the symbol whose value it is (its number when none is), or with `flags` as
  // the names of the symbols whose bits it holds, in order, joined by '|'.
  std::vector<Symbol> symbols;
  bool flags = false;

  // Each kind with the values the manifest implies for it (a read field equals these).
  static Field integer(bool isSigned, uint32_t offset = 0);
  static Field string(uint32_t size, uint32_t offset = 0);
  static Field kernelStack(std::string stackMap, StackMode mode, uint32_t offset = 0);
  static Field kernelSymbol(uint32_t offset = 0);
  // ustack: the 32-bit stack id (bpf_get_stackid with BPF_F_USER_STACK) in the low half,
  // the process's tgid in the high half, so btrun knows whose addresses they are.
  static Field userStack(std::string stackMap, StackMode mode, uint32_t offset = 0);
  // usym: 16 bytes, the address then the process's tgid.
  static Field userSymbol(uint32_t offset = 0);
  static Field timestamp(std::string format, uint32_t offset = 0);
  // strerror (an errno), username (a uid) or syscall_name (a system call's number).
  static Field hostValue(FieldType type, uint32_t offset = 0);
  // cgroup_path: a cgroup id, named in the hierarchies that `filter` matches.
  static Field cgroupPath(std::string filter, uint32_t offset = 0);
  // inet (ntop): 24 bytes, the family then the address (bt/Object/Layout.h).
  static Field inetAddress(uint32_t offset = 0);
  // buf: SIZE bytes, a u64 length then the bytes (bt/Object/Layout.h).
  static Field buffer(uint32_t size, uint32_t offset = 0);
  static Field tuple(uint32_t size, std::vector<Field> elements, uint32_t offset = 0);
  static Field record(uint32_t size, std::vector<Field> elements, uint32_t offset = 0);
  static Field array(uint32_t count, Field element, uint32_t offset = 0);
  // A bitfield member of a record: `bits` wide from bit `bitOffset` (0-7) of the `size`
  // (1-8) little-endian bytes at offset that hold it.
  static Field bitfield(bool isSigned, uint32_t size, uint32_t bitOffset, uint32_t bits,
                        uint32_t offset = 0);
  static Field symbolic(uint32_t size, std::vector<Symbol> symbols, bool flags,
                        uint32_t offset = 0);

  auto tie() const {
    return std::tie(type, size, isSigned, offset, stackMap, stackMode, timeFormat,
                    hierarchyFilter, elements, name, count, bits, bitOffset, namedTuple,
                    kernelType, isPointer, symbols, flags);
  }
};

struct KeyLayout {
  uint32_t size = 0;
  std::vector<Field> fields;
  auto tie() const { return std::tie(size, fields); }
};

struct LhistParams {
  int64_t min = 0;
  int64_t max = 0;
  int64_t step = 1;
  auto tie() const { return std::tie(min, max, step); }
};

struct TseriesParams {
  uint64_t intervalNs = 1;
  uint64_t intervals = 1;
  std::string aggregation; // "avg", "max", "min", "sum", or "" (the last value)
  auto tie() const { return std::tie(intervalNs, intervals, aggregation); }
};

/// One script map and the BPF map that holds it (docs/OBJECT.md, "Map layouts").
struct MapSpec {
  std::string name;    // script name, "@c"
  std::string bpfName; // BPF map name, "c"
  MapType bpfType = MapType::Hash;
  uint64_t maxEntries = 0;
  Aggregation aggregation = Aggregation::None;
  bool keyless = false;
  KeyLayout key;
  uint32_t valueSize = 8;
  std::optional<Field> valueType; // aggregation none only
  uint32_t bucketOffset = 0;      // hist, lhist
  uint32_t histBits = 0;          // hist(v, k)'s k (Layout.h)
  std::optional<LhistParams> lhist;
  std::optional<TseriesParams> tseries;
  // A u64 in the globals map counting updates that failed (the map was full).
  std::optional<uint64_t> dropsOffset;

  bool perCpu() const {
    return bpfType == MapType::PercpuHash || bpfType == MapType::PercpuArray ||
           bpfType == MapType::LruPercpuHash;
  }
  bool hasBuckets() const {
    return aggregation == Aggregation::Hist || aggregation == Aggregation::Lhist;
  }
  auto tie() const {
    return std::tie(name, bpfName, bpfType, maxEntries, aggregation, keyless, key, valueSize,
                    valueType, bucketOffset, histBits, lhist, tseries, dropsOffset);
  }
};

/// One kind of ring-buffer record the programs send, at its index in `events`.
struct EventSpec {
  uint64_t id = 0;
  EventKind kind = EventKind::Exit;
  std::string format; // printf, time
  uint32_t size = 8;  // record size in bytes
  int line = 0;
  int col = 0;
  int file = 0;   // 0: the script; N: source.imports[N - 1]
  // errorf, warnf, helper_error: the column after the call (0: not recorded), as bpftrace
  // prints a range; helper_error: the line the range ends on, where it is after `line`.
  int endCol = 0;
  int endLine = 0;
  std::vector<Field> args; // printf, print_value, helper_error, join (its strings)
  std::string map;         // print_map, clear, zero: script name (or BPF name)
  uint64_t top = 0;        // print_map: only the last `top` entries (0: all)
  uint64_t div = 1;        // print_map: values divided by it
  std::string helper;      // helper_error: the helper's name
  // helper_error in an imported file, on one line: that line's text, which btrun prints
  // under the warning as it prints the script's (the manifest holds only the script's text).
  std::string lineText;
  std::string separator;   // join: printed between the strings
  int exitCode = 0;        // exit: the code btrun exits with (assert's 1)
  std::string pcapPath;    // skb_output: the pcap file the packets go to
  uint64_t pcapOffset = 0; // skb_output: leading bytes of each packet left out
  // watchpoint_attach: the program (AttachmentSpec::program) of the watchpoint to open at
  // the record's address; the record's one argument is that address (unwatch's too).
  std::string program;
  // printf: `format` parsed by the reader that checked it against `args` (btrun, at load);
  // derived from `format`, so never written and not part of equality.
  format::PrintfFormat parsedFormat;

  // printf, cat's path, system's command, errorf's and warnf's message: a printf
  // format and its arguments.
  bool hasPrintfFormat() const {
    return kind == EventKind::Printf || kind == EventKind::Cat || kind == EventKind::System ||
           kind == EventKind::Errorf || kind == EventKind::Warnf;
  }
  bool namesMap() const {
    return kind == EventKind::PrintMap || kind == EventKind::Clear || kind == EventKind::Zero;
  }
  auto tie() const {
    return std::tie(id, kind, format, size, line, col, file, endCol, endLine, args, map, top, div,
                    helper, lineText, separator, exitCode, pcapPath, pcapOffset, program);
  }
};

/// What btc checked before it wrote the object (informational: btrun does not act on it).
struct Checks {
  std::string lifetimeStatus = "passed";
  uint64_t lifetimeCheckerVersion = 0;
  uint64_t lifetimeFunctions = 0;
  std::string irSha256;
  auto tie() const { return std::tie(lifetimeStatus, lifetimeCheckerVersion, lifetimeFunctions, irSha256); }
};

struct Requirements {
  std::vector<ProbeType> probeTypes;
  std::vector<std::string> tracepoints; // "category/name"
  std::vector<std::string> binaries;
  bool btf = false;
  std::vector<int> helpers;
  // Multi-attach links the shared programs want ("uprobe_multi", "kprobe_multi"); where
  // the host lacks one, btrun attaches one perf-event link per attachment with its cookie.
  std::vector<std::string> multiLinks;
  auto tie() const { return std::tie(probeTypes, tracepoints, binaries, btf, helpers, multiLinks); }
};

/// One machine btc compiled the object for (btc --target FILE, several allowed; or the
/// host): what the object was checked against. Informative: btrun checks the host.
struct TargetRecord {
  std::string kind;          // "host" or "description"
  std::string file;          // the description file as given ("" for the host)
  std::string arch;          // uname -m
  std::string kernelRelease; // uname -r, "" when unknown
  auto tie() const { return std::tie(kind, file, arch, kernelRelease); }
};

/// integrity: SHA-256 digests (see Integrity.h for what is hashed, under which key).
struct Integrity {
  std::map<std::string, std::string> sections; // digest key -> lowercase hex
  std::string fileSha256;   // of the whole file with this and the signature zeroed
  std::string signatureHex; // Ed25519 over the file digest; empty when unsigned
  auto tie() const { return std::tie(sections, fileSha256, signatureHex); }
};

/// A program that serves many attach points from one raw tracepoint: the
/// raw_syscalls:sys_enter (sys_exit) program that tail-calls, by syscall number, the
/// programs of syscalls:sys_enter_* (sys_exit_*) attachments. btrun attaches it
/// after filling its program arrays.
struct Dispatcher {
  std::string program;
  std::string section;
  std::string rawTracepoint; // "sys_enter", "sys_exit"
  auto tie() const { return std::tie(program, section, rawTracepoint); }
};

/// fentry:bpf and fexit:bpf programs that read `probe` or `func`: the run host's matches
/// are known only there, so each program reads its match's texts from row
/// bpf_get_attach_cookie() of this array map, which btrun sizes and fills (a row: the
/// probe's text, NUL-padded to `probeSize`, then the function's, to `funcSize`).
struct BpfMatchNames {
  std::string map;
  uint32_t probeSize = 0;
  uint32_t funcSize = 0;
  auto tie() const { return std::tie(map, probeSize, funcSize); }
};

/// The texts of `probe` of the watchpoint matches armed apart (AttachTarget::matchProbe):
/// an array map of u32 keys (a match's row, the cookie of its links) that btrun sizes to
/// the matches and fills before anything is attached, each row `size` bytes.
struct WatchMatchNames {
  std::string map;
  uint32_t size = 0;
  auto tie() const { return std::tie(map, size); }
};

struct Manifest {
  int schemaVersion = kFirstSchemaVersion;
  // The layouts older readers would misread that the object uses (schema version 2),
  // each once, in the order Feature lists them.
  std::vector<Feature> features;
  std::string producer;
  SourceInfo source;
  ManifestOptions options;
  Globals globals;
  std::string ringbuf;
  // The perf event array that skb_output records arrive on ("" without skboutput()).
  std::string skbOutput;
  std::optional<BpfMatchNames> bpfMatchNames;
  std::optional<WatchMatchNames> watchMatchNames;
  std::vector<ProbeSpec> probes;
  std::vector<std::string> attachOrder;
  std::vector<Dispatcher> dispatchers;
  std::vector<MapSpec> maps;
  std::vector<EventSpec> events;
  std::optional<Checks> checks;
  Requirements requirements;
  std::vector<TargetRecord> targets;
  Integrity integrity;
  // syscall_name(): the target arch's system calls, indexed by number ("" for none).
  std::vector<std::string> syscallNames;

  /// The probe and attachment that own BPF program `program` (its program, or the
  /// uprobe that arms its watchpoint), or nullptrs.
  std::pair<const ProbeSpec *, const AttachmentSpec *> findProgram(const std::string &program) const;
  /// The name of the script a location's `file` is in: the script's for 0, an imported
  /// one's for N, "script" when the name is unknown, "stdin" for a -e program.
  std::string sourceName(int file) const;
  /// A map by script name ("@c") or BPF name ("c").
  const MapSpec *findMap(const std::string &name) const;
  /// Whether every record the programs can send is an exit (or there is none): such
  /// records carry nothing, one is enough, and losing the others costs nothing.
  bool sendsOnlyExit() const;
  /// Whether a map key or a record holds a kstack or a ksym.
  bool usesKernelSymbols() const;
  /// Whether any key, value or event field is a ustack or usym (btrun reads processes' maps).
  bool usesUserSymbols() const;
  /// Number of attach points of all probes: the N of "Attaching N probes...".
  size_t attachPointCount() const;
  /// The maps' drops_offset values: counters in the globals map.
  std::vector<uint64_t> dropCounterOffsets() const;

  /// Marks the object as using `f`: schema version 2, which version-1 readers refuse.
  void require(Feature f);

  auto tie() const {
    return std::tie(schemaVersion, features, producer, source, options, globals, ringbuf, skbOutput, bpfMatchNames,
                    watchMatchNames, probes,
                    attachOrder, dispatchers, maps, events, checks, requirements, targets,
                    integrity, syscallNames);
  }
};

// Field-by-field equality, for the round-trip test and for callers that compare.
#define BT_OBJECT_EQUALITY(T)                                                                \
  inline bool operator==(const T &a, const T &b) { return a.tie() == b.tie(); }              \
  inline bool operator!=(const T &a, const T &b) { return !(a == b); }
BT_OBJECT_EQUALITY(SourceInfo)
BT_OBJECT_EQUALITY(RunSettings)
BT_OBJECT_EQUALITY(ManifestOptions)
BT_OBJECT_EQUALITY(PositionalParam)
BT_OBJECT_EQUALITY(NamedParam)
BT_OBJECT_EQUALITY(CgroupIdSlot)
BT_OBJECT_EQUALITY(KfuncAllowedSlot)
BT_OBJECT_EQUALITY(TracedBinaryNameSlot)
BT_OBJECT_EQUALITY(Globals)
BT_OBJECT_EQUALITY(AttachTarget)
BT_OBJECT_EQUALITY(TracepointFieldRead)
BT_OBJECT_EQUALITY(AttachmentSpec)
BT_OBJECT_EQUALITY(ProbeSpec)
BT_OBJECT_EQUALITY(Field)
BT_OBJECT_EQUALITY(KeyLayout)
BT_OBJECT_EQUALITY(LhistParams)
BT_OBJECT_EQUALITY(TseriesParams)
BT_OBJECT_EQUALITY(MapSpec)
BT_OBJECT_EQUALITY(EventSpec)
BT_OBJECT_EQUALITY(Checks)
BT_OBJECT_EQUALITY(Dispatcher)
BT_OBJECT_EQUALITY(Requirements)
BT_OBJECT_EQUALITY(TargetRecord)
BT_OBJECT_EQUALITY(Integrity)
BT_OBJECT_EQUALITY(BpfMatchNames)
BT_OBJECT_EQUALITY(WatchMatchNames)
BT_OBJECT_EQUALITY(Manifest)
#undef BT_OBJECT_EQUALITY

} // namespace bt::obj

#endif
