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
// in_cgroup(id): the cgroup bpf_cgroup_from_id finds (a reference, released at once) and
// bpf_task_under_cgroup of the current task (bpf_get_current_task_btf: a trusted pointer,
// as the kfunc needs), as upstream's stdlib does; 0 for an id no cgroup has.
#include "ProbeLowering.h"

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
  auto *commOf = static_cast<const ast::FieldExpr *>(lc.sema.expansions.at(c).get());
  TypeId t = lc.sema.typeOf(c);
  unsigned size = lc.type(t).size;
  Value pid = expr(c->args[0].get());
  auto *diTask = diStructPointer(lc, "task_struct");
  Function *fromPid = kfunc(lc, "bpf_task_from_pid",
                            FunctionType::get(lc.ptr(), {B.getInt32Ty()}, false),
                            {diTask, lc.diInt(32, true)});
  Function *release = kfunc(lc, "bpf_task_release",
                            FunctionType::get(B.getVoidTy(), {lc.ptr()}, false),
                            {nullptr, diTask});
  auto *buf = temp(size, "comm_of_pid");
  B.CreateMemSet(buf, B.getInt8(0), size, MaybeAlign(8));
  auto *task = B.CreateCall(fromPid, {B.CreateTrunc(pid.v, B.getInt32Ty())});
  auto *found = BasicBlock::Create(lc.ctx, "comm_task", fn);
  auto *done = BasicBlock::Create(lc.ctx, "comm_end", fn);
  B.CreateCondBr(B.CreateICmpNE(task, ConstantPointerNull::get(lc.ptr())), found, done);
  B.SetInsertPoint(found);
  lc.callHelper(ProbeReadKernel, lc.i64(), {buf, B.getInt32(size), memberAddress(commOf, task)});
  B.CreateCall(release, {task});
  B.CreateBr(done);
  B.SetInsertPoint(done);
  return {t, buf};
}

Value ProbeLowering::inCgroupCall(const ast::CallExpr *c) {
  Value id = expr(c->args[0].get());
  auto *diCgroup = diStructPointer(lc, "cgroup");
  auto *diTask = diStructPointer(lc, "task_struct");
  Function *fromId = kfunc(lc, "bpf_cgroup_from_id",
                           FunctionType::get(lc.ptr(), {lc.i64()}, false),
                           {diCgroup, lc.diInt(64, false)});
  Function *underCgroup = kfunc(lc, "bpf_task_under_cgroup",
                                FunctionType::get(lc.i64(), {lc.ptr(), lc.ptr()}, false),
                                {lc.diInt(64, true), diTask, diCgroup});
  Function *release = kfunc(lc, "bpf_cgroup_release",
                            FunctionType::get(B.getVoidTy(), {lc.ptr()}, false),
                            {nullptr, diCgroup});
  auto *cgroup = B.CreateCall(fromId, {id.v});
  BasicBlock *none = B.GetInsertBlock();
  auto *found = BasicBlock::Create(lc.ctx, "in_cgroup_found", fn);
  auto *done = BasicBlock::Create(lc.ctx, "in_cgroup_end", fn);
  B.CreateCondBr(B.CreateICmpNE(cgroup, ConstantPointerNull::get(lc.ptr())), found, done);
  B.SetInsertPoint(found);
  auto *task = lc.callHelper(GetCurrentTaskBtf, lc.ptr(), {});
  auto *under = B.CreateCall(underCgroup, {task, cgroup});
  B.CreateCall(release, {cgroup});
  auto *isUnder = B.CreateZExt(B.CreateICmpEQ(under, B.getInt64(1)), lc.i64());
  BasicBlock *answered = B.GetInsertBlock();
  B.CreateBr(done);
  B.SetInsertPoint(done);
  auto *result = B.CreatePHI(lc.i64(), 2, "in_cgroup");
  result->addIncoming(B.getInt64(0), none);
  result->addIncoming(isUnder, answered);
  return {lc.sema.typeOf(c), result};
}

} // namespace bt::lower
