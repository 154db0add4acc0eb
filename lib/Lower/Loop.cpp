// for loops. The body becomes a static BPF function (in .text, a subprogram libbpf
// links into the program) that the kernel calls back: bpf_for_each_map_elem once per
// element of a map, bpf_loop once per integer of a range. Over a per-CPU aggregation
// the element's value is read as `@m[key]` reads it, every CPU's slot combined. The callback gets, through
// its context pointer, an array on the caller's stack: the probe's context (which
// builtins read), the range's start, and a pointer to each probe variable the body
// uses (found while lowering the body, so the array is built after it). Reads and
// writes of those variables go to the caller's slots, as upstream bpftrace's loops.
// `continue` returns 0 from the callback (next element), `break` returns 1 (stop).
// `return` and exit() set the context's returned slot and stop: after bpf_loop (or
// bpf_for_each_map_elem) the caller sees it and returns too, from its own callback
// first when loops nest. A user function's `return` in its loops sets the slot to
// kFunctionReturned: the caller leaves its loops up to the function's and jumps to
// the function's end there.
#include "Callback.h"
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

namespace {
// The context array: the probe's ctx, the range's start, whether the body returned,
// then the captured variables.
constexpr unsigned kContextSlot = 0, kStartSlot = 1, kReturnedSlot = 2, kFirstCapture = 3;
// The returned slot: 0, 1 (the probe returns), or the function the loop is in returns.
constexpr uint64_t kProbeReturned = 1, kFunctionReturned = 2;
} // namespace

void ProbeLowering::returnFromProbe() {
  if (callbacks.empty()) {
    ret0();
    return;
  }
  Callback &cb = callbacks.back();
  cb.returns = true;
  B.CreateStore(B.getInt64(kProbeReturned), B.CreateConstGEP1_32(lc.i64(), cb.context, kReturnedSlot));
  B.CreateRet(B.getInt64(1));
}

void ProbeLowering::returnFromFunction() {
  if (callbacks.size() == functionFrames.back().callbackDepth) {
    B.CreateBr(functionFrames.back().exit);
    return;
  }
  Callback &cb = callbacks.back();
  cb.functionReturns = true;
  B.CreateStore(B.getInt64(kFunctionReturned),
                B.CreateConstGEP1_32(lc.i64(), cb.context, kReturnedSlot));
  B.CreateRet(B.getInt64(1));
}

llvm::Value *ProbeLowering::capturedSlot(DeclId id) {
  Callback &cb = callbacks.back();
  unsigned index = kFirstCapture + unsigned(cb.captures.size());
  cb.captures.push_back(id);
  IRBuilder<> eb(entry->getTerminator());
  eb.SetCurrentDebugLocation(B.getCurrentDebugLocation());
  auto *at = eb.CreateConstGEP1_32(lc.i64(), cb.context, index);
  auto *p = eb.CreateLoad(lc.ptr(), at, lc.sema.scopes.declaration(id).name + ".ptr");
  vars[id] = p;
  return p;
}

// The verifier follows a number the body changes (`$n += 1`) exactly through the
// callback's rounds; a comparison after the loop (`if ($n > 2)`) would mark it precise,
// so that no two rounds' states could be pruned and the verifier gives up after a million
// instructions ("Argument list too long"). A copy of each such variable onto itself
// through probe_read is a number the verifier no longer follows (its slot is on this
// frame's stack, or an outer loop's, as the verifier allows). Strings and records are
// bytes it does not follow anyway.
void ProbeLowering::forgetExactValues(llvm::ArrayRef<DeclId> captures) {
  for (DeclId id : captures) {
    const Type &t = lc.type(lc.sema.scopes.declaration(id).type);
    if (!(t.isInt() || t.isBool() || t.isPointer()))
      continue;
    forgetExactValue(declSlot(id));
  }
}

void ProbeLowering::forgetExactValue(llvm::Value *slot) {
  lc.callHelper(ProbeReadKernel, lc.i64(), {slot, B.getInt32(8), slot});
}

void ProbeLowering::forStmt(const ast::ForStmt *s) {
  loopBoundary();
  bool overMap = !s->rangeEnd;
  llvm::Value *start = B.getInt64(0), *count = nullptr;
  if (!overMap) {
    start = expr(s->iterable.get()).v;
    auto *end = expr(s->rangeEnd.get()).v;
    // Sequenced: argument evaluation order differs between compilers, and the IR with it.
    llvm::Value *nonEmpty = B.CreateICmpSGT(end, start);
    llvm::Value *length = B.CreateSub(end, start);
    count = B.CreateSelect(nonEmpty, length, B.getInt64(0), "for.count");
  }

  // The callback: long (map, key, value, ctx) or long (index, ctx).
  std::string name = fnName + "_for" + std::to_string(forLoops++);
  std::vector<CallbackParam> params =
      overMap ? std::vector<CallbackParam>{{"map", true}, {"key", true}, {"value", true},
                                           {"ctx", true}}
              : std::vector<CallbackParam>{{"index", false}, {"ctx", true}};
  Function *cbFn = createCallback(lc, name, params, s->range);
  DISubprogram *cbSp = cbFn->getSubprogram();

  // Lower the body into the callback, with this function's state put aside.
  Function *outerFn = fn;
  DISubprogram *outerSp = sp;
  BasicBlock *outerEntry = entry;
  llvm::Value *outerCtx = ctxArg;
  auto outerVars = std::move(vars);
  auto outerTemps = std::move(temps);
  auto outerLoops = std::move(loops);
  auto outerLookups = std::move(lookups);
  vars.clear();
  temps.clear();
  loops.clear();
  lookups.clear();
  auto *afterOuter = B.GetInsertBlock();

  fn = cbFn;
  sp = cbSp;
  entry = BasicBlock::Create(lc.ctx, "entry", fn);
  auto *body = BasicBlock::Create(lc.ctx, "body", fn);
  B.SetInsertPoint(entry);
  setLocation(s->range);
  llvm::Value *context = fn->getArg(overMap ? 3 : 1);
  callbacks.push_back({{}, context});
  ctxArg = B.CreateLoad(lc.ptr(), B.CreateConstGEP1_32(lc.i64(), context, kContextSlot), "probe.ctx");
  B.CreateBr(body);
  B.SetInsertPoint(body);

  DeclId var = lc.sema.declarationIdOf(s->var.get());
  TypeId varType = lc.sema.scopes.declaration(var).type;
  // Over a map of the running kernel's bytes, the element has a per-CPU copy of its own.
  auto *slot = kernelCopy(varType) ? kernelCopySlot(var) : localSlot(var);
  if (overMap) {
    const MapLayout &ml = lc.mapLayout(ast::as<ast::MapRef>(s->iterable.get())->name);
    const Type &kv = lc.type(varType);
    auto element = [&](llvm::Value *from, TypeId t) -> Value {
      if (inMemory(t))
        return {t, from};
      return {t, B.CreateLoad(lc.i64(), from)};
    };
    // A map's key is laid out as the tuple of its key fields (layoutOf).
    llvm::Value *keyAt = B.CreateConstGEP1_32(lc.i8(), slot, kv.fields[0].offset);
    storeValue(keyAt, kv.fields[0].type, element(fn->getArg(1), kv.fields[0].type));
    // An aggregation's value is the key's CPUs combined, not this CPU's slot.
    Value value = ml.info->agg == AggKind::None
                      ? element(fn->getArg(2), ml.info->value)
                      : Value{kv.fields[1].type,
                              aggregationValueAt(ml, fn->getArg(1), s->iterable->range)};
    llvm::Value *valueAt = B.CreateConstGEP1_32(lc.i8(), slot, kv.fields[1].offset);
    if (kernelCopy(kv.fields[1].type)) // the running kernel's size of it, from the map
      kernelBytesInto(valueAt, kv.fields[1].type, value.v, false);
    else
      storeValue(valueAt, kv.fields[1].type, value);
  } else {
    auto *first = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i64(), context, kStartSlot), "start");
    B.CreateStore(B.CreateAdd(first, fn->getArg(0)), slot);
  }
  auto *next = BasicBlock::Create(lc.ctx, "for_continue", fn);
  auto *stop = BasicBlock::Create(lc.ctx, "for_break", fn);
  loops.push_back({next, stop});
  block(s->body);
  if (!B.GetInsertBlock()->getTerminator())
    B.CreateBr(next);
  B.SetInsertPoint(next);
  B.CreateRet(B.getInt64(0));
  B.SetInsertPoint(stop);
  B.CreateRet(B.getInt64(1));
  foldRepeatedLookups();
  lc.DI->finalizeSubprogram(cbSp);

  std::vector<DeclId> captures = std::move(callbacks.back().captures);
  bool bodyReturns = callbacks.back().returns;
  bool bodyFunctionReturns = callbacks.back().functionReturns;
  callbacks.pop_back();
  fn = outerFn;
  sp = outerSp;
  entry = outerEntry;
  ctxArg = outerCtx;
  vars = std::move(outerVars);
  temps = std::move(outerTemps);
  loops = std::move(outerLoops);
  lookups = std::move(outerLookups);
  B.SetInsertPoint(afterOuter);
  setLocation(s->range);

  // The context array, then the call.
  // On the stack whatever its size: bpf_loop takes its context only there.
  auto *context8 = stackTemp(8 * (kFirstCapture + unsigned(captures.size())), "for.ctx");
  B.CreateStore(ctxArg, B.CreateConstGEP1_32(lc.i64(), context8, kContextSlot));
  B.CreateStore(start, B.CreateConstGEP1_32(lc.i64(), context8, kStartSlot));
  for (size_t i = 0; i < captures.size(); ++i) {
    llvm::Value *captured = declSlot(captures[i]);
    B.CreateStore(captured, B.CreateConstGEP1_32(lc.i64(), context8, kFirstCapture + unsigned(i)));
  }
  if (overMap) {
    const MapLayout &ml = lc.mapLayout(ast::as<ast::MapRef>(s->iterable.get())->name);
    lc.callHelper(ForEachMapElem, lc.i64(), {ml.global, cbFn, context8, B.getInt64(0)});
  } else {
    lc.callHelper(BpfLoop, lc.i64(), {count, cbFn, context8, B.getInt64(0)});
  }
  forgetExactValues(captures);
  if (bodyReturns || bodyFunctionReturns) {
    auto *returned = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i64(), context8, kReturnedSlot),
                                  "for.returned");
    auto leaveIf = [&](uint64_t how, const char *name, auto leave) {
      auto *out = BasicBlock::Create(lc.ctx, name, fn);
      auto *stay = BasicBlock::Create(lc.ctx, "for_stay", fn);
      B.CreateCondBr(B.CreateICmpEQ(returned, B.getInt64(how)), out, stay);
      B.SetInsertPoint(out);
      leave();
      B.SetInsertPoint(stay);
    };
    if (bodyReturns)
      leaveIf(kProbeReturned, "for_return", [&] { returnFromProbe(); });
    if (bodyFunctionReturns)
      leaveIf(kFunctionReturned, "for_function_return", [&] { returnFromFunction(); });
    auto *after = BasicBlock::Create(lc.ctx, "for_end", fn);
    B.CreateBr(after);
    B.SetInsertPoint(after);
  }
  loopBoundary();
}

} // namespace bt::lower
