// Upstream's find, kfunc_allowed, comm(pid) and in_cgroup(id) (globmatch: GlobLiteral.cpp).
// find(@m, key, $v): one lookup; when the key is there its value (an aggregation's
// CPUs combined, as @m[key] reads it) is copied into the variable, as an assignment
// would store it, and the call is 1, else 0 and the variable keeps what it held.
// globmatch: GlobLiteral.cpp (a literal pattern) and GlobMatch.cpp (one known at run time).
// kfunc_allowed("name"): the .bss slot btrun filled on the run host for this kfunc and
// this program's type.
// comm(pid): bpf_task_from_pid (a kfunc: an extern in .ksyms with its BTF prototype,
// which libbpf resolves against the run host's vmlinux BTF), the relocated comm member
// read from the task it returns, then bpf_task_release; "" when no task has that pid.
// In the probe kinds whose programs the kernel refuses those two, the task iterator's
// walk of every thread instead (commOfPidCall).
// in_cgroup(id): a walk down the current task's cgroup v2 ancestors from the root (level
// 0), one level per bpf_loop step, by bpf_get_current_ancestor_cgroup_id: 1 at the level
// whose id is id, 0 past the task's own level (where the helper gives 0), so 0 for an id
// no cgroup has. Upstream's stdlib asks the kfuncs bpf_cgroup_from_id and
// bpf_task_under_cgroup instead; the kernel refuses kfuncs to raw_tp programs (BEGIN,
// END) and kprobes and uprobes, and the helpers are every tracing program's.
#include "Callback.h"
#include "ProbeLowering.h"

#include "bt/Sema/TaskKfuncs.h"

namespace bt::lower {

using namespace llvm;

namespace {

// An extern kernel function with its BTF prototype (the BPF backend emits BTF for a
// called declaration with a DISubprogram, in the section's DATASEC).
Function *kfunc(LowerContext &lc, const std::string &name, FunctionType *type,
                ArrayRef<Metadata *> diTypes) {
  if (Function *f = lc.module->getFunction(name))
    return f;
  auto *f = Function::Create(type, GlobalValue::ExternalLinkage, name, *lc.module);
  f->setSection(".ksyms");
  auto *diType = lc.DI->createSubroutineType(lc.DI->getOrCreateTypeArray(diTypes));
  f->setSubprogram(lc.DI->createFunction(lc.cu, name, name, lc.file, 0, diType, 0,
                                         DINode::FlagPrototyped,
                                         DISubprogram::SPFlagOptimized));
  return f;
}

// A kernel struct's pointer for a kfunc's prototype (libbpf matches the name only).
DIType *diStructPointer(LowerContext &lc, const char *name) {
  return lc.DI->createPointerType(
      lc.DI->createStructType(lc.cu, name, lc.file, 0, 0, 0, DINode::FlagZero, nullptr,
                              lc.DI->getOrCreateArray({})),
      64);
}

} // namespace

Value ProbeLowering::findCall(const ast::CallExpr *c) {
  auto *m = ast::as<ast::MapRef>(c->args[0].get());
  auto *var = ast::as<ast::VariableRef>(c->args[2].get());
  const MapLayout &ml = lc.mapLayout(m->name);
  TypeId declared = lc.sema.declarationOf(var).type;
  auto *key = buildKey(ml, keysOf(c));
  auto *p = lookup(ml, key);
  auto *found = B.CreateICmpNE(p, ConstantPointerNull::get(lc.ptr()));
  auto *copy = BasicBlock::Create(lc.ctx, "find_found", fn);
  auto *done = BasicBlock::Create(lc.ctx, "find_end", fn);
  B.CreateCondBr(found, copy, done);
  B.SetInsertPoint(copy);
  llvm::Value *slot = varSlot(var);
  if (ml.info->agg != AggKind::None) // this CPU's slot is there: combine them all
    B.CreateStore(extendInt(aggregationValueAt(ml, key, c->range), declared), slot);
  else if (inMemory(declared)) // a string variable may be longer than the map's strings
    B.CreateMemCpy(slot, MaybeAlign(8), p, MaybeAlign(8),
                   std::min<unsigned>(lc.type(declared).size, ml.valueSize));
  else
    B.CreateStore(extendInt(B.CreateLoad(lc.i64(), p), declared), slot);
  B.CreateBr(done);
  B.SetInsertPoint(done);
  return {lc.sema.typeOf(c), B.CreateZExt(found, lc.i64())};
}

Value ProbeLowering::kfuncAllowedCall(const ast::CallExpr *c) {
  const std::string &name = ast::as<ast::StringLit>(c->args[0].get())->value;
  const LowerContext::ParamSlot &slot =
      lc.kfuncAllowedSlot(name, probeKind(probe.type).section);
  return {lc.sema.typeOf(c), B.CreateLoad(lc.i64(), lc.globalField(slot.field), "kfunc_allowed")};
}

Value ProbeLowering::commOfPidCall(const ast::CallExpr *c) {
  auto *both = static_cast<const ast::TupleExpr *>(lc.sema.expansions.at(c).get());
  auto *commOf = static_cast<const ast::FieldExpr *>(both->elems[0].get());
  TypeId t = lc.sema.typeOf(c);
  unsigned size = lc.type(t).size;
  auto *pid = B.CreateTrunc(expr(c->args[0].get()).v, B.getInt32Ty());
  auto *diTask = diStructPointer(lc, "task_struct");
  auto *buf = temp(size, "comm_of_pid");
  B.CreateMemSet(buf, B.getInt8(0), size, MaybeAlign(8));
  auto *found = BasicBlock::Create(lc.ctx, "comm_task", fn);
  auto *done = BasicBlock::Create(lc.ctx, "comm_end", fn);
  if (sema::mayCallTaskKfuncs(probe.type)) {
    Function *fromPid = kfunc(lc, "bpf_task_from_pid",
                              FunctionType::get(lc.ptr(), {B.getInt32Ty()}, false),
                              {diTask, lc.diInt(32, true)});
    Function *release = kfunc(lc, "bpf_task_release",
                              FunctionType::get(B.getVoidTy(), {lc.ptr()}, false),
                              {nullptr, diTask});
    auto *task = B.CreateCall(fromPid, {pid});
    B.CreateCondBr(B.CreateICmpNE(task, ConstantPointerNull::get(lc.ptr())), found, done);
    B.SetInsertPoint(found);
    lc.callHelper(ProbeReadKernel, lc.i64(), {buf, B.getInt32(size), memberAddress(commOf, task)});
    B.CreateCall(release, {task});
    B.CreateBr(done);
    B.SetInsertPoint(done);
    return {t, buf};
  }
  // The kernel refuses bpf_task_from_pid to raw_tp and kprobe programs but lets every
  // program walk its threads with the task iterator (Linux 6.7+): the first whose pid
  // matches, as bpf_task_from_pid finds a thread by its id.
  auto *pidOf = static_cast<const ast::FieldExpr *>(both->elems[1].get());
  auto *diIter = diStructPointer(lc, "bpf_iter_task");
  Function *iterNew = kfunc(lc, "bpf_iter_task_new",
                            FunctionType::get(B.getInt32Ty(),
                                              {lc.ptr(), lc.ptr(), B.getInt32Ty()}, false),
                            {lc.diInt(32, true), diIter, diTask, lc.diInt(32, false)});
  Function *iterNext = kfunc(lc, "bpf_iter_task_next",
                             FunctionType::get(lc.ptr(), {lc.ptr()}, false), {diTask, diIter});
  Function *iterDestroy = kfunc(lc, "bpf_iter_task_destroy",
                                FunctionType::get(B.getVoidTy(), {lc.ptr()}, false),
                                {nullptr, diIter});
  constexpr uint32_t kAllThreads = 1; // BPF_TASK_ITER_ALL_THREADS
  auto *iter = entryAlloca(ArrayType::get(lc.i64(), 3), "task_iter"); // struct bpf_iter_task
  auto *taskPid = entryAlloca(B.getInt32Ty(), "task_pid");
  B.CreateCall(iterNew, {iter, ConstantPointerNull::get(lc.ptr()), B.getInt32(kAllThreads)});
  auto *next = BasicBlock::Create(lc.ctx, "comm_next", fn);
  auto *check = BasicBlock::Create(lc.ctx, "comm_check", fn);
  B.CreateBr(next);
  B.SetInsertPoint(next);
  auto *task = B.CreateCall(iterNext, {iter});
  B.CreateCondBr(B.CreateICmpNE(task, ConstantPointerNull::get(lc.ptr())), check, done);
  B.SetInsertPoint(check);
  lc.callHelper(ProbeReadKernel, lc.i64(), {taskPid, B.getInt32(4), memberAddress(pidOf, task)});
  B.CreateCondBr(B.CreateICmpEQ(B.CreateLoad(B.getInt32Ty(), taskPid), pid), found, next);
  B.SetInsertPoint(found);
  lc.callHelper(ProbeReadKernel, lc.i64(), {buf, B.getInt32(size), memberAddress(commOf, task)});
  B.CreateBr(done);
  B.SetInsertPoint(done);
  B.CreateCall(iterDestroy, {iter});
  return {t, buf};
}

Value ProbeLowering::inCgroupCall(const ast::CallExpr *c) {
  enum Slot : unsigned { kId, kAnswer, kSlots };
  Value id = expr(c->args[0].get());
  std::string name = fnName + "_in_cgroup" + std::to_string(cgroupWalks++);
  Function *step = createCallback(lc, name, {{"level", false}, {"context", true}}, c->range);
  {
    IRBuilderBase::InsertPointGuard outer(B);
    enterCallback(B, lc, step, c->range);
    llvm::Value *context = step->getArg(1);
    auto *ancestor = lc.callHelper(GetCurrentAncestorCgroupId, lc.i64(),
                                   {B.CreateTrunc(step->getArg(0), B.getInt32Ty())});
    auto *below = BasicBlock::Create(lc.ctx, "in_cgroup_level", step);
    auto *stop = BasicBlock::Create(lc.ctx, "in_cgroup_stop", step);
    auto *found = BasicBlock::Create(lc.ctx, "in_cgroup_found", step);
    B.CreateCondBr(B.CreateICmpEQ(ancestor, B.getInt64(0)), stop, below);
    B.SetInsertPoint(below);
    llvm::Value *wanted = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i64(), context, kId));
    auto *next = BasicBlock::Create(lc.ctx, "in_cgroup_next", step);
    B.CreateCondBr(B.CreateICmpEQ(ancestor, wanted), found, next);
    B.SetInsertPoint(next);
    B.CreateRet(B.getInt64(0)); // bpf_loop goes on to the level below
    B.SetInsertPoint(found);
    B.CreateStore(B.getInt64(1), B.CreateConstGEP1_32(lc.i64(), context, kAnswer));
    B.CreateBr(stop);
    B.SetInsertPoint(stop);
    B.CreateRet(B.getInt64(1)); // bpf_loop stops
    lc.DI->finalizeSubprogram(step->getSubprogram());
  }
  // On the stack: bpf_loop takes its context only there.
  llvm::Value *context = stackTemp(kSlots * 8, "in_cgroup.ctx");
  B.CreateStore(id.v, B.CreateConstGEP1_32(lc.i64(), context, kId));
  B.CreateStore(B.getInt64(0), B.CreateConstGEP1_32(lc.i64(), context, kAnswer));
  // bpf_loop's most steps (2^23): levels no cgroup tree reaches.
  lc.callHelper(BpfLoop, lc.i64(), {B.getInt64(1 << 23), step, context, B.getInt64(0)});
  return {lc.sema.typeOf(c),
          B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i64(), context, kAnswer), "in_cgroup")};
}

} // namespace bt::lower
