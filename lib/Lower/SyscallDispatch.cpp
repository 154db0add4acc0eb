// Syscall tracepoints served by raw_syscalls. Closing a perf-event tracepoint costs
// the kernel two RCU grace periods, one tracepoint after another under event_mutex
// (tens of ms each: 361 syscalls:sys_enter_* took 8-11 s to stop); closing a raw
// tracepoint link takes ~0.1 ms. So each syscalls:sys_enter_NAME (sys_exit_NAME)
// handler is a raw_tp program stored in a program array at the syscall's number,
// and one raw_syscalls:sys_enter (sys_exit) program per direction tail-calls it.
// Several handlers of one syscall are one program array each ("level"), in script
// order: each handler, wherever it returns, tail-calls the next level's.
#include "ProbeLowering.h"

#include "bt/Target/Arch.h"

#include <map>

namespace bt::lower {

using namespace llvm;

namespace {

constexpr unsigned kProgArray = 3;     // BPF_MAP_TYPE_PROG_ARRAY
constexpr unsigned kSyscallSlots = 1024; // above every architecture's syscall numbers

const char *directionName(bool exit) { return exit ? "sys_exit" : "sys_enter"; }

std::string tableName(bool exit, unsigned level) {
  return std::string("bt_") + directionName(exit) + "_" + std::to_string(level);
}

} // namespace

void planSyscallDispatch(LowerContext &lc) {
  const Arch &arch = lc.sema.arch;
  bool possible = lc.options.rawSyscalls.value_or(true) && !arch.syscallArgRegisters.empty();
  std::map<std::pair<bool, unsigned>, unsigned> handlers; // (exit, nr) -> count so far
  for (const ProbeInfo &pi : lc.sema.probes)
    for (const Attachment &a : pi.attachments) {
      lc.dispatch.emplace_back();
      if (!possible || pi.type != ProbeType::Tracepoint || a.category != "syscalls")
        continue;
      bool exit = a.name.rfind("sys_exit_", 0) == 0;
      if (!exit && a.name.rfind("sys_enter_", 0) != 0)
        continue;
      int nr = syscallNumber(arch, a.name.substr(exit ? 9 : 10));
      if (nr < 0 || unsigned(nr) >= kSyscallSlots || lc.perfOnlySyscalls.count({exit, nr}))
        continue;
      DispatchSlot s;
      s.exit = exit;
      s.nr = unsigned(nr);
      s.level = handlers[{exit, s.nr}]++;
      lc.dispatch.back() = s;
    }

  size_t served = 0;
  for (const auto &slot : lc.dispatch)
    served += slot.has_value();
  if (!lc.options.rawSyscalls && served <= kMaxPerfSyscallTracepoints)
    for (auto &slot : lc.dispatch)
      slot.reset();

  std::map<std::pair<bool, unsigned>, GlobalVariable *> tables; // (exit, level)
  auto table = [&](bool exit, unsigned level) {
    auto &gv = tables[{exit, level}];
    if (!gv)
      gv = defineBtfMap(lc, tableName(exit, level),
                        {{"type", uintAttr(lc, kProgArray)},
                         {"max_entries", uintAttr(lc, kSyscallSlots)},
                         {"key", lc.diInt(32, false)},
                         {"value", lc.diInt(32, false)}});
    return gv;
  };
  for (auto &slot : lc.dispatch) {
    if (!slot)
      continue;
    slot->table = table(slot->exit, slot->level);
    if (handlers[{slot->exit, slot->nr}] > slot->level + 1)
      slot->next = table(slot->exit, slot->level + 1);
  }
}

void emitSyscallDispatchers(LowerContext &lc) {
  IRBuilder<> &B = lc.B;
  auto &DI = *lc.DI;
  for (bool exit : {false, true}) {
    GlobalVariable *first = lc.module->getNamedGlobal(tableName(exit, 0));
    if (!first)
      continue;
    std::string name = std::string("bt_") + directionName(exit);
    std::string section = std::string("raw_tp/") + directionName(exit);
    auto *fn = Function::Create(FunctionType::get(lc.i64(), {lc.ptr()}, false),
                                GlobalValue::ExternalLinkage, name, *lc.module);
    fn->setSection(section);
    fn->addFnAttr(Attribute::NoUnwind);
    auto *voidPtr = DI.createPointerType(nullptr, 64);
    auto *fnTy = DI.createSubroutineType(DI.getOrCreateTypeArray({lc.diInt(64, true), voidPtr}));
    auto *sp = DI.createFunction(lc.cu, name, name, lc.file, 1, fnTy, 1, DINode::FlagPrototyped,
                                 DISubprogram::SPFlagDefinition);
    fn->setSubprogram(sp);
    DI.createParameterVariable(sp, "ctx", 1, lc.file, 1, voidPtr, true);
    Argument *ctx = fn->getArg(0);
    ctx->setName("ctx");
    B.SetInsertPoint(BasicBlock::Create(lc.ctx, "entry", fn));
    B.SetCurrentDebugLocation(DILocation::get(lc.ctx, 1, 1, sp));
    // The context is (struct pt_regs *regs, long id_or_ret): sys_enter has the number;
    // sys_exit's is in the user registers.
    llvm::Value *nr;
    if (!exit) {
      nr = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), ctx, 8), "nr");
    } else {
      auto *slot = B.CreateAlloca(lc.i64(), nullptr, "nr");
      auto *regs = B.CreateLoad(lc.i64(), ctx, "regs");
      auto *at = B.CreateAdd(regs, B.getInt64(lc.sema.arch.syscallNumber.ptRegsOffset));
      lc.callHelper(ProbeReadKernel, lc.i64(), {slot, B.getInt32(8), B.CreateIntToPtr(at, lc.ptr())});
      nr = B.CreateLoad(lc.i64(), slot);
    }
    // An index past the array (a negative number, an untraced syscall) returns here.
    lc.callHelper(TailCall, lc.i64(), {ctx, first, B.CreateTrunc(nr, B.getInt32Ty())});
    B.CreateRet(B.getInt64(0));
    DI.finalizeSubprogram(sp);
    B.SetCurrentDebugLocation(DebugLoc());
    lc.dispatchers.push_back({name, section, directionName(exit)});
  }
}

// A syscall tracepoint's record, from the raw_syscalls context: __syscall_nr is the
// program's own number, args[i] the i-th argument register of the user registers,
// ret sys_exit's second argument. Anything else (common_*) only the perf-event
// tracepoint has: the syscall is then served that way (lowered again).
Value ProbeLowering::dispatchedField(const ast::FieldExpr *f, const TracepointField &tf,
                                      TypeId t) {
  auto extend = [&](llvm::Value *raw64) -> llvm::Value * {
    if (tf.size >= 8)
      return raw64;
    auto *narrow = B.CreateTrunc(raw64, B.getIntNTy(tf.size * 8));
    return tf.isSigned ? B.CreateSExt(narrow, lc.i64()) : B.CreateZExt(narrow, lc.i64());
  };
  const auto &regs = lc.sema.arch.syscallArgRegisters;
  if (tf.name == "__syscall_nr")
    return {t, B.getInt64(dispatch->nr)};
  if (dispatch->exit && tf.offset == 16)
    return {t, extend(B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), ctxArg, 8), f->field))};
  unsigned arg = (tf.offset - 16) / 8;
  if (!dispatch->exit && tf.offset >= 16 && tf.offset % 8 == 0 && tf.size <= 8 &&
      !tf.isCharArray && !tf.isDataLoc && arg < regs.size()) {
    auto *slot = temp(8, "field." + f->field);
    auto *base = B.CreateLoad(lc.i64(), ctxArg, "regs");
    auto *at = B.CreateAdd(base, B.getInt64(regs[arg].ptRegsOffset));
    lc.callHelper(ProbeReadKernel, lc.i64(), {slot, B.getInt32(8), B.CreateIntToPtr(at, lc.ptr())});
    return {t, extend(B.CreateLoad(lc.i64(), slot, f->field))};
  }
  refuseDispatch();
  return {t, B.getInt64(0)};
}

void ProbeLowering::refuseDispatch() {
  lc.dispatchRefused.insert({dispatch->exit, dispatch->nr});
}

void ProbeLowering::chainNextHandler() {
  if (!dispatch || !dispatch->next)
    return;
  lc.callHelper(TailCall, lc.i64(), {ctxArg, dispatch->next, B.getInt32(dispatch->nr)});
}

} // namespace bt::lower
