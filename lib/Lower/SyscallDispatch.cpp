// Syscall tracepoints served by raw_syscalls. Closing a perf-event tracepoint costs
// the kernel two RCU grace periods, one tracepoint after another under event_mutex
// (tens of ms each: 361 syscalls:sys_enter_* took 8-11 s to stop); closing a raw
// tracepoint link takes ~0.1 ms. So each syscalls:sys_enter_NAME (sys_exit_NAME)
// handler is a raw_tp program stored in a program array at the syscall's number,
// and one raw_syscalls:sys_enter (sys_exit) program per direction tail-calls it.
// Several handlers of one syscall are one program array each ("level"), in script
// order: each handler, wherever it returns, tail-calls the next level's.
// A wildcard's handlers differ only in `probe`, so one program serves them all when
// they read no tracepoint field: it takes `probe` from a table by the syscall's number,
// and the verifier checks one program instead of one per syscall (361 programs were
// most of sys_enter_*'s start).
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

// The syscall's number: sys_enter's context is (struct pt_regs *regs, long id);
// sys_exit's (regs, ret) has it only in the user registers.
llvm::Value *loadSyscallNumber(LowerContext &lc, llvm::Value *ctx, bool exit, llvm::Value *slot) {
  IRBuilder<> &B = lc.B;
  if (!exit)
    return B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), ctx, 8), "nr");
  auto *regs = B.CreateLoad(lc.i64(), ctx, "regs");
  auto *at = B.CreateAdd(regs, B.getInt64(lc.sema.arch.syscallNumber.ptRegsOffset));
  lc.callHelper(ProbeReadKernel, lc.i64(), {slot, B.getInt32(8), B.CreateIntToPtr(at, lc.ptr())});
  return B.CreateLoad(lc.i64(), slot, "nr");
}

bool readsTracepointFields(const SemaResult &sema, const ProbeInfo &pi) {
  for (const auto &entry : sema.tracepointFields)
    if (entry.second.probe == pi.probe)
      return true;
  return false;
}

} // namespace

bool sharesDispatch(const LowerContext &lc, const ProbeInfo &pi, size_t firstProgram) {
  size_t n = pi.attachments.size();
  if (n < 2 || pi.type != ProbeType::Tracepoint || readsTracepointFields(lc.sema, pi))
    return false;
  const auto &first = lc.dispatch[firstProgram];
  if (!first)
    return false;
  // One program array; the next level's is one array too, where a syscall without a
  // next handler has an empty slot (the tail call returns).
  for (size_t a = 1; a < n; ++a) {
    const auto &s = lc.dispatch[firstProgram + a];
    if (!s || s->exit != first->exit || s->level != first->level)
      return false;
  }
  return true;
}

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
    llvm::Value *nr =
        loadSyscallNumber(lc, ctx, exit, exit ? B.CreateAlloca(lc.i64(), nullptr, "nr") : nullptr);
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
    return lc.type(t).isSigned ? B.CreateSExt(narrow, lc.i64()) : B.CreateZExt(narrow, lc.i64());
  };
  const auto &regs = lc.sema.arch.syscallArgRegisters;
  if (tf.name == "__syscall_nr")
    return {t, B.getInt64(dispatch->nr)};
  if (dispatch->exit && tf.offset == 16)
    return {t, extend(B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), ctxArg, 8), f->field))};
  unsigned arg = (tf.offset - 16) / 8;
  if (!dispatch->exit && tf.offset >= 16 && tf.offset % 8 == 0 && tf.size <= 8 &&
      !tf.isCharArray && !tf.isDataLoc && !lc.type(t).isArray() && arg < regs.size()) {
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
  for (const DispatchSlot *s : dispatchGroup)
    lc.dispatchRefused.insert({s->exit, s->nr});
}

void ProbeLowering::chainNextHandler() {
  if (!dispatch || !dispatch->next)
    return;
  llvm::Value *nr = dispatchGroup.empty() ? B.getInt32(dispatch->nr)
                                          : B.CreateTrunc(syscallNumber(), B.getInt32Ty());
  lc.callHelper(TailCall, lc.i64(), {ctxArg, dispatch->next, nr});
}

llvm::Value *ProbeLowering::syscallNumber() {
  return loadSyscallNumber(lc, ctxArg, dispatch->exit, dispatch->exit ? temp(8, "nr") : nullptr);
}

llvm::Value *ProbeLowering::dispatchedAttachmentIndex() {
  std::string name = "bt_attachment_of_" + fnName;
  llvm::GlobalVariable *table = lc.module->getGlobalVariable(name, true);
  auto *tableTy = llvm::ArrayType::get(B.getInt16Ty(), kSyscallSlots);
  if (!table) {
    std::vector<uint16_t> index(kSyscallSlots, 0);
    for (size_t a = 0; a < dispatchGroup.size(); ++a)
      index[dispatchGroup[a]->nr] = static_cast<uint16_t>(a);
    table = new llvm::GlobalVariable(*lc.module, tableTy, true, GlobalValue::InternalLinkage,
                                     llvm::ConstantDataArray::get(lc.ctx, index), name);
    table->setSection(".rodata");
    table->setAlignment(llvm::Align(8));
  }
  llvm::Value *nr = syscallNumber();
  // Only the slots of this group hold the program; the bound is for the verifier.
  nr = B.CreateSelect(B.CreateICmpULT(nr, B.getInt64(kSyscallSlots)), nr, B.getInt64(0));
  llvm::Value *at = B.CreateInBoundsGEP(tableTy, table, {B.getInt64(0), nr});
  llvm::Value *index = B.CreateZExt(B.CreateLoad(B.getInt16Ty(), at, "attachment"), lc.i64());
  // Through an empty asm: LLVM knows every entry of the constant table is in range and
  // would drop the caller's bound, which the verifier needs (it sees a u16).
  return opaque(index);
}

} // namespace bt::lower
