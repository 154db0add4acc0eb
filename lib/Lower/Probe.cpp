// One BPF program per attachment: the function, its prologue (arming flag and
// predicate), statements, and the scratch slots whose lifetimes statements own.
#include "ProbeLowering.h"

#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Intrinsics.h"

namespace bt::lower {

using namespace llvm;

ProbeLowering::ProbeLowering(LowerContext &lc, const ProbeInfo &probe,
                             const Attachment &attachment, const std::string &fnName)
    : lc(lc), B(lc.B), probe(probe), att(attachment), fnName(fnName) {}

void ProbeLowering::setLocation(SourceRange r) {
  currentRange = r;
  if (!sp)
    return;
  // A location in another file than the function's (a macro or a probe of an imported
  // script) is in a lexical block of that file, so that BTF line info names it.
  DIFile *in = lc.diFile(r.begin.file);
  DIScope *scope = sp;
  if (in != sp->getFile())
    scope = lc.DI->createLexicalBlockFile(sp, in);
  B.SetCurrentDebugLocation(DILocation::get(lc.ctx, r.begin.line, r.begin.col, scope));
}

AllocaInst *ProbeLowering::entryAlloca(llvm::Type *ty, const std::string &name) {
  IRBuilder<> eb(entry, entry->begin());
  auto *a = eb.CreateAlloca(ty, nullptr, name);
  a->setAlignment(Align(8));
  return a;
}

llvm::Value *ProbeLowering::temp(unsigned size, const std::string &name) {
  if (size > lc.sema.options.onStackLimit)
    return scratchTemp(size, name);
  return stackTemp(size, name);
}

llvm::Value *ProbeLowering::stackTemp(unsigned size, const std::string &name) {
  auto *a = entryAlloca(ArrayType::get(lc.i8(), size), name);
  lifetimeStart(a, size);
  zero(a, size);
  if (name == lc.options.endLifetimeEarly)
    lifetimeEnd(a, size);
  temps.push_back({a, 0});
  return a;
}

// The same value (an integer or a pointer), of which LLVM then knows nothing: it keeps a
// bound LLVM proves redundant but the verifier needs, keeps two globals' addresses from
// being taken for distinct, and keeps a stack buffer that is read a byte at a time from
// being split into a value per byte, all loaded at once and spilled past the stack.
llvm::CallInst *ProbeLowering::opaque(llvm::Value *v, bool pinned) {
  auto *empty = InlineAsm::get(FunctionType::get(v->getType(), {v->getType()}, false), "",
                               "=r,0", /*hasSideEffects=*/pinned);
  return B.CreateCall(empty, {v});
}

void ProbeLowering::endTemps(size_t mark) {
  bool ended = B.GetInsertBlock()->getTerminator() != nullptr;
  while (temps.size() > mark) {
    Temp t = temps.back();
    temps.pop_back();
    if (!t.stack)
      scratchTop = t.scratchTop;
    else if (!ended)
      lifetimeEnd(t.stack, (unsigned)t.stack->getAllocatedType()->getArrayNumElements());
  }
}

void ProbeLowering::ret0() {
  chainNextHandler();
  B.CreateRet(B.getInt64(0));
}

void ProbeLowering::startDeadBlock() {
  B.SetInsertPoint(BasicBlock::Create(lc.ctx, "dead", fn));
}

llvm::Value *ProbeLowering::varSlot(const ast::VariableRef *v) {
  return declSlot(lc.sema.declarationIdOf(v));
}

llvm::Value *ProbeLowering::declSlot(DeclId id) {
  auto it = vars.find(id);
  if (it != vars.end())
    return it->second;
  // In bt_scratch at the same place in the probe and in its loops' bodies.
  if (auto s = scratchVars.find(id); s != scratchVars.end())
    return vars[id] = scratchVar(id, 0);
  if (kernelCopy(lc.sema.scopes.declaration(id).type))
    return kernelCopySlot(id);
  // In a for loop's body, the probe's variables are the caller's (Loop.cpp). One too big
  // for the stack goes in bt_scratch even when the body names it first: captured, it was
  // the caller's through a pointer of unknown alignment, and copies from it went byte by
  // byte, their loads spilled past the 512-byte stack the body shares with its caller.
  if (!callbacks.empty()) {
    const Declaration &d = lc.sema.scopes.declaration(id);
    lc.lowerable(d.type, d.defined);
    if (unsigned size = slotSize(d.type); size > lc.sema.options.onStackLimit)
      return vars[id] = scratchVar(id, size);
    return capturedSlot(id);
  }
  return localSlot(id);
}

// A variable holding an array (of other than structs) holds its address: 8 bytes
// however big the array, whose bytes have a place of their own (heldArray, zeroedArray).
unsigned ProbeLowering::slotSize(TypeId t) const {
  if (lc.type(t).isArray() && !copiedAsRecord(t))
    return 8;
  return storageOf(lc.types(), t).size;
}

llvm::Value *ProbeLowering::localSlot(DeclId id) {
  const Declaration &d = lc.sema.scopes.declaration(id);
  lc.lowerable(d.type, d.defined);
  unsigned size = slotSize(d.type);
  if (size > lc.sema.options.onStackLimit)
    return vars[id] = scratchVar(id, size);
  const std::string &name = d.name;
  bool isBytes = inMemory(d.type);
  AllocaInst *a = isBytes ? entryAlloca(ArrayType::get(lc.i8(), size), name)
                           : entryAlloca(lc.i64(), name);
  // Variables live for the whole program: no lifetime markers, zeroed once
  // in the entry block (which always ends in its branch to the body).
  IRBuilder<> eb(entry->getTerminator());
  eb.SetCurrentDebugLocation(B.getCurrentDebugLocation());
  if (isBytes)
    eb.CreateMemSet(a, eb.getInt8(0), size, MaybeAlign(8));
  else
    eb.CreateStore(eb.getInt64(0), a);
  vars[id] = a;
  return a;
}

void ProbeLowering::run() {
  startFunction(dispatch ? std::string("raw_tp/") + (dispatch->exit ? "sys_exit" : "sys_enter")
                         : att.section);
  // BEGIN, END and self run when btrun runs them, never before arming.
  if (lc.options.syncStart && !runsInBtrun(probe.type) && !pinnedIterator())
    returnUnlessArmed();
  if (probe.type == ProbeType::Iter)
    skipIteratorEnd();
  if (probe.probe->predicate) {
    setLocation(probe.probe->predicate->range);
    auto *c = condition(probe.probe->predicate.get());
    auto *go = BasicBlock::Create(lc.ctx, "pred_true", fn);
    auto *stop = BasicBlock::Create(lc.ctx, "pred_false", fn);
    B.CreateCondBr(c, go, stop);
    B.SetInsertPoint(stop);
    ret0();
    B.SetInsertPoint(go);
  }
  block(probe.probe->body);
  finishFunction();
}

void ProbeLowering::returnUnlessArmed() {
  returnIfZero(B.CreateLoad(lc.i64(), lc.globalField(kArmedIndex), "armed"), "armed",
               "disarmed");
}

void ProbeLowering::returnIfZero(llvm::Value *value, const char *go, const char *stop) {
  auto *goBlock = BasicBlock::Create(lc.ctx, go, fn);
  auto *stopBlock = BasicBlock::Create(lc.ctx, stop, fn);
  B.CreateCondBr(B.CreateICmpNE(value, B.getInt64(0)), goBlock, stopBlock);
  B.SetInsertPoint(stopBlock);
  ret0();
  B.SetInsertPoint(goBlock);
}

void ProbeLowering::finishFunction() {
  if (!B.GetInsertBlock()->getTerminator()) {
    setLocation({probe.probe->range.end, probe.probe->range.end});
    ret0();
  }
  foldRepeatedLookups();
  finishScratch();
  lc.DI->finalizeSubprogram(sp);
  B.SetCurrentDebugLocation(DebugLoc());
}

void ProbeLowering::startFunction(const std::string &section) {
  auto &DI = *lc.DI;
  fn = Function::Create(FunctionType::get(lc.i64(), {lc.ptr()}, false),
                        GlobalValue::ExternalLinkage, fnName, *lc.module);
  fn->setSection(section);
  fn->addFnAttr(Attribute::NoUnwind); // no .eh_frame in the object
  unsigned line = probe.probe->range.begin.line;
  auto *voidPtr = DI.createPointerType(nullptr, 64);
  auto *fnTy = DI.createSubroutineType(DI.getOrCreateTypeArray({lc.diInt(64, true), voidPtr}));
  sp = DI.createFunction(lc.cu, fnName, fnName, lc.diFile(probe.probe->range.begin.file), line,
                         fnTy, line,
                         DINode::FlagPrototyped, DISubprogram::SPFlagDefinition);
  fn->setSubprogram(sp);
  // AlwaysPreserve: without it the FUNC's parameter is dropped from BTF and the
  // kernel rejects the object's BTF (TOOLCHAIN-NOTES).
  DI.createParameterVariable(sp, "ctx", 1, sp->getFile(), line, voidPtr, true);
  ctxArg = fn->getArg(0);
  ctxArg->setName("ctx");

  entry = BasicBlock::Create(lc.ctx, "entry", fn);
  auto *body = BasicBlock::Create(lc.ctx, "body", fn);
  B.SetInsertPoint(entry);
  setLocation(probe.probe->range);
  B.CreateBr(body);
  B.SetInsertPoint(body);
}

void ProbeLowering::block(const ast::StmtList &stmts) {
  for (const auto &s : stmts)
    stmt(s.get());
}

void ProbeLowering::stmt(const ast::Stmt *s) {
  using namespace ast;
  setLocation(s->range);
  size_t mark = temps.size();
  switch (s->kind) {
  case StmtKind::Expr: {
    const ast::Expr *e = static_cast<const ExprStmt *>(s)->expr.get();
    // `args;` alone: Sema makes no record of it, there is nothing to read.
    if (e->kind == ExprKind::Builtin &&
        lc.type(lc.sema.typeOf(e)).kind == TypeKind::TracepointArgs)
      break;
    expr(e);
    break;
  }
  case StmtKind::AssignVar:
    assignVar(static_cast<const AssignVarStmt *>(s));
    break;
  case StmtKind::AssignMap:
    assignMap(static_cast<const AssignMapStmt *>(s));
    break;
  case StmtKind::If:
    ifStmt(static_cast<const IfStmt *>(s));
    break;
  case StmtKind::Unroll: {
    auto *u = static_cast<const UnrollStmt *>(s);
    int64_t n = lc.sema.constants.at(u->count.get());
    for (int64_t i = 0; i < n; ++i)
      block(u->body);
    break;
  }
  case StmtKind::While:
    whileStmt(static_cast<const WhileStmt *>(s));
    break;
  case StmtKind::Jump: {
    auto *j = static_cast<const JumpStmt *>(s);
    bool inFunction = j->jump == JumpKind::Return && !functionFrames.empty();
    if (inFunction)
      functionResult(j);
    // A test probe's result (Sema allows it there, outside loops): what btrun --test reads.
    llvm::Value *testResult = !inFunction && j->value ? expr(j->value.get()).v : nullptr;
    endTemps(mark);
    if (inFunction) {
      returnFromFunction();
    } else if (testResult) {
      chainNextHandler();
      B.CreateRet(testResult);
    } else if (j->jump == JumpKind::Return) {
      returnFromProbe();
    }
    else
      B.CreateBr(j->jump == JumpKind::Break ? loops.back().brk : loops.back().cont);
    startDeadBlock();
    return;
  }
  case StmtKind::Block:
    block(static_cast<const BlockStmt *>(s)->body);
    break;
  case StmtKind::For:
    forStmt(static_cast<const ast::ForStmt *>(s));
    break;
  case StmtKind::VarDecl:
    varDecl(static_cast<const VarDeclStmt *>(s));
    break;
  }
  endTemps(mark);
}

static Instruction::BinaryOps arithOp(ast::BinaryOp op, bool isSigned) {
  switch (op) {
  case ast::BinaryOp::Add: return Instruction::Add;
  case ast::BinaryOp::Sub: return Instruction::Sub;
  case ast::BinaryOp::Mul: return Instruction::Mul;
  case ast::BinaryOp::Div: return Instruction::UDiv;
  case ast::BinaryOp::Mod: return Instruction::URem;
  case ast::BinaryOp::BitAnd: return Instruction::And;
  case ast::BinaryOp::BitOr: return Instruction::Or;
  case ast::BinaryOp::BitXor: return Instruction::Xor;
  case ast::BinaryOp::Shl: return Instruction::Shl;
  case ast::BinaryOp::Shr: return isSigned ? Instruction::AShr : Instruction::LShr;
  default: llvm_unreachable("not a compound-assignment operator");
  }
}

void ProbeLowering::assignVar(const ast::AssignVarStmt *a) {
  TypeId declared = lc.sema.declarationOf(a->var.get()).type;
  const Type &vt = lc.type(declared);
  llvm::Value *slot = varSlot(a->var.get());
  if (kernelCopy(declared)) {
    kernelCopyInto(a->value.get(), slot, declared);
  } else if (copiedAsRecord(declared)) {
    recordInto(a->value.get(), slot);
  } else if (inMemory(declared)) {
    storeValue(slot, declared, expr(a->value.get()));
  } else if (vt.isArray()) {
    B.CreateStore(heldArray(a->value.get()), slot);
  } else {
    Value v = expr(a->value.get());
    llvm::Value *nv = v.v;
    if (a->compound && vt.isPointer()) {
      nv = pointerStep(a->op, B.CreateLoad(lc.i64(), slot), vt.pointee, v.v);
    } else if (a->compound) {
      auto *old = B.CreateLoad(lc.i64(), slot);
      nv = B.CreateBinOp(arithOp(a->op, vt.isSigned && lc.type(v.type).isSigned), old, v.v);
    }
    // The variable keeps its type: a value of another integer type is converted to it.
    B.CreateStore(extendInt(nv, declared), slot);
  }
  if (a->var->name == lc.options.endLifetimeEarly)
    lifetimeEnd(slot, slotSize(declared));
}

void ProbeLowering::assignMap(const ast::AssignMapStmt *a) {
  const MapLayout &ml = lc.mapLayout(a->map->name);
  if (ml.info->agg != AggKind::None) {
    aggregate(a->map.get(), static_cast<const ast::CallExpr *>(a->value.get()));
    return;
  }
  if (kernelCopy(ml.info->value)) {
    // The kernel's bytes into a per-CPU array of the map's value size (Maps.cpp), which
    // then goes in as the value: too big for the stack.
    std::string name = "bt_mapcopy_" + ml.bpfName;
    llvm::GlobalVariable *buffer = lc.module->getNamedGlobal(name);
    if (!buffer)
      buffer = defineBtfMap(lc, name,
                            {{"type", uintAttr(lc, uint32_t(obj::MapType::PercpuArray))},
                             {"max_entries", uintAttr(lc, 1)},
                             {"key", lc.diInt(32, false)},
                             {"value", lc.diBytes(ml.valueSize)}});
    auto *index = temp(4, "copy.key");
    B.CreateStore(B.getInt32(0), index);
    CallInst *place = lc.callHelper(MapLookupElem, lc.ptr(), {buffer, index});
    auto *ready = BasicBlock::Create(lc.ctx, "map_copy_ready", fn);
    auto *done = BasicBlock::Create(lc.ctx, "map_copy_end", fn);
    B.CreateCondBr(B.CreateIsNull(place), done, ready); // an array's element: never null
    B.SetInsertPoint(ready);
    kernelCopyInto(a->value.get(), place, ml.info->value);
    llvm::Value *key = buildKey(ml, a->map.get());
    mapWritten(ml.info->name);
    updateMap(ml, key, place);
    B.CreateBr(done);
    B.SetInsertPoint(done);
    return;
  }
  if (copiedAsRecord(ml.info->value) || lc.type(ml.info->value).isArray()) {
    auto *val = temp(ml.valueSize, "val." + ml.info->name);
    if (copiedAsRecord(ml.info->value))
      recordInto(a->value.get(), val);
    else
      arrayBytesInto(a->value.get(), val);
    llvm::Value *key = buildKey(ml, a->map.get());
    mapWritten(ml.info->name);
    updateMap(ml, key, val);
    return;
  }
  Value v = expr(a->value.get());
  llvm::Value *key = buildKey(ml, a->map.get());
  if (a->compound) {
    Value old = mapRead(a->map.get());
    const Type &ot = lc.type(old.type);
    v.v = ot.isPointer()
              ? pointerStep(a->op, old.v, ot.pointee, v.v)
              : B.CreateBinOp(arithOp(a->op, ot.isSigned && lc.type(v.type).isSigned), old.v,
                              v.v);
    v.type = old.type;
  }
  mapWrite(ml, key, v);
}

void ProbeLowering::ifStmt(const ast::IfStmt *s) {
  if (auto taken = lc.sema.comptimeBranches.find(s); taken != lc.sema.comptimeBranches.end()) {
    block(taken->second ? s->thenBody : s->elseBody);
    return;
  }
  auto *c = condition(s->cond.get());
  auto *thenBB = BasicBlock::Create(lc.ctx, "if_then", fn);
  auto *elseBB = BasicBlock::Create(lc.ctx, "if_else", fn);
  auto *done = BasicBlock::Create(lc.ctx, "if_end", fn);
  B.CreateCondBr(c, thenBB, elseBB);
  B.SetInsertPoint(thenBB);
  block(s->thenBody);
  if (!B.GetInsertBlock()->getTerminator())
    B.CreateBr(done);
  B.SetInsertPoint(elseBB);
  block(s->elseBody);
  if (!B.GetInsertBlock()->getTerminator())
    B.CreateBr(done);
  B.SetInsertPoint(done);
  setLocation(s->range);
}

void ProbeLowering::whileStmt(const ast::WhileStmt *s) {
  loopBoundary();
  auto *condBB = BasicBlock::Create(lc.ctx, "while_cond", fn);
  auto *bodyBB = BasicBlock::Create(lc.ctx, "while_body", fn);
  auto *done = BasicBlock::Create(lc.ctx, "while_end", fn);
  B.CreateBr(condBB);
  B.SetInsertPoint(condBB);
  setLocation(s->cond->range);
  B.CreateCondBr(condition(s->cond.get()), bodyBB, done);
  B.SetInsertPoint(bodyBB);
  loops.push_back({condBB, done});
  block(s->body);
  loops.pop_back();
  if (!B.GetInsertBlock()->getTerminator())
    B.CreateBr(condBB);
  B.SetInsertPoint(done);
  setLocation(s->range);
  loopBoundary();
}

void lowerProbes(LowerContext &lc) {
  // Several BEGIN/END probes run in script order: BEGIN, BEGIN_2, ...
  unsigned begins = 0, ends = 0;
  for (size_t p = 0; p < lc.sema.probes.size(); ++p) {
    const ProbeInfo &pi = lc.sema.probes[p];
    if (sharesProgram(pi)) { // one program, named for every attachment
      std::string name = "bt_p" + std::to_string(p);
      Attachment first = pi.attachments[0];
      first.section = sharedSection(pi);
      ProbeLowering pl(lc, pi, first, name);
      pl.shared = true;
      pl.run();
      lc.programNames.insert(lc.programNames.end(), pi.attachments.size(), name);
      continue;
    }
    if (size_t first = lc.programNames.size(); sharesDispatch(lc, pi, first)) {
      std::string name = "bt_p" + std::to_string(p);
      ProbeLowering pl(lc, pi, pi.attachments[0], name);
      pl.shared = true;
      for (size_t a = 0; a < pi.attachments.size(); ++a) {
        pl.dispatchGroup.push_back(&*lc.dispatch[first + a]);
        if (!pl.dispatch || pl.dispatchGroup.back()->next) // one with the next level's table
          pl.dispatch = pl.dispatchGroup.back();
      }
      pl.run();
      lc.programNames.insert(lc.programNames.end(), pi.attachments.size(), name);
      continue;
    }
    for (size_t a = 0; a < pi.attachments.size(); ++a) {
      auto special = [](const char *base, unsigned n) {
        return n == 1 ? std::string(base) : base + ("_" + std::to_string(n));
      };
      std::string name = pi.type == ProbeType::Begin ? special("BEGIN", ++begins)
                         : pi.type == ProbeType::End ? special("END", ++ends)
                                                     : "bt_p" + std::to_string(p) + "_" +
                                                           std::to_string(a);
      ProbeLowering pl(lc, pi, pi.attachments[a], name);
      const auto &slot = lc.dispatch[lc.programNames.size()];
      pl.dispatch = slot ? &*slot : nullptr;
      pl.run();
      lc.programNames.push_back(name);
      if (pi.attachments[a].watchArgument) {
        ProbeLowering arm(lc, pi, pi.attachments[a], watchpointArmProgram(name));
        arm.runWatchpointArm(name);
      }
    }
  }
}

} // namespace bt::lower
