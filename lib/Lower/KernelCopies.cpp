// A variable holding a kernel struct or union over 512 bytes (`$t = *curtask`): one
// bpf_probe_read_kernel of the running kernel's size of it (a TYPE_SIZE relocation)
// into a per-CPU array of its own, whose members are then read as they are read in
// the kernel's memory, at their relocated offsets (CoreAccess.cpp). Copied member by
// member at the compile-time layout, as smaller records are, task_struct's hundreds
// of members took LLVM's BPF backend down; and a copy of the kernel's own bytes stays
// right on a kernel whose struct differs from the compile-time BTF's.
#include "KernelBytesRoom.h"
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

bool heldAsKernelBytes(const TypeTable &types, TypeId t) {
  // A for loop's element over a map of them (Sema's kernelTuple): the key, then the copy.
  const Type &tuple = types.get(t);
  if (tuple.isRecord() && tuple.origin == RecordOrigin::Tuple)
    return !tuple.fields.empty() && heldAsKernelBytes(types, tuple.fields.back().type);
  TypeId element = types.declared(t);
  while (types.get(element).isArray())
    element = types.declared(types.get(element).element);
  return hasRelocatedSize(types.get(element)) && types.get(t).size > kMaxMemberCopy;
}

bool ProbeLowering::kernelCopy(TypeId t) const { return heldAsKernelBytes(lc.types(), t); }

bool ProbeLowering::inKernelCopy(const ast::Expr *e) const {
  e = ast::valueRoot(
      e, [&](const ast::Expr *base) { return lc.type(lc.sema.typeOf(base)).isPointer(); });
  return (ast::as<ast::VariableRef>(e) || ast::as<ast::MapRef>(e) ||
          ast::as<ast::TernaryExpr>(e)) &&
         kernelCopy(lc.sema.typeOf(e));
}

// The variable's map value, looked up in the current function's own blocks after its
// entry (a loop body's function looks it up again: it is called with no pointer to it);
// in the probe's function, zeroed before the body runs, as every variable starts.
llvm::Value *ProbeLowering::kernelCopySlot(DeclId id) {
  TypeId declared = lc.sema.scopes.declaration(id).type;
  auto [map, fresh] = kernelCopyMaps.try_emplace(id, nullptr);
  if (fresh) {
    std::string name;
    for (unsigned n = 0; name.empty() || lc.module->getNamedGlobal(name); ++n)
      name = "bt_copy_" + std::to_string(n);
    map->second = defineBtfMap(lc, name,
                               {{"type", uintAttr(lc, uint32_t(obj::MapType::PercpuArray))},
                                {"max_entries", uintAttr(lc, 1)},
                                {"key", lc.diInt(32, false)},
                                {"value", lc.diBytes(kernelBytesRoom(lc.type(declared).size))}});
  }
  IRBuilderBase::InsertPointGuard guard(B);
  B.SetCurrentDebugLocation(probeLocation());
  // The entry block's way to the body: through bt_scratch's lookup where it has one
  // (ScratchFrame: a conditional branch whose second way is on).
  auto *branch = llvm::cast<BranchInst>(entry->getTerminator());
  while (branch->isConditional())
    branch = llvm::cast<BranchInst>(branch->getSuccessor(1)->getTerminator());
  BasicBlock *body = branch->getSuccessor(0);
  auto *lookupBlock = BasicBlock::Create(lc.ctx, "copy_lookup", fn, body);
  auto *ready = BasicBlock::Create(lc.ctx, "copy_ready", fn, body);
  auto *none = BasicBlock::Create(lc.ctx, "copy_none", fn, body);
  branch->setSuccessor(0, lookupBlock);
  auto *key = entryAlloca(B.getInt32Ty(), "copy.key");
  B.SetInsertPoint(lookupBlock);
  B.CreateStore(B.getInt32(0), key);
  CallInst *place = lc.callHelper(MapLookupElem, lc.ptr(), {map->second, key});
  place->addRetAttr(Attribute::getWithAlignment(lc.ctx, Align(8)));
  B.CreateCondBr(B.CreateIsNull(place), none, ready);
  B.SetInsertPoint(none);
  B.CreateRet(B.getInt64(0)); // an array's element: never taken, but checked
  B.SetInsertPoint(ready);
  if (callbacks.empty())
    kernelBytesInto(place, declared, nullptr, false);
  B.CreateBr(body);
  vars[id] = place;
  return place;
}

// The running kernel's size of the struct (or array of them) from `src` into `dst`; from
// no address, zeroes (the helper zeroes what it fails to read).
void ProbeLowering::kernelBytesInto(llvm::Value *dst, TypeId t, llvm::Value *src, bool user) {
  llvm::Value *size = B.CreateTrunc(stride(t), B.getInt32Ty());
  if (!src)
    src = ConstantPointerNull::get(lc.ptr());
  lc.callHelper(user ? ProbeReadUser : ProbeReadKernel, lc.i64(), {dst, size, src});
}

// `$t = e`: e is a kernel address (`*curtask`) or another such variable's copy, which
// lies in kernel memory as well; or a tuple ending in such a struct.
void ProbeLowering::kernelCopyInto(const ast::Expr *e, llvm::Value *dst, TypeId declared) {
  // `(pid, *curtask)`: built in place, the struct read into its element.
  if (auto *tuple = e ? ast::as<ast::TupleExpr>(e) : nullptr)
    return tupleInto(tuple, dst, declared);
  if (!e)
    return kernelBytesInto(dst, declared, nullptr, false);
  Value v = expr(e);
  llvm::Value *src = v.v->getType()->isPointerTy() ? v.v : B.CreateIntToPtr(v.v, lc.ptr());
  // A ternary's bytes are its branches' (Sema unified their address spaces).
  while (auto *t = ast::as<ast::TernaryExpr>(e))
    e = t->thenExpr.get();
  kernelBytesInto(dst, declared, src, userMemory(e));
}

// `c ? *curtask : *curtask->parent`: the taken branch's address, not a copy (too big
// for the stack); what reads the ternary reads there.
Value ProbeLowering::kernelBytesTernary(const ast::TernaryExpr *t, llvm::Value *cond) {
  auto *thenBB = BasicBlock::Create(lc.ctx, "tern_then", fn);
  auto *elseBB = BasicBlock::Create(lc.ctx, "tern_else", fn);
  auto *done = BasicBlock::Create(lc.ctx, "tern_end", fn);
  B.CreateCondBr(cond, thenBB, elseBB);
  auto arm = [&](const ast::Expr *e, BasicBlock *bb) -> std::pair<llvm::Value *, BasicBlock *> {
    B.SetInsertPoint(bb);
    llvm::Value *at = expr(e).v;
    if (at->getType()->isPointerTy())
      at = B.CreatePtrToInt(at, lc.i64());
    B.CreateBr(done);
    return {at, B.GetInsertBlock()};
  };
  auto [tv, tbb] = arm(t->thenExpr.get(), thenBB);
  auto [ev, ebb] = arm(t->elseExpr.get(), elseBB);
  B.SetInsertPoint(done);
  auto *phi = B.CreatePHI(lc.i64(), 2, "tern.at");
  phi->addIncoming(tv, tbb);
  phi->addIncoming(ev, ebb);
  return {lc.sema.typeOf(t), B.CreateIntToPtr(phi, lc.ptr())};
}

} // namespace bt::lower
