// Private to lib/Lower: the state shared by the lowering of one script.
#pragma once

#include "CoreTypes.h"
#include "bt/Lower/Lower.h"
#include "bt/Object/Manifest.h"

#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <set>
#include <string>
#include <vector>

namespace bt::lower {

// BPF helper ids (include/uapi/linux/bpf.h).
enum Helper : int {
  MapLookupElem = 1, MapUpdateElem = 2, MapDeleteElem = 3, KtimeGetNs = 5,
  GetPrandomU32 = 7, GetSmpProcessorId = 8, GetCurrentPidTgid = 14,
  GetCurrentUidGid = 15, GetCurrentComm = 16, GetCurrentCgroupId = 80,
  ProbeReadUser = 112, ProbeReadKernel = 113, ProbeReadUserStr = 114,
  ProbeReadKernelStr = 115, RingbufOutput = 130, RingbufReserve = 131, RingbufSubmit = 132,
  TailCall = 12, GetStackid = 27, GetStack = 67, GetNumaNodeId = 42,
  Jiffies64 = 118, SendSignal = 109, SendSignalThread = 117, KtimeGetBootNs = 125, ForEachMapElem = 164,
  KtimeGetTaiNs = 208, GetCurrentTask = 35, GetCurrentAncestorCgroupId = 123, // in_cgroup
  BpfLoop = 181, GetAttachCookie = 174, MapLookupPercpuElem = 195,
  GetFuncRet = 184, // fexit:bpf's retval
  TracePrintk = 6, // debugf
  OverrideReturn = 58,
  GetSocketCookie = 46, DPath = 147, // socket_cookie, path
  GetNsCurrentPidTgid = 120,          // pid(curr_ns), tid(curr_ns)
  SeqPrintf = 126,                    // printf in a pinned iterator
  PerCpuPtr = 153, ThisCpuPtr = 154,  // percpu_kaddr
  SkbOutput = 111,                    // skboutput
};

// Whether one program serves every attachment of `pi`, each attached with its index
// as the cookie (MultiAttach.cpp).
bool sharesProgram(const ProbeInfo &pi);
// The section of that program, named after the probe: its kind's section prefix, then each
// attach point as written less its kind ("uprobe//bin/bash:read*", "kprobe/vfs_{read,write}").
std::string sharedSection(const ProbeInfo &pi);

// The stack-trace map that kstack values with this frame limit index.
inline std::string kernelStackMapName(unsigned frames) {
  return "bt_kstack_" + std::to_string(frames);
}
// And ustack values; build_id ones index maps of their own, whose frames are the
// kernel's struct bpf_stack_build_id.
inline std::string userStackMapName(unsigned frames, obj::StackMode mode) {
  return (mode == obj::StackMode::BuildId ? "bt_ustack_build_id_" : "bt_ustack_") +
         std::to_string(frames);
}

// Where each part of a map's key and value lives (docs/OBJECT.md).
struct KeyField {
  TypeId type;
  unsigned offset = 0, size = 0;
};
struct MapLayout {
  const MapInfo *info = nullptr;
  std::string bpfName;
  obj::MapType bpfType = obj::MapType::Hash;
  // A keyless aggregation is a per-CPU array indexed by its bucket (0 for
  // count/sum/min/max/avg/stats); its last element is btrun's "zeroed" marker.
  bool perCpuArray = false;
  unsigned maxEntries = 0;
  std::vector<KeyField> keyFields;
  unsigned keySize = 8;
  unsigned valueSize = 8;
  int bucketOffset = -1; // hist/lhist
  llvm::GlobalVariable *global = nullptr;
  // A keyed map's count of failed updates (a full map), in the .bss globals.
  int dropsField = -1;
  unsigned dropsOffset = 0;
};

// One argument slot of a ring-buffer record.
struct EventArg {
  TypeId type;
  unsigned offset = 0, size = 0;
};
// One kind of ring-buffer record: what the manifest says of it (its id, size and
// args are filled in from the layout when the manifest is written) and its layout.
// A syscalls:sys_enter_NAME / sys_exit_NAME attachment served by raw_syscalls
// (SyscallDispatch.cpp): a raw_tp program in program array `table` at the syscall's
// number, the `level`-th handler of that syscall in script order.
struct DispatchSlot {
  bool exit = false;
  unsigned nr = 0;
  unsigned level = 0;
  llvm::GlobalVariable *table = nullptr;
  llvm::GlobalVariable *next = nullptr; // the next handler's table, when there is one
};

struct EventRecord {
  obj::EventSpec spec;
  std::vector<EventArg> args;
  unsigned size = 8;
};

// A lowered value: integers are i64 SSA values; strings are pointers to a
// buffer of the type's size in bytes, zero-padded after the terminating NUL.
struct Value {
  TypeId type;
  llvm::Value *v = nullptr;
};

class LowerContext {
public:
  LowerContext(llvm::LLVMContext &ctx, const SemaResult &sema, const CompileOptions &options);

  llvm::LLVMContext &ctx;
  std::unique_ptr<llvm::Module> module;
  const SemaResult &sema;
  const CompileOptions &options;
  llvm::IRBuilder<> B;
  std::unique_ptr<llvm::DIBuilder> DI;
  llvm::DICompileUnit *cu = nullptr;
  llvm::DIFile *file = nullptr;
  // The imported scripts' files: locations in file N (N >= 1) are in importedFiles[N - 1].
  std::vector<llvm::DIFile *> importedFiles;
  // The debug-info file of a location's `file` (its source text inside, as `file`'s).
  llvm::DIFile *diFile(uint32_t fileIndex) const {
    return fileIndex > 0 && fileIndex <= importedFiles.size() ? importedFiles[fileIndex - 1] : file;
  }

  std::vector<MapLayout> maps;
  llvm::GlobalVariable *ringbuf = nullptr;
  // bt_skb_output, the perf event array of skboutput(), declared on first use.
  llvm::GlobalVariable *skbOutput = nullptr;
  llvm::GlobalVariable *skbOutputMap();
  llvm::GlobalVariable *globals = nullptr; // .bss: armed, lost, start_ns
  // Stack-trace maps by frame limit, space and build_id mode, declared on first use
  // (kstack, ustack).
  std::map<std::tuple<unsigned, bool, bool>, llvm::GlobalVariable *> stackMaps;
  llvm::GlobalVariable *stackMap(unsigned frames, bool user = false, bool buildId = false);
  // Zero-filled arrays by value size, a keyed tseries' first value (Maps.cpp).
  std::map<unsigned, llvm::GlobalVariable *> zeroMaps;
  llvm::GlobalVariable *zeroMap(unsigned bytes);
  CoreTypes core; // kernel records that CO-RE relocations name
  // bt_scratch, the per-CPU array of values too big for the stack: one element per
  // program that needs it, as big as the biggest need. Programs refer to `scratch`
  // before those are known; defineScratchMap puts the map in its place.
  llvm::GlobalVariable *scratch = nullptr;
  unsigned scratchElements = 0, scratchBytes = 0;
  // The bpf_for_each_map_elem callback that counts elements into *ctx (len(@m)),
  // defined on first use.
  llvm::Function *countingCallback = nullptr;
  llvm::Function *elementCounter();
  // kaddr's kernel symbols, typeless `__ksym` externs by name (SymbolFunctions.cpp).
  std::map<std::string, llvm::GlobalVariable *> kernelSymbols;
  llvm::GlobalVariable *kernelSymbol(const std::string &name);
  // percpu_kaddr's per-CPU variables, `__ksym` externs typed from the kernel's BTF
  // (NetFunctions3.cpp); kaddr() of the same name reads this one, as libbpf resolves a
  // name once.
  llvm::GlobalVariable *percpuSymbol(const std::string &name);
  // libbpf's USDT spec maps, declared when a usdt probe first reads an argument
  // (UsdtArgs.cpp).
  llvm::GlobalVariable *usdtSpecs = nullptr;
  llvm::GlobalVariable *usdtSpecMap();
  // fentry:bpf's `probe`/`func` texts, one row per match (BpfMatchNames.cpp).
  llvm::GlobalVariable *bpfMatchNames = nullptr;
  llvm::GlobalVariable *bpfMatchNamesMap();
  // `probe` of the watchpoint matches armed apart, one row per match (BpfMatchNames.cpp).
  llvm::GlobalVariable *watchMatchNames = nullptr;
  llvm::GlobalVariable *watchMatchNamesMap();
  std::vector<EventRecord> events;
  std::vector<std::string> programNames; // one per attachment, script order
  // Syscall tracepoints served by raw_syscalls, by attachment (script order); the
  // dispatcher programs; the syscalls (exit?, nr) whose handlers read what only a
  // perf-event tracepoint has (common_* fields, a kernel stack from the tracepoint),
  // found while lowering (then lowered again) or given (the second lowering).
  std::vector<std::optional<DispatchSlot>> dispatch;
  std::vector<obj::Dispatcher> dispatchers;
  std::set<std::pair<bool, unsigned>> dispatchRefused, perfOnlySyscalls;
  std::vector<int> helpersUsed;

  const Type &type(TypeId t) const { return sema.types.get(t); }
  TypeTable &types() const { return sema.types; }
  // Pointers, arrays, records and booleans have types but no lowering yet: the
  // first one lowering meets is reported, located, and no object is written.
  std::optional<Diagnostic> unsupported;
  bool lowerable(TypeId t, SourceRange where);

  llvm::Type *i8() { return B.getInt8Ty(); }
  llvm::Type *i64() { return B.getInt64Ty(); }
  llvm::PointerType *ptr() { return B.getPtrTy(); }

  const MapLayout &mapLayout(const std::string &name) const;
  // Emits a call of BPF helper `id`.
  llvm::CallInst *callHelper(Helper id, llvm::Type *ret, llvm::ArrayRef<llvm::Value *> args);
  llvm::Value *globalField(unsigned index); // pointer into .bss globals
  // Run-time inputs in .bss after the fixed globals, written by btrun before BEGIN:
  // cpid, ncpus and $# (when read), then each $N read as an integer, then each str($N).
  struct ParamSlot {
    int index; // N; 0 for $#; -1 for cpid; -2 for ncpus; kCgroupIdSlot; kPidNamespace*;
               // unused for a named one
    bool isString;
    unsigned field, offset, size;
    std::string name; // getopt's named parameter, after the positional ones;
                      // cgroupid's path (index kCgroupIdSlot); kfunc_allowed's kfunc
    std::string section = {}; // kfunc_allowed's program section prefix (kKfuncAllowedSlot)
  };
  static constexpr int kCgroupIdSlot = -3;
  static constexpr int kPidNamespaceDevSlot = -4; // st_dev, st_ino of btrun's /proc/self/ns/pid
  static constexpr int kPidNamespaceInoSlot = -5;
  static constexpr int kKfuncAllowedSlot = -6;
  static constexpr int kTaiDeltaSlot = -7; // nsecs(sw_tai)'s CLOCK_TAI - CLOCK_BOOTTIME
  // A `probe` text around the traced process's binary: `name` before it, `section` after.
  static constexpr int kTracedBinaryNameSlot = -8;
  std::vector<ParamSlot> paramSlots;
  // After the parameters: one u64 per keyed map counting its failed updates (field
  // index and offset by script map name), which btrun reports at exit.
  std::map<std::string, std::pair<unsigned, unsigned>> dropCounters;
  const ParamSlot &paramSlot(int index, bool isString) const;
  const ParamSlot &namedParamSlot(const std::string &name) const;
  const ParamSlot &cgroupIdSlot(const std::string &path) const;
  const ParamSlot &kfuncAllowedSlot(const std::string &kfunc, const std::string &section) const;
  const ParamSlot &tracedBinaryNameSlot(const std::pair<std::string, std::string> &around) const;
  unsigned addEvent(EventRecord e);

  // Debug-info types.
  llvm::DIType *diInt(unsigned bits, bool isSigned);
  llvm::DIType *diBytes(unsigned n);
};

// A BTF-defined map in `.maps` (libbpf's __uint/__type convention), and __uint(attr, N).
llvm::GlobalVariable *defineBtfMap(LowerContext &lc, const std::string &name,
                                   const std::vector<std::pair<std::string, llvm::DIType *>> &members);
llvm::DIType *uintAttr(LowerContext &lc, uint64_t n);

constexpr unsigned kArmedIndex = 0, kLostIndex = 1, kStartIndex = 2;
// String operations over more bytes are loops, not unrolled code (StringLoops.cpp).
constexpr uint64_t kUnrolledStringBytes = 128;

void declareGlobals(LowerContext &lc);
void declareMaps(LowerContext &lc);
void defineScratchMap(LowerContext &lc); // after lowerProbes
void lowerProbes(LowerContext &lc);
// The uprobe program that arms the watchpoint program `program` on a function's argument.
inline std::string watchpointArmProgram(const std::string &program) { return program + "_arm"; }
// Whether each match of `a`, a watchpoint on a pattern's functions, is armed apart: its
// probe reads `probe` (BpfMatchNames.cpp).
bool armsPerMatch(const LowerContext &lc, const ProbeInfo &pi, const Attachment &a);
// SyscallDispatch.cpp: before lowerProbes, which attachments raw_syscalls serves and
// their program arrays; after it, the dispatcher programs.
void planSyscallDispatch(LowerContext &lc);
// Whether one program serves every attachment of `pi` (programs from `firstProgram` on)
// from raw_syscalls: each slot of its program array holds it, `probe` is looked up by
// the syscall's number, and the verifier checks one program instead of one per syscall.
bool sharesDispatch(const LowerContext &lc, const ProbeInfo &pi, size_t firstProgram);
void emitSyscallDispatchers(LowerContext &lc);
// The manifest of what was lowered, without its checks and integrity digests; a
// type the manifest cannot describe is an internal error.
llvm::Expected<obj::Manifest> buildManifest(const LowerContext &lc);
// Sema's aggregation as the manifest names it.
obj::Aggregation manifestAggregation(AggKind agg);

} // namespace bt::lower
