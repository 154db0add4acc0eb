// A probe whose attach points are of several kinds (`tracepoint:a:b, interval:s:1 { }`),
// as bpftrace allows: each kind gets a copy of the probe of its own, typed and lowered
// on its own (a program per kind), so a builtin that means something else per kind
// (args, retval, arg0) is typed for each and refused, located, where a kind lacks it.
#include "SemaInternal.h"

#include "bt/Parse/Parser.h"

namespace bt::sema {

std::vector<std::vector<ast::AttachPoint>> attachPointsByKind(const ast::Probe &probe) {
  std::vector<std::vector<ast::AttachPoint>> groups;
  std::vector<std::optional<ProbeType>> kinds;
  std::optional<ProbeType> previous;
  for (const auto &ap : probe.attachPoints) {
    // An unknown provider stays with the attach point before it: expandProbe reports it.
    std::optional<ProbeType> kind = lookupProbeKind(ap.provider);
    if (!kind)
      kind = previous;
    previous = kind;
    size_t i = 0;
    while (i < kinds.size() && kinds[i] != kind)
      ++i;
    if (i == kinds.size()) {
      kinds.push_back(kind);
      groups.emplace_back();
    }
    groups[i].push_back(ap);
  }
  return groups;
}

std::vector<const ast::Probe *> probesByKind(const ast::Probe &probe, SemaResult &result,
                                             DiagnosticEngine &diags) {
  auto groups = attachPointsByKind(probe);
  if (groups.size() <= 1)
    return {&probe};
  std::vector<const ast::Probe *> out;
  for (auto &g : groups) {
    result.probeCopies.push_back(
        std::make_unique<ast::Probe>(copyProbe(probe, std::move(g), diags)));
    out.push_back(result.probeCopies.back().get());
  }
  return out;
}

} // namespace bt::sema
