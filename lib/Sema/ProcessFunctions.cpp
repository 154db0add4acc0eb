// Typing of the functions that act on the traced process: signal(SIG [, current_pid |
// current_tid]),
// signal_thread(SIG) (the traced thread), override(rc), unwatch(addr).
#include "Typer.h"

#include "bt/Basic/Signals.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::processFunctionCall(const CallExpr *c, FunctionId id) {
  if (id == FunctionId::Override)
    return overrideCall(c);
  if (id == FunctionId::Unwatch) {
    // As bpftrace: any probe may ask btrun to remove the watchpoints on an address,
    // an integer (0.17) or a pointer (upstream's `void *addr`).
    const Type &t = ty(expr(c->args[0].get()));
    if (!t.isNone() && !t.isInt() && !t.isPointer())
      err(c->args[0]->range, "unwatch() takes an address (an integer or a pointer), got " +
                                 t.str());
    return R.types.none();
  }
  if (id != FunctionId::Signal && id != FunctionId::SignalThread)
    return R.types.none();
  const std::string fn = c->callee + "()";
  // BEGIN, END and self run in btrun itself; a timer interrupts whichever task is on the CPU.
  // In a function no probe calls the probe is unknown: bpftrace checks the kind only in probes.
  if (probe_ && (runsInBtrun(probe_->type) || probe_->type == ProbeType::Interval)) {
    err(c->range, fn + " cannot be used in " +
                      (probe_->type == ProbeType::Interval ? "interval"
                       : probe_->type == ProbeType::Self   ? "self"
                                                           : "BEGIN or END") +
                      " probes: no traced process is current there");
    return R.types.none();
  }
  const Expr *sig = c->args[0].get();
  if (auto *s = as<StringLit>(sig)) {
    if (!signalNumber(s->value))
      err(sig->range, fn + " does not know the signal '" + s->value + "'");
  } else if (auto n = literal(sig)) {
    if (*n < 1 || *n > 64)
      err(sig->range, fn + " number must be from 1 to 64");
  } else {
    const Type &t = ty(expr(sig));
    if (!t.isNone() && !t.isInt())
      err(sig->range, fn + " takes a signal name or number, got " + t.str());
  }
  // Upstream's second argument (0.25+): current_pid, the process (the default), or
  // current_tid, the thread, as signal_thread().
  if (c->args.size() == 2) {
    auto *whom = as<IdentifierRef>(c->args[1].get());
    if (!whom || (whom->name != "current_pid" && whom->name != "current_tid"))
      err(c->args[1]->range, fn + " sends to current_pid or current_tid");
  }
  return R.types.none();
}

// override(rc): the kprobed function returns rc without running (bpf_override_return,
// kprobes only, as bpftrace; btrun runs it only with --unsafe, as bpftrace compiles it).
TypeId Typer::overrideCall(const CallExpr *c) {
  if (probe_ && probe_->type != ProbeType::Kprobe) {
    err(c->range, "override() can only be used in kprobe probes");
    return R.types.none();
  }
  const Type &t = ty(expr(c->args[0].get()));
  if (!t.isNone() && !t.isInt())
    err(c->args[0]->range, "override() takes an integer return value, got " + t.str());
  return R.types.none();
}

} // namespace bt::sema
