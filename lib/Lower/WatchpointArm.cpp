// bpftrace's watchpoint on a function's argument (`watchpoint:fn+arg1:8:w`): a uprobe on
// fn reads the argument and sends it to btrun in a watchpoint_attach record; btrun opens
// the breakpoint there and attaches the watchpoint's own program (a perf_event program,
// lowered as any probe). The synchronous form stops the process first (SIGSTOP, before
// the record, so that btrun's SIGCONT cannot come before it) so that no access in fn's
// body is missed; btrun continues it once the breakpoint is placed.
#include "ProbeLowering.h"

#include "bt/Basic/Signals.h"

namespace bt::lower {

using namespace llvm;

void ProbeLowering::runWatchpointArm(const std::string &watchProgram) {
  startFunction("uprobe");
  if (lc.options.syncStart)
    returnUnlessArmed();
  Value address = argRegister(*att.watchArgument);
  if (probe.type == ProbeType::Watchpoint)
    lc.callHelper(SendSignal, lc.i64(), {B.getInt32(*signalNumber("SIGSTOP"))});
  EventRecord ev;
  ev.spec.kind = obj::EventKind::WatchpointAttach;
  ev.spec.line = att.attachPoint->range.begin.line;
  ev.spec.col = att.attachPoint->range.begin.col;
  ev.spec.file = int(att.attachPoint->range.begin.file);
  ev.spec.program = watchProgram;
  emitEvent(std::move(ev), {address});
  finishFunction();
}

} // namespace bt::lower
