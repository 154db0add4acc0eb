// Function calls that are not aggregations: the dispatch to each row's lowering
// (Functions.def's Lower column), and printf, print, time, str, clear, zero, exit, ...
// (the map functions are MapFunctions.cpp's). Output goes to btrun as ring-buffer
// records laid out by the manifest's event table.
#include "AddressSpaces.h"
#include "KernelBytesRoom.h"
#include "ProbeLowering.h"

#include "bt/Basic/Signals.h"
#include "bt/Lower/CSources.h"
#include "bt/Parse/Source.h"
#include "bt/Sema/PositionalText.h"

namespace bt::lower {

using namespace llvm;

namespace {
obj::EventSpec located(obj::EventKind kind, SourceRange r) {
  obj::EventSpec spec;
  spec.kind = kind;
  spec.line = r.begin.line;
  spec.col = r.begin.col;
  spec.file = int(r.begin.file);
  return spec;
}

// A row's Lower column names a lowering that gives the call's value, or none (a statement).
Value lower(ProbeLowering &p, Value (ProbeLowering::*f)(const ast::CallExpr *),
            const ast::CallExpr *c, Value) {
  return (p.*f)(c);
}
Value lower(ProbeLowering &p, void (ProbeLowering::*f)(const ast::CallExpr *),
            const ast::CallExpr *c, Value none) {
  (p.*f)(c);
  return none;
}
// An argument of a record held on the stack or in the record, at `offset`: its slot as
// the argument's storage has it (lowerable checks it can be held at all).
EventArg heldArg(LowerContext &lc, TypeId t, unsigned offset, SourceRange at) {
  lc.lowerable(t, at);
  return {t, offset, storageOf(lc.types(), t).slotSize};
}
} // namespace

// Lays out a record: the event id, then each argument in an 8-byte aligned slot.
llvm::Value *ProbeLowering::startEvent(EventRecord &ev, const std::vector<TypeId> &types) {
  RecordLayout layout = layoutOf(lc.types(), types, 8);
  for (size_t i = 0; i < types.size(); ++i)
    ev.args.push_back(heldArg(lc, types[i], layout.offsets[i], currentRange));
  ev.size = layout.size;
  auto *rec = temp(layout.size, "event");
  return rec;
}

void ProbeLowering::sendEvent(EventRecord ev, llvm::Value *rec) {
  unsigned size = ev.size;
  unsigned id = lc.addEvent(std::move(ev));
  B.CreateStore(B.getInt64(id), rec);
  auto *rc = lc.callHelper(RingbufOutput, lc.i64(),
                           {lc.ringbuf, rec, B.getInt64(size), B.getInt64(0)});
  // A full ring buffer loses the record; count it so btrun can report it.
  auto *lost = BasicBlock::Create(lc.ctx, "event_lost", fn);
  auto *done = BasicBlock::Create(lc.ctx, "event_sent", fn);
  B.CreateCondBr(B.CreateICmpSLT(rc, B.getInt64(0)), lost, done);
  B.SetInsertPoint(lost);
  B.CreateAtomicRMW(AtomicRMWInst::Add, lc.globalField(kLostIndex), B.getInt64(1), MaybeAlign(8),
                    AtomicOrdering::Monotonic);
  B.CreateBr(done);
  B.SetInsertPoint(done);
}

ProbeLowering::ReservedRecord ProbeLowering::reserveRecord(unsigned size,
                                                          const std::string &name) {
  return reserveRecord(B.getInt64(size), name);
}

ProbeLowering::ReservedRecord ProbeLowering::reserveRecord(llvm::Value *size,
                                                          const std::string &name) {
  auto *rec = lc.callHelper(RingbufReserve, lc.ptr(), {lc.ringbuf, size, B.getInt64(0)});
  auto *lost = BasicBlock::Create(lc.ctx, name + "_lost", fn);
  auto *fill = BasicBlock::Create(lc.ctx, name + "_fill", fn);
  auto *done = BasicBlock::Create(lc.ctx, name + "_done", fn);
  B.CreateCondBr(B.CreateIsNull(rec), lost, fill);
  B.SetInsertPoint(lost);
  B.CreateAtomicRMW(AtomicRMWInst::Add, lc.globalField(kLostIndex), B.getInt64(1), MaybeAlign(8),
                    AtomicOrdering::Monotonic);
  B.CreateBr(done);
  B.SetInsertPoint(fill);
  return {rec, done};
}

// The kernel places ring buffer records 8-byte aligned: said so, LLVM stores a slot's
// integers whole rather than byte by byte.
void ProbeLowering::alignedRecord(const ReservedRecord &r) {
  llvm::cast<CallInst>(r.rec)->addRetAttr(Attribute::getWithAlignment(lc.ctx, Align(8)));
}

void ProbeLowering::submitRecord(const ReservedRecord &r) {
  lc.callHelper(RingbufSubmit, B.getVoidTy(), {r.rec, B.getInt64(0)});
  B.CreateBr(r.done);
  B.SetInsertPoint(r.done);
}

void ProbeLowering::emitEvent(EventRecord ev, const std::vector<Value> &args) {
  std::vector<TypeId> types;
  for (const Value &a : args)
    types.push_back(a.type);
  auto *rec = startEvent(ev, types);
  for (size_t i = 0; i < args.size(); ++i) {
    auto *at = B.CreateConstGEP1_32(lc.i8(), rec, ev.args[i].offset);
    storeValue(at, args[i].type, args[i]);
  }
  sendEvent(std::move(ev), rec);
}

// Arguments are evaluated straight into the record's slots, so that strings
// are not held twice on the 512-byte stack.
void ProbeLowering::emitEventOfExprs(EventRecord ev, const std::vector<const ast::Expr *> &args) {
  std::vector<TypeId> types;
  for (const ast::Expr *a : args)
    types.push_back(lc.sema.typeOf(a));
  if (std::any_of(types.begin(), types.end(), [&](TypeId t) { return kernelCopy(t); }))
    return emitKernelBytesEvent(std::move(ev), args, types);
  auto *rec = startEvent(ev, types);
  for (size_t i = 0; i < args.size(); ++i)
    eventArgInto(args[i], types[i], B.CreateConstGEP1_32(lc.i8(), rec, ev.args[i].offset));
  sendEvent(std::move(ev), rec);
}

void ProbeLowering::eventArgInto(const ast::Expr *arg, TypeId t, llvm::Value *at) {
  if (kernelCopy(t))
    kernelCopyInto(arg, at, t);
  else if (lc.type(t).isString())
    stringInto(arg, at, lc.type(t).size);
  else if (auto *tuple = ast::as<ast::TupleExpr>(arg))
    tupleInto(tuple, at, t);
  else if (copiedAsRecord(t))
    recordInto(arg, at);
  else if (lc.type(t).isArray())
    arrayBytesInto(arg, at);
  else if (inMemory(t))
    storeValue(at, t, expr(arg));
  else
    B.CreateStore(expr(arg).v, at);
}

// printf("%s", *curtask) (errorf, ...): a struct held as the running kernel's bytes is
// too big for the stack, so the record is reserved in the ring buffer, the other
// arguments laid out as usual and each such struct after them in room for the running
// kernel's size of it (kernelBytesRoom, as a variable's copy: on a kernel where it is
// bigger still the verifier refuses the read past the record at load). btrun lists its
// members from that kernel's BTF.
void ProbeLowering::emitKernelBytesEvent(EventRecord ev, const std::vector<const ast::Expr *> &args,
                                         const std::vector<TypeId> &types) {
  std::vector<TypeId> held;
  for (TypeId t : types)
    if (!kernelCopy(t))
      held.push_back(t);
  RecordLayout layout = layoutOf(lc.types(), held, 8);
  unsigned size = (layout.size + 7) / 8 * 8;
  for (size_t i = 0, h = 0; i < types.size(); ++i) {
    if (!kernelCopy(types[i])) {
      ev.args.push_back(heldArg(lc, types[i], layout.offsets[h++], currentRange));
      continue;
    }
    unsigned room = kernelBytesRoom(lc.type(types[i]).size);
    ev.args.push_back({types[i], size, room});
    size += room;
  }
  ev.size = size;
  ReservedRecord r = reserveRecord(size, "event");
  alignedRecord(r);
  std::vector<EventArg> slots = ev.args;
  B.CreateStore(B.getInt64(lc.addEvent(std::move(ev))), r.rec);
  for (size_t i = 0; i < args.size(); ++i)
    eventArgInto(args[i], types[i], B.CreateConstGEP1_32(lc.i8(), r.rec, slots[i].offset));
  submitRecord(r);
}

llvm::Value *ProbeLowering::helperFailed(llvm::Value *rc, int64_t ignored) {
  auto *failed = B.CreateICmpSLT(rc, B.getInt64(0));
  if (ignored)
    failed = B.CreateAnd(failed, B.CreateICmpNE(rc, B.getInt64(ignored)));
  return failed;
}

// With -k, a failing helper sends a helper_error event naming the helper and
// the script location. `ignored` is an expected error code (such as -ENOENT
// for delete) that is not a failure.
void ProbeLowering::checkHelperError(llvm::Value *rc, const char *helper, int64_t ignored) {
  if (!lc.options.helperErrors)
    return;
  auto *failed = helperFailed(rc, ignored);
  auto *report = BasicBlock::Create(lc.ctx, "helper_error", fn);
  auto *done = BasicBlock::Create(lc.ctx, "helper_ok", fn);
  B.CreateCondBr(failed, report, done);
  B.SetInsertPoint(report);
  EventRecord ev;
  ev.spec = located(obj::EventKind::HelperError, currentRange);
  ev.spec.helper = helper;
  // The range bpftrace 0.17 prints the source line's `~` under (or its lines).
  ev.spec.endCol = int(currentRange.end.col) + 1;
  if (currentRange.end.line > currentRange.begin.line)
    ev.spec.endLine = int(currentRange.end.line);
  else if (ev.spec.file > 0 && size_t(ev.spec.file) <= lc.options.importedSources.size())
    ev.spec.lineText = SourceFile("", lc.options.importedSources[ev.spec.file - 1].second)
                           .lineText(currentRange.begin.line);
  emitEvent(std::move(ev), {{lc.types().integer(8, true), rc}});
  B.CreateBr(done);
  B.SetInsertPoint(done);
}

// printf, and cat and system, whose path or command btrun formats as printf's text.
void ProbeLowering::printfCall(const ast::CallExpr *c) {
  // In a pinned iterator, printf writes to the pinned file (Sema refuses the others there).
  if (pinnedIterator()) {
    seqPrintfCall(c);
    return;
  }
  EventRecord ev;
  FunctionId id = lc.sema.functionOf(c);
  ev.spec = located(id == FunctionId::Cat      ? obj::EventKind::Cat
                    : id == FunctionId::System ? obj::EventKind::System
                    : id == FunctionId::Errorf ? obj::EventKind::Errorf
                    : id == FunctionId::Warnf  ? obj::EventKind::Warnf
                                               : obj::EventKind::Printf,
                    c->range);
  if (id == FunctionId::Errorf || id == FunctionId::Warnf)
    ev.spec.endCol = c->range.end.col + 1;
  ev.spec.format = ast::as<ast::StringLit>(c->args[0].get())->value;
  std::vector<const ast::Expr *> args;
  for (size_t i = 1; i < c->args.size(); ++i)
    args.push_back(c->args[i].get());
  emitEventOfExprs(std::move(ev), args);
}

void ProbeLowering::mapEvent(obj::EventKind kind, const ast::MapRef *m) {
  EventRecord ev;
  ev.spec = located(kind, m->range);
  ev.spec.map = m->name;
  emitEvent(std::move(ev), {});
}

void ProbeLowering::printCall(const ast::CallExpr *c) {
  if (auto *m = ast::as<ast::MapRef>(c->args[0].get()); m && m->keys.empty()) {
    EventRecord ev;
    ev.spec = located(obj::EventKind::PrintMap, m->range);
    ev.spec.map = m->name;
    if (c->args.size() > 1)
      ev.spec.top = ast::as<ast::IntegerLit>(c->args[1].get())->value;
    if (c->args.size() > 2) // div 0 divides by nothing, as in bpftrace 0.17
      ev.spec.div = std::max<uint64_t>(ast::as<ast::IntegerLit>(c->args[2].get())->value, 1);
    emitEvent(std::move(ev), {});
    return;
  }
  EventRecord ev;
  ev.spec = located(obj::EventKind::PrintValue, c->range);
  if (kernelCopy(lc.sema.typeOf(c->args[0].get())))
    return printKernelBytes(std::move(ev), c->args[0].get());
  emitEventOfExprs(std::move(ev), {c->args[0].get()});
}

// print() of a struct held as the running kernel's bytes (`print(*curtask)`, `print($t)`,
// `print(@s[k])`): too big for the stack, the bytes are read straight into a ring buffer
// record of the running kernel's size of the struct (a TYPE_SIZE relocation, which the
// verifier sees as a constant) after the event id. btrun lists the members from that
// kernel's BTF (lib/Runtime/KernelRecords.cpp) and prints them as a map value of it.
void ProbeLowering::printKernelBytes(EventRecord ev, const ast::Expr *value) {
  TypeId t = lc.sema.typeOf(value);
  unsigned size = lc.type(t).size; // the compile-time BTF's; btrun's is the running kernel's
  ev.args.push_back({t, 8, size});
  ev.size = 8 + size;
  ReservedRecord r = reserveRecord(B.CreateAdd(stride(t), B.getInt64(8)), "print");
  alignedRecord(r);
  B.CreateStore(B.getInt64(lc.addEvent(std::move(ev))), r.rec);
  kernelCopyInto(value, B.CreateConstGEP1_32(lc.i8(), r.rec, 8), t);
  submitRecord(r);
}

Value ProbeLowering::strCall(const ast::CallExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  unsigned size = lc.type(t).size;
  auto *buf = temp(size, "str");
  strCallInto(c, buf, size);
  return {t, buf};
}

// Reads str()'s string into DST (SIZE bytes, zeroed). str(p, n) keeps at most n
// characters, as bpftrace: the NUL is extra.
void ProbeLowering::strCallInto(const ast::CallExpr *c, llvm::Value *dst, unsigned size) {
  const ast::Expr *arg = c->args[0].get();
  const ast::Expr *length = c->args.size() == 2 ? c->args[1].get() : nullptr;
  auto *literalLength = length ? ast::as<ast::IntegerLit>(length) : nullptr;
  // n + 1 bytes with the NUL, at most the buffer: the verifier sees the bound.
  auto readLimit = [&](llvm::Value *n) {
    auto *withNul = B.CreateAdd(n, B.getInt64(1));
    auto *fits = B.CreateICmpULT(withNul, B.getInt64(size));
    auto *bounded = B.CreateSelect(fits, withNul, B.getInt64(size));
    return B.CreateTrunc(bounded, B.getInt32Ty());
  };
  // A string already held (a positional argument's text, any string value) is copied,
  // at most `keep` bytes with the NUL.
  uint64_t keep = literalLength ? std::min<uint64_t>(size, literalLength->value + 1) : size;
  bool held = true;
  uint64_t offset = 0;
  if (auto *p = sema::positionalText(arg, offset); p && p != arg) {
    // str($N + K): the argument's text (a literal, or btrun's slot) from K on; Sema
    // checked K lies inside it.
    Value text = expr(p);
    unsigned rest = lc.type(text.type).size - static_cast<unsigned>(offset);
    unsigned n = static_cast<unsigned>(std::min<uint64_t>(keep, rest));
    auto *from = B.CreateConstGEP1_32(lc.i8(), text.v, static_cast<unsigned>(offset));
    B.CreateMemCpy(dst, MaybeAlign(1), from, MaybeAlign(1), n);
    if (n < size)
      B.CreateMemSet(B.CreateConstGEP1_32(lc.i8(), dst, n), B.getInt8(0), size - n, MaybeAlign(1));
    B.CreateStore(B.getInt8(0), B.CreateConstGEP1_32(lc.i8(), dst, n - 1));
  } else if (lc.type(lc.sema.typeOf(arg)).isString()) {
    // DST is zeroed: keeping n characters is copying n + 1 bytes.
    copyString(dst, static_cast<unsigned>(keep), expr(arg));
  } else {
    held = false;
  }
  if (held) {
    if (length && !literalLength) {
      // n known only at run time: the whole string read back with the helper, which
      // stops at the bound, into DST zeroed again (a map key compares every byte).
      auto *whole = temp(size, "str_whole");
      B.CreateMemCpy(whole, MaybeAlign(1), dst, MaybeAlign(1), size);
      B.CreateMemSet(dst, B.getInt8(0), size, MaybeAlign(1));
      llvm::Value *limit = readLimit(expr(length).v);
      lc.callHelper(ProbeReadKernelStr, lc.i64(), {dst, limit, whole});
    }
    return;
  }
  Value src = expr(arg);
  llvm::Value *limit = B.getInt32(static_cast<unsigned>(keep));
  if (length && !literalLength)
    limit = readLimit(expr(length).v);
  readStringAt(src, dst, limit, true);
}

// bpf_probe_read_{user,kernel}_str of the string SRC points to into DST, at most LIMIT
// bytes with its NUL, with the helper addressesUser() picks (AddressSpaces.h). `checked`: a failed read is
// a helper error btrun reports.
llvm::Value *ProbeLowering::readStringAt(const Value &src, llvm::Value *dst,
                                         llvm::Value *limit, bool checked) {
  bool user = addressesUser(lc.type(src.type), pointersAreUser());
  llvm::Value *from =
      src.v->getType()->isPointerTy() ? src.v : B.CreateIntToPtr(src.v, lc.ptr());
  auto *rc = lc.callHelper(user ? ProbeReadUserStr : ProbeReadKernelStr, lc.i64(),
                           {dst, limit, from});
  if (checked)
    checkHelperError(rc, user ? "probe_read_user_str" : "probe_read_kernel_str");
  return rc;
}

Value ProbeLowering::call(const ast::CallExpr *c) {
  Value none{lc.types().none(), nullptr};
  if (auto it = lc.sema.externalCalls.find(c); it != lc.sema.externalCalls.end())
    return externalCall(c, *it->second);
  switch (lc.sema.functionOf(c)) {
#define FUNCTION(Id, Spelling, MinArgs, MaxArgs, Arguments, Kind, Usage, Check, Lower)         \
  case FunctionId::Id:                                                                      \
    return lower(*this, &ProbeLowering::Lower, c, none);
#include "bt/Basic/Functions.def"
  default:
    llvm_unreachable("an aggregation or a row not supported: Sema rejected the call");
  }
}

void ProbeLowering::timeCall(const ast::CallExpr *c) {
  EventRecord ev;
  ev.spec = located(obj::EventKind::Time, c->range);
  ev.spec.format = c->args.empty() ? std::string("%H:%M:%S\n")
                                   : ast::as<ast::StringLit>(c->args[0].get())->value;
  emitEvent(std::move(ev), {});
}

Value ProbeLowering::stackCall(const ast::CallExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  return lc.sema.functionOf(c) == FunctionId::Kstack ? kernelStack(t) : userStack(t);
}

Value ProbeLowering::usymCall(const ast::CallExpr *c) {
  return userSymbol(lc.sema.typeOf(c), expr(c->args[0].get()));
}

Value ProbeLowering::nsecsCall(const ast::CallExpr *c) {
  std::string clock =
      c->args.empty() ? "monotonic" : ast::as<ast::IdentifierRef>(c->args[0].get())->name;
  Helper h = clock == "boot" || clock == "sw_tai" ? KtimeGetBootNs
             : clock == "tai"                       ? KtimeGetTaiNs
                                                    : KtimeGetNs;
  llvm::Value *ns = lc.callHelper(h, lc.i64(), {});
  if (clock == "sw_tai") { // upstream's TAI for kernels without bpf_ktime_get_tai_ns
    auto &slot = lc.paramSlot(LowerContext::kTaiDeltaSlot, false);
    ns = B.CreateAdd(ns, B.CreateLoad(lc.i64(), lc.globalField(slot.field), "tai_delta"));
  }
  return {lc.sema.typeOf(c), ns};
}

Value ProbeLowering::strftimeCall(const ast::CallExpr *c) {
  // The nanoseconds; btrun prints the time.
  return {lc.sema.typeOf(c), expr(c->args[1].get()).v};
}

// The first argument's value, typed by Sema: btrun prints the error message (strerror),
// the cgroup's paths (cgroup_path), the syscall's name (syscall_name) or the symbol
// (ksym); kptr's and uptr's type says where the address points.
Value ProbeLowering::argumentValue(const ast::CallExpr *c) {
  return {lc.sema.typeOf(c), expr(c->args[0].get()).v};
}

Value ProbeLowering::strncmpCall(const ast::CallExpr *c) {
  // The length as Sema valued it (a literal, -0, a C macro, $N given to btc).
  uint64_t len = static_cast<uint64_t>(lc.sema.constants.at(c->args[2].get()));
  Value a = expr(c->args[0].get()), b = expr(c->args[1].get());
  auto *eq = stringsEqual(a, b, static_cast<unsigned>(std::min<uint64_t>(len, ~0u)));
  return {lc.sema.typeOf(c), B.CreateZExt(B.CreateNot(eq), lc.i64())};
}

// clear(@m) and zero(@m): btrun does them.
void ProbeLowering::clearCall(const ast::CallExpr *c) {
  mapEvent(lc.sema.functionOf(c) == FunctionId::Clear ? obj::EventKind::Clear
                                                      : obj::EventKind::Zero,
           ast::as<ast::MapRef>(c->args[0].get()));
}

Value ProbeLowering::getoptCall(const ast::CallExpr *c) {
  // btrun wrote the value (or the default) into .bss before BEGIN.
  auto name = ast::as<ast::StringLit>(c->args[0].get())->value;
  TypeId t = lc.sema.typeOf(c);
  auto *at = lc.globalField(lc.namedParamSlot(name).field);
  if (lc.type(t).isString())
    return {t, at};
  return {t, B.CreateLoad(lc.i64(), at, "opt_" + name)};
}

Value ProbeLowering::cgroupidCall(const ast::CallExpr *c) {
  // btrun resolved the path on the host before BEGIN.
  return {lc.sema.typeOf(c),
          B.CreateLoad(lc.i64(),
                       lc.globalField(
                           lc.cgroupIdSlot(ast::as<ast::StringLit>(c->args[0].get())->value).field),
                       "cgroupid")};
}

Value ProbeLowering::uaddrCall(const ast::CallExpr *c) {
  // The symbol's address, read from the binary at compile time.
  return {lc.sema.typeOf(c), B.getInt64(lc.sema.userAddresses.at(c))};
}

Value ProbeLowering::regCall(const ast::CallExpr *c) {
  const Register &r =
      *findRegister(lc.sema.arch, ast::as<ast::StringLit>(c->args[0].get())->value);
  return {lc.sema.typeOf(c),
          B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), ctxArg, r.ptRegsOffset), r.name)};
}

// signal() and signal_thread().
void ProbeLowering::signalCall(const ast::CallExpr *c) {
  // bpf_send_signal: the current task's process (_thread: the task); the number is
  // checked by Sema.
  const ast::Expr *sig = c->args[0].get();
  llvm::Value *n = nullptr;
  if (auto *s = ast::as<ast::StringLit>(sig))
    n = B.getInt32(*signalNumber(s->value));
  else
    n = B.CreateTrunc(expr(sig).v, B.getInt32Ty());
  bool thread = lc.sema.functionOf(c) == FunctionId::SignalThread;
  if (c->args.size() == 2)
    thread = ast::as<ast::IdentifierRef>(c->args[1].get())->name == "current_tid";
  auto *rc = lc.callHelper(thread ? SendSignalThread : SendSignal, lc.i64(), {n});
  checkHelperError(rc, thread ? "send_signal_thread" : "send_signal");
}

// unwatch(addr): btrun removes every watchpoint on addr (a record, as bpftrace's event).
void ProbeLowering::unwatchCall(const ast::CallExpr *c) {
  EventRecord ev;
  ev.spec = located(obj::EventKind::WatchpointDetach, c->range);
  emitEvent(std::move(ev), {{lc.types().integer(8, false), expr(c->args[0].get()).v}});
}

void ProbeLowering::overrideCall(const ast::CallExpr *c) {
  lc.callHelper(OverrideReturn, lc.i64(), {ctxArg, expr(c->args[0].get()).v});
}

void ProbeLowering::exitCall(const ast::CallExpr *c) {
  EventRecord ev;
  ev.spec = located(obj::EventKind::Exit, c->range);
  // A literal code goes in the manifest; any other in the record (Sema's exitCall).
  const ast::Expr *code = c->args.empty() ? nullptr : c->args[0].get();
  auto *literal = ast::as<ast::IntegerLit>(code);
  if (literal)
    ev.spec.exitCode = static_cast<int>(literal->value);
  if (code && !literal)
    emitEventOfExprs(std::move(ev), {code});
  else
    emitEvent(std::move(ev), {});
  // As in bpftrace, exit() also ends this run of the probe.
  returnFromProbe();
  startDeadBlock();
}

// A call of an imported C function (linked by linkExternalC, or an imported object's,
// declared by declareObjectFunctions): each integer converted to its parameter's width
// as C converts it, a pointer passed as it is, `&@m` as the map's definition in .maps;
// the result widened to the i64 a script's integers are held in.
Value ProbeLowering::externalCall(const ast::CallExpr *c, const ExternalCFunction &f) {
  Function *fn = lc.module->getFunction(f.inObject ? linkedObjectName(f.name) : linkedCName(f.name));
  FunctionType *ft = fn->getFunctionType();
  std::vector<llvm::Value *> args;
  for (size_t i = 0; i < c->args.size(); ++i) {
    llvm::Type *param = ft->getParamType(unsigned(i));
    if (auto *u = ast::as<ast::UnaryExpr>(c->args[i].get());
        u && u->op == ast::UnaryOp::AddressOf && ast::as<ast::MapRef>(u->operand.get())) {
      // &@m, the map itself (Sema's mapArgument)
      args.push_back(lc.mapLayout(ast::as<ast::MapRef>(u->operand.get())->name).global);
      continue;
    }
    Value a = expr(c->args[i].get());
    if (param->isPointerTy()) {
      args.push_back(a.v->getType()->isPointerTy() ? a.v : B.CreateIntToPtr(a.v, param));
      continue;
    }
    llvm::Value *v = extendInt(a.v, a.type);
    if (!v->getType()->isIntegerTy())
      v = B.CreatePtrToInt(v, lc.i64());
    args.push_back(B.CreateZExtOrTrunc(v, param));
  }
  CallInst *call = B.CreateCall(fn, args);
  call->setAttributes(fn->getAttributes());
  Value none{lc.types().none(), nullptr};
  if (ft->getReturnType()->isVoidTy())
    return none;
  TypeId t = lc.sema.typeOf(c);
  llvm::Value *r = call;
  if (r->getType() != lc.i64()) // a _Bool's i1 too, unsigned
    r = f.result.isSigned ? B.CreateSExt(r, lc.i64()) : B.CreateZExt(r, lc.i64());
  return {t, r};
}

} // namespace bt::lower
