// Values too big for the 512-byte BPF stack (a struct of up to 512 bytes held in a
// variable, an event that prints one, a map key or value that holds one) live in
// bt_scratch, a per-CPU array with one element per program that needs it: a program
// runs once at a time on a CPU (the kernel does not nest a program in itself), and
// programs that interrupt one another use their own elements. The element holds the
// program's big variables (and the big arrays variables hold copies of) first, for the
// whole run, then its big temporaries, taken
// and given back as the statements that own them start and end.
#include "ProbeLowering.h"

#include "llvm/Support/MathExtras.h"

namespace bt::lower {

using namespace llvm;

namespace {

constexpr unsigned kMaxScratchBytes = 32768; // the kernel's largest per-CPU value

// One call however big: splitMemIntrinsics (MemChunks.cpp) cuts it for the backend.
void zeroBytes(IRBuilder<> &b, llvm::Value *p, unsigned size) {
  b.CreateMemSet(p, b.getInt8(0), size, MaybeAlign(8));
}

} // namespace

// The probe's line in the current function (which may not be the one B is in).
DebugLoc ProbeLowering::probeLocation() const {
  return DILocation::get(lc.ctx, probe.probe->range.begin.line, probe.probe->range.begin.col,
                         fn->getSubprogram());
}

// The current function's view of the element: looked up once in its entry block; a
// function of a loop body looks it up again (it is called with no pointer to it).
ProbeLowering::ScratchFrame &ProbeLowering::scratchFrame() {
  ScratchFrame &f = scratchFrames[fn];
  if (f.base)
    return f;
  if (!scratchIndex)
    scratchIndex = lc.scratchElements++;
  if (!lc.scratch)
    lc.scratch = new GlobalVariable(*lc.module, lc.i8(), false, GlobalValue::ExternalLinkage,
                                    nullptr, "bt_scratch.unsized");
  IRBuilderBase::InsertPointGuard guard(B);
  B.SetCurrentDebugLocation(probeLocation());
  auto *branch = llvm::cast<BranchInst>(entry->getTerminator());
  BasicBlock *body = branch->getSuccessor(0);
  auto *key = entryAlloca(B.getInt32Ty(), "scratch.key");
  B.SetInsertPoint(branch);
  B.CreateStore(B.getInt32(*scratchIndex), key);
  // The kernel aligns a map value to 8 bytes: said here, LLVM copies a string into a key
  // (8-byte slots) in words, where a byte-wise copy's loads went all at once and spilled.
  CallInst *lookup = lc.callHelper(MapLookupElem, lc.ptr(), {lc.scratch, key});
  lookup->addRetAttr(Attribute::getWithAlignment(lc.ctx, Align(8)));
  f.base = lookup;
  f.ready = BasicBlock::Create(lc.ctx, "scratch_ready", fn, body);
  auto *none = BasicBlock::Create(lc.ctx, "scratch_none", fn, body);
  B.CreateCondBr(B.CreateIsNull(f.base), none, f.ready);
  branch->eraseFromParent();
  B.SetInsertPoint(none);
  B.CreateRet(B.getInt64(0)); // an array's element: never taken, but checked
  B.SetInsertPoint(f.ready);
  // Where temporaries start is known once every variable is: finishScratch sets it.
  f.temps = llvm::cast<GetElementPtrInst>(B.CreateGEP(lc.i8(), f.base, B.getInt64(0), "scratch.temps"));
  B.CreateBr(body);
  return f;
}

llvm::Value *ProbeLowering::scratchTemp(unsigned size, const std::string &name) {
  ScratchFrame &f = scratchFrame();
  unsigned at = scratchTop;
  scratchTop += unsigned(alignTo(size, 8));
  // Temporaries this big are strings (and the tuples, keys and events that hold them).
  noteScratch(size, "'" + name + "'", true);
  scratchHigh = std::max(scratchHigh, scratchTop);
  temps.push_back({nullptr, at});
  // The element's temporaries through a pinned empty asm: statements reuse the same
  // offsets, and one address computed once for all of them lived across the whole probe,
  // each in a register or spilled to the stack (a probe of twelve string-keyed updates
  // spilled 59 of them past 512 bytes).
  CallInst *fresh = opaque(f.temps, /*pinned=*/true);
  fresh->addRetAttr(Attribute::getWithAlignment(lc.ctx, Align(8)));
  auto *p = B.CreateConstGEP1_32(lc.i8(), fresh, at, name);
  zeroBytes(B, p, size);
  return p;
}

// A variable: zeroed once before the probe's body, at the same offset in every
// function of the program (size is not read once the variable has its place).
llvm::Value *ProbeLowering::scratchVar(DeclId id, unsigned size) {
  auto [it, fresh] = scratchVars.try_emplace(id, scratchVarBytes);
  const auto &d = lc.sema.scopes.declaration(id);
  if (fresh)
    noteScratch(size, d.name + " (" + lc.type(d.type).str() + ")", !lc.type(d.type).isArray() &&
                                                                     !copiedAsRecord(d.type));
  return scratchPlace(it->second, fresh, size, d.name);
}

llvm::Value *ProbeLowering::scratchCopy(const ast::Expr *e, unsigned size) {
  auto [it, fresh] = scratchCopies.try_emplace(e, scratchVarBytes);
  if (fresh)
    noteScratch(size, "a copy of " + lc.type(lc.sema.typeOf(e)).str(), false);
  return scratchPlace(it->second, fresh, size, "array.copy");
}

void ProbeLowering::noteScratch(unsigned size, std::string what, bool string) {
  if (size > scratchLargest.size)
    scratchLargest = {size, std::move(what), string};
}

// The place at `at` among the variables, zeroed before the body the first time.
llvm::Value *ProbeLowering::scratchPlace(unsigned at, bool fresh, unsigned size,
                                         const std::string &name) {
  if (fresh) {
    scratchVarBytes += unsigned(alignTo(size, 8));
    llvm::Function *current = fn;
    BasicBlock *currentEntry = entry;
    fn = lc.module->getFunction(fnName);
    entry = &fn->getEntryBlock();
    ScratchFrame &program = scratchFrame();
    IRBuilder<> pb(program.ready->getTerminator());
    pb.SetCurrentDebugLocation(probeLocation());
    zeroBytes(pb, pb.CreateConstGEP1_32(lc.i8(), program.base, at, name), size);
    fn = current;
    entry = currentEntry;
  }
  ScratchFrame &f = scratchFrame();
  IRBuilder<> fb(f.ready->getTerminator());
  fb.SetCurrentDebugLocation(B.getCurrentDebugLocation());
  return fb.CreateConstGEP1_32(lc.i8(), f.base, at, name);
}

// Why the probe's scratch element is over what a per-CPU value holds, located. A
// variable holding a string longer than max_strlen (`let $s: string[N]`, or one given
// such a value) is named at its declaration: lowering max_strlen would not help.
Diagnostic ProbeLowering::scratchTooBig(unsigned need) const {
  unsigned strlen = lc.sema.options.strlen;
  std::string tooBig = "values too big for the BPF stack need " + std::to_string(need) +
                       " bytes at once, more than the " + std::to_string(kMaxScratchBytes) +
                       " a per-CPU map value holds";
  for (const auto &[id, offset] : scratchVars) {
    const auto &d = lc.sema.scopes.declaration(id);
    const Type &t = lc.type(d.type);
    if (t.isString() && t.size > strlen)
      return {Severity::Error, d.defined,
              d.name + " holds a " + t.str() + ", longer than max_strlen's " +
                  std::to_string(strlen) + ", and this probe's " + tooBig +
                  ": declare it smaller"};
  }
  // At the probe's first character: its whole range would underline the rest of its line.
  SourceLoc at = probe.probe->range.begin;
  return {Severity::Error, {at, at},
          "this probe's " + tooBig +
              (scratchLargest.string
                   ? " (max_strlen is " + std::to_string(strlen) +
                         "; hold fewer strings at once, or lower it)"
                   : " (the largest, " + scratchLargest.what + ", is " +
                         std::to_string(scratchLargest.size) +
                         " bytes, no string: copy less of it, or read its elements where it "
                         "lives)")};
}

void ProbeLowering::finishScratch() {
  if (!scratchIndex)
    return;
  for (auto &[function, f] : scratchFrames)
    f.temps->setOperand(1, B.getInt64(scratchVarBytes));
  unsigned need = scratchVarBytes + scratchHigh;
  // The kernel refuses a per-CPU map whose value is over 32 KiB (PCPU_MIN_UNIT_SIZE):
  // say which probe holds too much, rather than let btrun's map creation fail.
  if (need > kMaxScratchBytes && !lc.unsupported)
    lc.unsupported = scratchTooBig(need);
  lc.scratchBytes = std::max(lc.scratchBytes, need);
}

// A struct value's bytes from a copy of it into a (8-aligned) destination.
void ProbeLowering::copyBytes(llvm::Value *dst, llvm::Value *src, Align srcAlign, unsigned size) {
  B.CreateMemCpy(dst, Align(8), src, srcAlign, size);
}

void defineScratchMap(LowerContext &lc) {
  if (!lc.scratch)
    return;
  auto *map = defineBtfMap(lc, "bt_scratch",
                           {{"type", uintAttr(lc, uint32_t(obj::MapType::PercpuArray))},
                            {"max_entries", uintAttr(lc, lc.scratchElements)},
                            {"key", lc.diInt(32, false)},
                            {"value", lc.diBytes(std::max(lc.scratchBytes, 8u))}});
  lc.scratch->replaceAllUsesWith(map);
  lc.scratch->eraseFromParent();
  lc.scratch = nullptr;
}

} // namespace bt::lower
