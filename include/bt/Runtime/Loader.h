// Loading an object into the kernel with libbpf, and access to its runtime globals.
#ifndef BT_RUNTIME_LOADER_H
#define BT_RUNTIME_LOADER_H

#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/ObjectReader.h"
#include "bt/Runtime/Result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct bpf_object;
struct bpf_program;
struct bpf_map;

namespace bt::rt {

/// Routes libbpf's messages: kept for error reports, echoed to stderr when verbose.
void setLibbpfVerbose(bool verbose);
/// The libbpf messages captured since the last call, one line per element.
std::vector<std::string> takeLibbpfLog();

/// The `.bss` globals (arming flag, lost-event counter), mmapped MAP_SHARED.
class Globals64 {
public:
  Globals64() = default;
  ~Globals64();
  Globals64(const Globals64 &) = delete;
  Globals64 &operator=(const Globals64 &) = delete;

  /// `counters`: the offsets of further u64 counters the programs keep (maps' drops_offset).
  static Result<std::unique_ptr<Globals64>> map(int mapFd, size_t valueSize, const Globals &layout,
                                                const std::vector<uint64_t> &counters = {});

  void setArmed(bool armed);
  /// Writes the positional parameters the programs read ($N, str($N), $#) from `args`
  /// (btrun's arguments after the object). A missing one reads 0 or "", as in bpftrace;
  /// an $N read as an integer must be one (decimal, 0x hex or 0 octal).
  Status setParams(const std::vector<std::string> &args);
  /// Writes the named parameters the programs read (getopt) from `args`, each
  /// `--name=value` or `--name` (a bool's true); one not given takes its default. A name
  /// the script does not read, or a value of the wrong kind, is an error.
  Status setNamedParams(const std::vector<std::string> &args);
  /// cpid: the -c command's pid, when the programs read it.
  void setChildPid(uint64_t pid);
  /// The binaries the `probe` texts name (tracedBinaryNames): `binaries[i]` in slot i.
  void setTracedBinaries(const std::vector<std::string> &binaries);
  /// Records now (CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns) as the start.
  void setStartNow();
  uint64_t lost() const;
  /// The u64 counter at `offset` (one of map()'s `counters`).
  uint64_t counter(uint64_t offset) const;

private:
  void *mem_ = nullptr;
  size_t len_ = 0;
  Globals layout_;
};

/// One match of an fentry:bpf / fexit:bpf attachment: the function it attaches to runs
/// `program` (the object's, progFd -1) or a copy of it loaded beside the object.
struct BpfMatch {
  std::string program; // the attachment's program in the object
  int progFd = -1;     // the copy, owned by the BpfObject; -1: the object's program
  uint64_t cookie = 0; // the match's row in the names table (bpf_match_names)
  std::string probe;   // fentry:bpf:ID:NAME, as bpftrace names the probe
};

/// A bpf_object opened and loaded into the kernel; closing it (destructor) unloads it.
class BpfObject {
public:
  ~BpfObject();
  BpfObject(const BpfObject &) = delete;
  BpfObject &operator=(const BpfObject &) = delete;

  /// Opens `obj` from memory and loads every program. On a verifier rejection the error
  /// names the probe and program and carries the relevant verifier log lines as details.
  static Result<std::unique_ptr<BpfObject>> load(const ObjectFile &obj, const Manifest &manifest);

  bpf_object *get() const { return obj_; }
  bpf_program *program(const std::string &name) const;
  bpf_map *map(const std::string &bpfName) const;
  /// The internal map holding section `section` (e.g. ".bss"): its name ends with it.
  bpf_map *internalMap(const std::string &section) const;
  size_t programCount() const;
  size_t mapCount() const;

  /// Runs a raw_tp program once with BPF_PROG_TEST_RUN (BEGIN, END, test): its
  /// return value.
  Result<uint32_t> testRun(const std::string &program) const;
  /// Runs an XDP program (bench) `repeat` times in the kernel: the average time of a
  /// run in nanoseconds, as the kernel measures it.
  Result<uint32_t> timeRepeatedRuns(const std::string &program, uint32_t repeat) const;

  /// fentry:bpf / fexit:bpf: every match of every such attachment, in attach order.
  const std::vector<BpfMatch> &bpfMatches() const { return bpfMatches_; }
  void addBpfMatch(BpfMatch m) { bpfMatches_.push_back(std::move(m)); }

private:
  explicit BpfObject(bpf_object *obj) : obj_(obj) {}
  bpf_object *obj_ = nullptr;
  std::vector<BpfMatch> bpfMatches_;
};

/// Picks out of libbpf's log the lines worth showing for a failed program load: the
/// script lines (`; ...`) of the verifier log and its last `tail` lines. Pure.
std::vector<std::string> verifierExcerpt(const std::vector<std::string> &log, size_t tail = 20);
/// The program named in libbpf's "prog 'X': BPF program load failed" line, or "".
std::string failedProgram(const std::vector<std::string> &log);

} // namespace bt::rt

#endif
