// test: and bench: probes (upstream bpftrace 0.24+) run only in bpftrace's --test and
// --bench modes, through BPF_PROG_TEST_RUN: each test once, its output captured and
// reported as passed or failed; each benchmark repeated and timed. Without those modes
// bpftrace compiles them, leaves them out and runs the script's other probes. btrun
// has no such modes, so btc does what bpftrace does without them: it types each such
// probe for its errors (as a BEGIN probe, both being run by the runner itself, in a
// copy of the analysis: checkUnemitted), warns that it is left out and emits nothing.
#include "SemaInternal.h"

#include "bt/Parse/Parser.h"

namespace bt::sema {

bool isTestProbe(const ast::Probe &probe) {
  for (const ast::AttachPoint &ap : probe.attachPoints)
    if (ap.provider != "test" && ap.provider != "bench")
      return false;
  return !probe.attachPoints.empty();
}

void leaveOutTestProbe(const ast::Probe &probe, const TargetInfo &target, SemaResult &result,
                       DiagnosticEngine &diags, std::vector<ProbeInfo> &typedOnly) {
  const ast::AttachPoint &first = probe.attachPoints.front();
  diags.warning(first.range, first.provider + " probe left out: bpftrace runs it only under --" +
                                 first.provider + ", a mode btrun does not have (without it "
                                 "bpftrace leaves it out too)");
  ast::AttachPoint begin;
  begin.text = begin.provider = "BEGIN";
  begin.range = first.range;
  auto copy = std::make_shared<ast::Probe>(copyProbe(probe, {begin}, diags));
  result.probeCopies.push_back(copy);
  ProbeInfo pi;
  if (expandProbe(*copy, target, diags, pi))
    typedOnly.push_back(std::move(pi));
}

} // namespace bt::sema
