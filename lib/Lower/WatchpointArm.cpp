// bpftrace's watchpoint on a function's argument (`watchpoint:fn+arg1:8:w`): a uprobe on
// fn reads the argument and sends it to btrun in a watchpoint_attach record; btrun opens
// the breakpoint there and attaches the watchpoint's own program (a perf_event program,
// lowered as any probe). The synchronous form stops the process (SIGSTOP) so that no
// access in fn's body is missed; btrun continues it once the breakpoint is placed. The
// record is reserved in the ring buffer first and submitted after the signal: a full
// buffer then loses the watchpoint (counted, as any lost record) but never leaves the
// process stopped with nothing to continue it, and btrun's SIGCONT cannot come first.
// A match of a pattern armed apart (its probe reads `probe`) sends its row, the uprobe's
// attach cookie, after the address: btrun keeps its own watchpoint for each.
#include "ProbeLowering.h"

#include "bt/Basic/Signals.h"

namespace bt::lower {

using namespace llvm;

void ProbeLowering::runWatchpointArm(const std::string &watchProgram) {
  startFunction("uprobe");
  if (lc.options.syncStart)
    returnUnlessArmed();
  Value address = argRegister(*att.watchArgument);
  EventRecord ev;
  ev.spec.kind = obj::EventKind::WatchpointAttach;
  ev.spec.line = att.attachPoint->range.begin.line;
  ev.spec.col = att.attachPoint->range.begin.col;
  ev.spec.file = int(att.attachPoint->range.begin.file);
  ev.spec.program = watchProgram;
  ev.args.push_back({address.type, 8, 8});
  ev.size = 16;
  bool perMatch = armsPerMatch(lc, probe, att);
  if (perMatch) {
    ev.args.push_back({lc.types().integer(8, false), 16, 8});
    ev.size = 24;
    lc.watchMatchNamesMap(); // the table btrun numbers the matches by, read or not
  }

  ReservedRecord r = reserveRecord(ev.size, "arm");
  B.CreateStore(B.getInt64(lc.addEvent(std::move(ev))), r.rec);
  storeValue(B.CreateConstGEP1_32(lc.i8(), r.rec, 8), address.type, address);
  if (perMatch) {
    // Sequenced apart: as two arguments of one call, GCC and clang emit them in
    // opposite orders, and the IR would differ by the compiler btc was built with.
    llvm::Value *rowAt = B.CreateConstGEP1_32(lc.i8(), r.rec, 16);
    B.CreateStore(lc.callHelper(GetAttachCookie, lc.i64(), {ctxArg}), rowAt);
  }
  if (probe.type == ProbeType::Watchpoint)
    lc.callHelper(SendSignal, lc.i64(), {B.getInt32(*signalNumber("SIGSTOP"))});
  submitRecord(r);
  finishFunction();
}

} // namespace bt::lower
