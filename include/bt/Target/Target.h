// The door into lib/Target: what btc knows about the machine it compiles for.
// The build host is one target (read from its tracefs, uname and /sys); a
// description file (docs/TARGET.md) is another. This library has no LLVM and
// no AST, so that btrun can write descriptions with it.
#pragma once

#include "bt/Target/Arch.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace bt {

// A value, or the one-line reason there is none.
template <typename T> class [[nodiscard]] OrError {
public:
  OrError(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  static OrError failure(std::string why) { return OrError(std::move(why), 0); }

  explicit operator bool() const { return v_.index() == 0; }
  T &operator*() { return std::get<0>(v_); }
  const T &operator*() const { return std::get<0>(v_); }
  T *operator->() { return &std::get<0>(v_); }
  const T *operator->() const { return &std::get<0>(v_); }
  const std::string &error() const { return std::get<1>(v_); }

private:
  OrError(std::string why, int) : v_(std::in_place_index<1>, std::move(why)) {}
  std::variant<T, std::string> v_;
};

// One field of a tracepoint's format (tracefs events/<cat>/<name>/format),
// past the common fields every event starts with.
struct TracepointField {
  std::string declaration; // as tracefs writes it: "const char * filename"
  std::string name;
  std::string ctype;  // "const char *", "char[16]", "__data_loc char[]"
  unsigned offset = 0, size = 0;
  bool isSigned = false;
  bool isCharArray = false; // char name[N]
  bool isDataLoc = false;   // __data_loc char[]
  bool isPointer = false;
};
inline bool operator==(const TracepointField &a, const TracepointField &b) {
  return a.name == b.name && a.ctype == b.ctype && a.offset == b.offset && a.size == b.size &&
         a.isSigned == b.isSigned;
}
inline bool operator!=(const TracepointField &a, const TracepointField &b) { return !(a == b); }

// A tracepoint's fields, and why the ones past them are unknown ("" when none are):
// a format from BTF may lack a syscall's arguments.
struct TracepointFormat {
  std::vector<TracepointField> fields;
  std::string unknownFields;
};

// What a target says about something it may or may not have.
enum class Support { Unknown, Yes, No };

class TargetInfo {
public:
  virtual ~TargetInfo() = default;
  // How messages name it: "the host", "target 'fleet.json'".
  virtual std::string name() const = 0;
  virtual const Arch &arch() const = 0;
  // `uname -r` of the target, "" when unknown.
  virtual std::string kernelRelease() const { return ""; }

  // All "category:name" tracepoints, for wildcard expansion.
  virtual std::vector<std::string> tracepoints() const = 0;
  // The format of one tracepoint, or nullopt when it does not exist.
  virtual std::optional<std::vector<TracepointField>>
  tracepointFormat(const std::string &category, const std::string &name) const = 0;
  // The format of one tracepoint, or the whole error line when the target does not
  // have it or cannot tell its format ("tracepoint 'a:b' not found on the host").
  virtual OrError<TracepointFormat> findTracepoint(const std::string &category,
                                                  const std::string &name) const;
  // A note for every compilation that uses tracepoints ("tracefs cannot be read: the
  // formats come from BTF"), or "".
  virtual std::string tracepointsNote() const { return ""; }
  // Why the target's tracepoints are unknown ("tracefs cannot be read: ..."),
  // or "" when they are known.
  virtual std::string tracepointsUnknownReason() const { return ""; }

  // Whether the target can run a probe type (canonical name: "kprobe").
  virtual Support probeType(const std::string &probeType) const { return Support::Unknown; }
  // Whether a kernel function exists there for kprobes and fentry.
  virtual Support function(const std::string &name) const { return Support::Unknown; }
  // How messages name the target that lacks the probe type or function (the one of
  // several where probeType/function says No).
  virtual std::string nameLackingProbeType(const std::string &probeType) const { return name(); }
  virtual std::string nameLackingFunction(const std::string &name) const { return this->name(); }

  // The description file it was read from ("" for the host), and the machines it
  // stands for: itself, or each of several combined (combineTargets).
  virtual std::string descriptionFile() const { return ""; }
  virtual std::vector<const TargetInfo *> members() const { return {this}; }
  // The target kernel's BTF (vmlinux) as a file, when the target has one.
  virtual std::optional<std::string> btfPath() const { return std::nullopt; }

  // The file a uprobe or usdt probe names, as the target will find it: the host
  // searches PATH for a bare name; a description resolves absolute paths only.
  virtual OrError<std::string> resolveBinary(const std::string &path) const;
  // A library name (uprobe:libc:fn) as the target's dynamic loader would find it
  // (lib/Target/Library.cpp); a description has no library paths.
  virtual OrError<std::string> resolveLibrary(const std::string &name) const;
  // Every kernel function the target lists (kprobe/fentry wildcards), or why it lists none.
  virtual OrError<std::vector<std::string>> functions() const;
  // Whether functions() comes from the kernel's BTF, which lists more than can be traced
  // and never a compiler clone (fn.constprop.0, fn.isra.0) that ftrace lists.
  virtual bool functionsFromBtf() const { return false; }
  // The functions of one kernel module (kprobe:MODULE:fn* wildcards), sorted; empty when
  // the target has no such module loaded; or why the target cannot say which module has
  // a function.
  virtual OrError<std::vector<std::string>> moduleFunctions(const std::string &module) const;
  // Whether the target's kprobe blacklist (debugfs kprobes/blacklist) names the kernel
  // function: no kprobe attaches there, so a kprobe on it is a missing probe, as upstream.
  virtual bool kprobeBlacklisted(const std::string &function) const { return false; }
};

// A function list as ftrace's available_filter_functions writes it ("name" or
// "name [module]" per entry, a name possibly repeated): every name once, sorted, and the
// names of each module. `tagged` says whether any entry named a module.
struct KernelFunctionList {
  std::vector<std::string> all;
  std::map<std::string, std::vector<std::string>> byModule;
  bool tagged = false;
};
KernelFunctionList parseKernelFunctionList(const std::vector<std::string> &entries);

// The function symbols of an ELF file (.symtab and .dynsym: FUNC and GNU_IFUNC, defined,
// at a non-zero address), each name once, sorted: what uprobe wildcards match against
// (bt/Target/ElfSymbols.h has them with their file offsets).
OrError<std::vector<std::string>> elfFunctionSymbols(const std::string &path);

// The build host: tracefs (/sys/kernel/tracing or /sys/kernel/debug/tracing),
// uname, /sys/kernel/btf/vmlinux and PATH. Fails only for an arch btc does not know.
OrError<std::unique_ptr<TargetInfo>> makeHostTarget();

// What a description file says (docs/TARGET.md), for writing one.
struct TargetDescription {
  std::string arch, kernelRelease;
  std::vector<std::string> probeTypes;
  std::optional<std::vector<std::string>> functions;
  std::optional<std::vector<std::string>> kprobeBlacklist; // function names
  std::optional<std::string> vmlinuxBtf; // relative to the file's directory
  std::vector<std::pair<std::string, std::vector<TracepointField>>> tracepoints;
};

// The description as JSON, one tracepoint per line so that two descriptions diff
// by event; loadTargetFile reads it back.
std::string writeTargetFile(const TargetDescription &description);

// The function names of a kprobe blacklist as debugfs writes it ("0xSTART-0xEND\tname",
// "... name [module]"), each once, sorted; nullopt when the file cannot be read.
std::optional<std::vector<std::string>>
readKprobeBlacklist(const std::string &path = "/sys/kernel/debug/kprobes/blacklist");

// The host's tracefs read directly, for btrun (which mounts it at /sys/kernel/tracing):
// its events ("category:name"), and one event's format (nullopt when it has none).
std::vector<std::string> tracefsEvents(const std::string &root);
std::optional<std::vector<TracepointField>>
tracefsFormat(const std::string &root, const std::string &category, const std::string &name);

// Several targets as one (btc --target A --target B): what every one has, so that one
// object runs on each. A tracepoint field whose layout differs between them is unknown,
// with a reason naming the targets; a failure names the target that lacks the thing.
// Fails when their architectures differ.
OrError<std::unique_ptr<TargetInfo>>
combineTargets(std::vector<std::unique_ptr<TargetInfo>> targets);

// A target description (docs/TARGET.md). The error is one line that starts with
// the file and where in it: "fleet.json:3:7: invalid JSON: ...",
// "fleet.json: /arch: expected a string".
OrError<std::unique_ptr<TargetInfo>> loadTargetFile(const std::string &path);

} // namespace bt
