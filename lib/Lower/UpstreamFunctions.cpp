// Upstream bpftrace's helpers: the compile-time ones are constants Sema computed
// (is_str, strcap of a string or array, kfunc_exist, ...); strcap of a pointer reads its
// string; strstr is StringFunctions.cpp's search; pid(init) and tid(init) are the
// builtins Sema put in their place; pid(curr_ns) and tid(curr_ns) ask the kernel for
// them in the pid namespace btrun runs in; signal_name picks its text from a table;
// cwd and abs_path are the walk Sema built (lib/Sema/PathWalk.cpp).
#include "ProbeLowering.h"

namespace bt::lower {

namespace {

constexpr unsigned kSignalTableLast = 64; // SIGRTMAX

// strsignal(3)'s text (glibc's, which upstream's table repeats) for 0..64, the signals
// Linux numbers; upstream's "N/A" for any other number.
std::string signalText(unsigned sig) {
  static const char *const kClassic[] = {
      "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap",
      "Aborted", "Bus error", "Floating point exception", "Killed",
      "User defined signal 1", "Segmentation fault", "User defined signal 2", "Broken pipe",
      "Alarm clock", "Terminated", "Stack fault", "Child exited", "Continued",
      "Stopped (signal)", "Stopped", "Stopped (tty input)", "Stopped (tty output)",
      "Urgent I/O condition", "CPU time limit exceeded", "File size limit exceeded",
      "Virtual timer expired", "Profiling timer expired", "Window changed", "I/O possible",
      "Power failure", "Bad system call"};
  constexpr unsigned kRealTimeFirst = 34; // glibc's SIGRTMIN: 32 and 33 are its own
  if (sig >= 1 && sig <= 31)
    return kClassic[sig - 1];
  if (sig == 0 || sig == 32 || sig == 33)
    return "Unknown signal " + std::to_string(sig);
  if (sig <= kSignalTableLast)
    return "Real-time signal " + std::to_string(sig - kRealTimeFirst);
  return "N/A";
}

constexpr unsigned kSignalRowBytes = 32; // the longest text is 24 characters
constexpr unsigned kSignalRows = kSignalTableLast + 2;

// signal_name()'s constant table (.rodata): a row per signal, then "N/A"'s. Rows are
// 8-aligned, so the copy out of it moves words.
llvm::GlobalVariable *signalTable(LowerContext &lc) {
  llvm::Module &m = *lc.module;
  if (llvm::GlobalVariable *table = m.getGlobalVariable("bt_signal_names", true))
    return table;
  auto *rowTy = llvm::ArrayType::get(lc.i8(), kSignalRowBytes);
  auto *tableTy = llvm::ArrayType::get(rowTy, kSignalRows);
  std::vector<llvm::Constant *> rows;
  for (unsigned r = 0; r < kSignalRows; ++r) {
    std::string text = signalText(r);
    text.resize(kSignalRowBytes, '\0');
    rows.push_back(llvm::ConstantDataArray::getString(lc.ctx, text, false));
  }
  auto *table = new llvm::GlobalVariable(m, tableTy, true, llvm::GlobalValue::InternalLinkage,
                                         llvm::ConstantArray::get(tableTy, rows),
                                         "bt_signal_names");
  table->setSection(".rodata");
  table->setAlignment(llvm::Align(8));
  return table;
}

} // namespace

Value ProbeLowering::upstreamCall(const ast::CallExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  switch (lc.sema.functionOf(c)) {
  case FunctionId::Strstr:
    return {t, firstMatch(c)};
  case FunctionId::Cwd:
  case FunctionId::AbsPath:
  case FunctionId::Typeinfo:
    return expr(lc.sema.expansions.at(c).get());
  case FunctionId::PidCall:
  case FunctionId::TidCall: {
    if (auto e = lc.sema.expansions.find(c); e != lc.sema.expansions.end())
      return expr(e->second.get());
    // struct bpf_pidns_info { u32 pid; u32 tgid; }: 0 when the task is in no
    // namespace btrun can see (the helper fails and leaves it as it was).
    auto *info = temp(8, "pidns_info");
    B.CreateStore(B.getInt64(0), info);
    llvm::Value *dev = B.CreateLoad(lc.i64(), lc.globalField(lc.paramSlot(LowerContext::kPidNamespaceDevSlot, false).field), "pidns_dev");
    llvm::Value *ino = B.CreateLoad(lc.i64(), lc.globalField(lc.paramSlot(LowerContext::kPidNamespaceInoSlot, false).field), "pidns_ino");
    lc.callHelper(GetNsCurrentPidTgid, lc.i64(), {dev, ino, info, B.getInt32(8)});
    bool isPid = lc.sema.functionOf(c) == FunctionId::PidCall;
    llvm::Value *field = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), info, isPid ? 4 : 0);
    return {t, B.CreateZExt(B.CreateLoad(B.getInt32Ty(), field, isPid ? "ns_tgid" : "ns_pid"), lc.i64())};
  }
  case FunctionId::Strcap: {
    if (lc.sema.constants.count(c))
      return {t, B.getInt64(lc.sema.constants.at(c))};
    // Of a pointer: the length of the string it points to, at most max_strlen
    // characters, as upstream's strnlen: one byte more is read for the NUL, which the
    // helper counts (a failed read is 0).
    Value pointer = expr(c->args[0].get());
    unsigned strlen = lc.sema.options.strlen;
    auto *text = temp(strlen + 1, "strcap_text");
    auto *rc = readStringAt(pointer, text, B.getInt32(strlen + 1), false);
    auto *read = B.CreateICmpSGT(rc, B.getInt64(0));
    auto *length = B.CreateSub(rc, B.getInt64(1));
    return {t, B.CreateSelect(read, length, B.getInt64(0))};
  }
  case FunctionId::SignalName: {
    // The number as an int32, as upstream's macro casts it, picks a row; any other
    // number the "N/A" row. The string's bytes past the row are zero.
    llvm::Value *sig = expr(c->args[0].get()).v;
    llvm::Value *number = B.CreateSExt(B.CreateTrunc(sig, B.getInt32Ty()), lc.i64());
    llvm::Value *known = B.CreateICmpULT(number, B.getInt64(kSignalTableLast + 1));
    // Through an empty asm, so that LLVM keeps the bound the verifier needs.
    llvm::Value *index =
        opaque(B.CreateSelect(known, number, B.getInt64(kSignalRows - 1), "signal"));
    llvm::GlobalVariable *table = signalTable(lc);
    llvm::Value *row =
        B.CreateInBoundsGEP(table->getValueType(), table, {B.getInt64(0), index});
    unsigned size = lc.type(t).size;
    auto *text = temp(size, "signal_name");
    zero(text, size);
    B.CreateMemCpy(text, llvm::MaybeAlign(8), row, llvm::MaybeAlign(8), kSignalRowBytes);
    return {t, text};
  }
  case FunctionId::DefaultStrLength:
  case FunctionId::IsArray:
  case FunctionId::IsInteger:
  case FunctionId::IsLiteral:
  case FunctionId::IsPtr:
  case FunctionId::IsScalar:
  case FunctionId::IsStr:
  case FunctionId::IsUnsignedInteger:
  case FunctionId::KfuncExist:
    return {t, B.getInt64(lc.sema.constants.at(c))};
  default:
    llvm_unreachable("call rejected by Sema");
  }
}

} // namespace bt::lower
