// A probe whose attach points are of several kinds (`tracepoint:a:b, interval:s:1 { }`),
// as bpftrace allows: each kind gets a copy of the probe of its own, typed and lowered
// on its own (a program per kind), so a builtin that means something else per kind
// (args, retval, arg0) is typed for each and refused, located, where a kind lacks it.
// A pattern in the probe type is expanded here first, so each kind is grouped as if written.
#include "SemaInternal.h"

#include "bt/Basic/Glob.h"
#include "bt/Parse/Parser.h"

#include <algorithm>

namespace bt::sema {
namespace {

// The probe types a pattern in the probe type stands for, as upstream's `bpftrace -l`
// lists them: the kernel's, or the user-space ones where the part after the type is a
// path; canonical names only, no return probes, and fentry only where the target may
// have it (upstream lists it where the kernel has trampolines). Sorted by name, the
// order upstream expands them in. With the parts (after the type) each takes: where a
// pattern matches several, those the attach point has too few or too many parts for
// are left out, as upstream.
struct PatternKind {
  ProbeType type;
  bool userspace;
  size_t minParts, maxParts;
};
constexpr PatternKind patternKinds[] = {
    {ProbeType::Fentry, false, 1, 2},        {ProbeType::Hardware, false, 1, 2},
    {ProbeType::Iter, false, 1, 2},          {ProbeType::Kprobe, false, 1, 2},
    {ProbeType::RawTracepoint, false, 1, 2}, {ProbeType::Software, false, 1, 2},
    {ProbeType::Tracepoint, false, 2, 2},    {ProbeType::Uprobe, true, 2, 3},
    {ProbeType::Usdt, true, 2, 3}};

// `ap` with the probe type `type` in place of its pattern.
ast::AttachPoint withProbeType(const ast::AttachPoint &ap, ProbeType type) {
  ast::AttachPoint out = ap;
  out.provider = probeTypeName(type);
  auto colon = ap.text.find(':');
  out.text = out.provider + (colon == std::string::npos ? "" : ap.text.substr(colon));
  return out;
}

// The attach points a pattern in `ap`'s probe type stands for; none after an error.
std::vector<ast::AttachPoint> expandProbeTypePattern(const ast::AttachPoint &ap,
                                                     const TargetInfo &target,
                                                     DiagnosticEngine &diags) {
  bool userspace = !ap.parts.empty() && ap.parts[0].find('/') != std::string::npos;
  std::vector<const PatternKind *> matched;
  std::string candidates;
  for (const PatternKind &k : patternKinds) {
    if (k.userspace != userspace ||
        (k.type == ProbeType::Fentry && target.probeType("fentry") == Support::No))
      continue;
    candidates += (candidates.empty() ? "" : ", ") + std::string(probeTypeName(k.type));
    if (globMatches(ap.provider, probeTypeName(k.type)))
      matched.push_back(&k);
  }
  std::string types = userspace ? "the user-space probe types (" + candidates + ")"
                                : "the kernel probe types (" + candidates + ")";
  if (matched.empty()) {
    diags.error(ap.range, "no probe type matches '" + ap.provider + "': a pattern in the "
                          "probe type is matched against " + types);
    return {};
  }
  if (matched.size() == 1)
    return {withProbeType(ap, matched[0]->type)};
  std::vector<ast::AttachPoint> out;
  std::string names;
  for (const PatternKind *k : matched) {
    names += (names.empty() ? "" : ", ") + std::string(probeTypeName(k->type));
    if (ap.parts.size() >= k->minParts && ap.parts.size() <= k->maxParts)
      out.push_back(withProbeType(ap, k->type));
  }
  if (out.empty())
    diags.error(ap.range, "attach point '" + ap.text + "' has " +
                              std::to_string(ap.parts.size()) + " parts after its probe type, "
                              "which none of the probe types '" + ap.provider + "' matches (" +
                              names + ") takes");
  return out;
}

} // namespace

std::vector<std::vector<ast::AttachPoint>> attachPointsByKind(const ast::Probe &probe,
                                                              const TargetInfo &target,
                                                              DiagnosticEngine &diags) {
  std::vector<ast::AttachPoint> written;
  for (const auto &ap : probe.attachPoints) {
    if (lookupProbeKind(ap.provider) || !hasGlob(ap.provider)) {
      written.push_back(ap);
      continue;
    }
    for (auto &expanded : expandProbeTypePattern(ap, target, diags))
      written.push_back(std::move(expanded));
  }
  std::vector<std::vector<ast::AttachPoint>> groups;
  std::vector<std::optional<ProbeType>> kinds;
  std::optional<ProbeType> previous;
  for (const auto &ap : written) {
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

std::vector<const ast::Probe *> probesByKind(const ast::Probe &probe, const TargetInfo &target,
                                             SemaResult &result, DiagnosticEngine &diags) {
  auto groups = attachPointsByKind(probe, target, diags);
  if (groups.empty()) // each attach point's probe type pattern was reported
    return {};
  if (groups.size() == 1 && groups[0].size() == probe.attachPoints.size() &&
      std::equal(groups[0].begin(), groups[0].end(), probe.attachPoints.begin(),
                 [](const ast::AttachPoint &a, const ast::AttachPoint &b) {
                   return a.text == b.text;
                 }))
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
