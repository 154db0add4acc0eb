// Builtins: process identity, time, CPU, comm, probe and func names, and the
// probe's arguments and return value (the target arch's pt_regs for uprobes and
// kprobes).
#include "ProbeLowering.h"
#include "bt/Object/StackValue.h"

namespace bt::lower {

using namespace llvm;

// Registers come from the target's arch (lib/Target/Arch.cpp): offsets in its
// struct pt_regs.
Value ProbeLowering::argRegister(unsigned index) {
  TypeId t = lc.types().integer(8, false);
  if (probe.type == ProbeType::RawTracepoint)
    return {t, B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), ctxArg, 8 * index),
                            "arg" + std::to_string(index))};
  const Arch &arch = lc.sema.arch;
  if (index < arch.argRegisters.size())
    return {t, B.CreateLoad(lc.i64(),
                            B.CreateConstGEP1_32(lc.i8(), ctxArg,
                                                 arch.argRegisters[index].ptRegsOffset),
                            "arg" + std::to_string(index))};
  // Further arguments are on the stack.
  return stackArgument(index - arch.argRegisters.size(), "arg" + std::to_string(index));
}

// The 8-byte word `word` of the arguments passed on the stack (sargN is word N).
Value ProbeLowering::stackArgument(unsigned word, const std::string &name) {
  const Arch &arch = lc.sema.arch;
  auto *sp = B.CreateLoad(lc.i64(),
                          B.CreateConstGEP1_32(lc.i8(), ctxArg, arch.stackPointer.ptRegsOffset));
  auto *addr = B.CreateAdd(sp, B.getInt64(arch.stackArgOffset + 8 * word));
  auto *slot = temp(8, name);
  bool user = probe.type == ProbeType::Uprobe || probe.type == ProbeType::Uretprobe ||
              probe.type == ProbeType::Usdt;
  lc.callHelper(user ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                {slot, B.getInt32(8), B.CreateIntToPtr(addr, lc.ptr())});
  return {lc.types().integer(8, false), B.CreateLoad(lc.i64(), slot)};
}

// 1 when the probed context was running in user mode: the arch's test of its
// mode register in pt_regs (a perf event's context starts with them too). A context
// without them answers for where the probe runs, as upstream folds it: its "special"
// probes (BEGIN, END, self) for the user process that runs them (1), the others in the
// kernel (0).
Value ProbeLowering::userMode(TypeId t) {
  switch (probe.type) {
  case ProbeType::Kprobe:
  case ProbeType::Kretprobe:
  case ProbeType::Uprobe:
  case ProbeType::Uretprobe:
  case ProbeType::Usdt:
  case ProbeType::Profile:
  case ProbeType::Interval:
  case ProbeType::Software:
  case ProbeType::Hardware:
  case ProbeType::Watchpoint:
  case ProbeType::AsyncWatchpoint:
    break;
  case ProbeType::Begin:
  case ProbeType::End:
  case ProbeType::Self:
    return {t, B.getInt64(1)};
  default:
    return {t, B.getInt64(0)};
  }
  const UserModeTest &m = lc.sema.arch.userMode;
  auto *reg = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), ctxArg, m.reg.ptRegsOffset),
                           m.reg.name);
  auto *inUser = B.CreateICmpEQ(B.CreateAnd(reg, B.getInt64(m.mask)), B.getInt64(m.value));
  return {t, B.CreateZExt(inUser, lc.i64())};
}

Value ProbeLowering::retvalRegister() {
  return {lc.types().integer(8, false),
          B.CreateLoad(lc.i64(),
                       B.CreateConstGEP1_32(lc.i8(), ctxArg, lc.sema.arch.retval.ptRegsOffset),
                       "retval")};
}

Value ProbeLowering::contextSlot(const ast::Expr *e, const std::string &name) {
  TypeId t = lc.sema.typeOf(e);
  unsigned slot = lc.sema.contextSlots.at(e)[&att - probe.attachments.data()];
  // fexit on a BPF program's function, whose arguments (and so retval's slot) only its
  // BTF on the run host knows: the helper finds the return value after them.
  if (slot == SemaResult::kFuncRetSlot) {
    llvm::Value *out = temp(8, name);
    lc.callHelper(GetFuncRet, lc.i64(), {ctxArg, out});
    return {t, B.CreateLoad(lc.i64(), out, name)};
  }
  // A struct passed by value: its bytes are the words of its slots, copied out (the
  // context is read a word at a time) in the run-time kernel's layout, not relocated.
  if (lc.type(t).isRecord()) {
    unsigned words = (lc.type(t).size + 7) / 8;
    llvm::Value *copy = temp(words * 8, name);
    for (unsigned i = 0; i < words; ++i) {
      // In sequence: as call arguments, the order would be the C++ compiler's.
      llvm::Value *to = B.CreateConstGEP1_32(lc.i8(), copy, 8 * i);
      llvm::Value *word = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), ctxArg, 8 * (slot + i)));
      B.CreateStore(word, to);
    }
    return {t, copy};
  }
  auto *v = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), ctxArg, 8 * slot), name);
  return {t, extendInt(v, t)};
}

// The stack id (negative when the kernel could not record the stack); btrun
// reads the frames from the stack map when it prints the value.
Value ProbeLowering::kernelStack(TypeId t) {
  // From a raw tracepoint the stack starts inside the BPF dispatch, not where
  // bpftrace's (the perf-event tracepoint's) starts.
  if (dispatch)
    refuseDispatch();
  auto *id = lc.callHelper(GetStackid, lc.i64(),
                           {ctxArg, lc.stackMap(lc.type(t).frames), B.getInt64(0)});
  return {t, lc.sema.stackFrameCounts ? withFrameCount(id, lc.type(t)) : id};
}

Value ProbeLowering::tracedBinaryName(const std::pair<std::string, std::string> &around,
                                      unsigned size) {
  llvm::Value *text = lc.globalField(lc.tracedBinaryNameSlot(around).field);
  unsigned written = tracedBinaryNameSize(around);
  if (size == written)
    return {lc.types().string(size), text};
  // A probe whose other attach point has a longer name: its size, the rest zero.
  auto *buf = temp(size, "probe");
  B.CreateMemCpy(buf, llvm::MaybeAlign(8), text, llvm::MaybeAlign(8), std::min(size, written));
  return {lc.types().string(size), buf};
}

Value ProbeLowering::builtin(const ast::BuiltinRef *b) {
  TypeId t = lc.sema.typeOf(b);
  unsigned size = lc.type(t).size;
  BuiltinUse use = lc.sema.builtinOf(b);
  switch (use.id) {
  case BuiltinId::Pid:
  case BuiltinId::Tid: {
    auto *v = lc.callHelper(GetCurrentPidTgid, lc.i64(), {});
    return {t, use.id == BuiltinId::Pid ? B.CreateLShr(v, 32)
                                        : B.CreateAnd(v, B.getInt64(0xffffffff))};
  }
  case BuiltinId::Uid:
  case BuiltinId::Username: // btrun prints the uid's name
  case BuiltinId::Gid: {
    auto *v = lc.callHelper(GetCurrentUidGid, lc.i64(), {});
    return {t, use.id == BuiltinId::Gid ? B.CreateLShr(v, 32)
                                        : B.CreateAnd(v, B.getInt64(0xffffffff))};
  }
  case BuiltinId::Nsecs:
    return {t, lc.callHelper(KtimeGetNs, lc.i64(), {})};
  case BuiltinId::Elapsed: {
    auto *now = lc.callHelper(KtimeGetNs, lc.i64(), {});
    auto *start = B.CreateLoad(lc.i64(), lc.globalField(kStartIndex), "start_ns");
    return {t, B.CreateSub(now, start)};
  }
  case BuiltinId::Jiffies:
    return {t, lc.callHelper(Jiffies64, lc.i64(), {})};
  case BuiltinId::Numaid:
    return {t, B.CreateZExt(lc.callHelper(GetNumaNodeId, B.getInt32Ty(), {}), lc.i64())};
  case BuiltinId::Cpu:
    return {t, B.CreateZExt(lc.callHelper(GetSmpProcessorId, B.getInt32Ty(), {}), lc.i64())};
  case BuiltinId::Cgroup:
    return {t, lc.callHelper(GetCurrentCgroupId, lc.i64(), {})};
  case BuiltinId::Curtask:
    return {t, lc.callHelper(GetCurrentTask, lc.i64(), {})};
  case BuiltinId::Rand:
    return {t, B.CreateZExt(lc.callHelper(GetPrandomU32, B.getInt32Ty(), {}), lc.i64())};
  case BuiltinId::Kstack:
    return kernelStack(t);
  case BuiltinId::Ustack:
    return userStack(t);
  case BuiltinId::Cpid: // btrun wrote the -c command's pid into .bss before BEGIN
    return {t, B.CreateLoad(lc.i64(), lc.globalField(lc.paramSlot(-1, false).field), "cpid")};
  case BuiltinId::HasCpid: // 1 when btrun runs a -c command (its pid is never 0)
    return {t, B.CreateZExt(B.CreateICmpNE(B.CreateLoad(lc.i64(),
                                                        lc.globalField(lc.paramSlot(-1, false).field),
                                                        "cpid"),
                                           B.getInt64(0)),
                            lc.i64())};
  case BuiltinId::Ncpus: // btrun wrote the run host's possible CPUs into .bss
    return {t, B.CreateLoad(lc.i64(), lc.globalField(lc.paramSlot(-2, false).field), "ncpus")};
  case BuiltinId::Comm: {
    auto *buf = temp(size, "comm");
    lc.callHelper(GetCurrentComm, lc.i64(), {buf, B.getInt32(size)});
    return {t, buf};
  }
  case BuiltinId::Probe:
  case BuiltinId::Name:
    if (att.onBpfProgram)
      return bpfMatchString(false, size);
    if (armsPerMatch(lc, probe, att))
      return watchMatchString(size);
    if (att.probeNameAroundBinary)
      return tracedBinaryName(*att.probeNameAroundBinary, size);
    return shared ? attachmentString(false, size) : stringLiteral(att.probeName, size);
  case BuiltinId::Func:
    if (att.onBpfProgram)
      return bpfMatchString(true, size);
    return shared ? attachmentString(true, size) : stringLiteral(att.funcName, size);
  case BuiltinId::Retval:
    return probe.type == ProbeType::Fexit ? contextSlot(b, "retval") : retvalRegister();
  case BuiltinId::Arg:
    return probe.type == ProbeType::Usdt ? usdtArgument(t, use.index) : argRegister(use.index);
  case BuiltinId::Sarg:
    return stackArgument(use.index, "sarg" + std::to_string(use.index));
  case BuiltinId::Usermode:
    return userMode(t);
  case BuiltinId::File:
    return stringLiteral(lc.sema.options.sourceName(b->range.begin.file), size);
  case BuiltinId::Line:
    return {t, B.getInt64(b->range.begin.line)};
  case BuiltinId::Ctx:
    return {t, B.CreatePtrToInt(ctxArg, lc.i64(), "ctx")};
  case BuiltinId::Probetype:
    return stringLiteral(probetypeValue(probe.type), size);
  case BuiltinId::Ppid: // curtask->real_parent->tgid, as Sema built it
  case BuiltinId::Pcomm: // curtask->group_leader->comm
  case BuiltinId::Args:  // args whole: (name = args.name, ...) (lib/Sema/WholeArgs.cpp)
  case BuiltinId::Config: // (max_strlen = 64, ...) (lib/Sema/ConfigRecord.cpp)
  case BuiltinId::Registers: // (struct pt_regs *)ctx (lib/Sema/ProcessBuiltins.cpp)
    return expr(lc.sema.expansions.at(b).get());
  default:
    llvm_unreachable("builtin rejected by Sema");
  }
}

} // namespace bt::lower
