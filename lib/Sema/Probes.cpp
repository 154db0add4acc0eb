// Attach points -> canonical probe types and expanded attachments.
#include "ProcessProbes.h"
#include "SemaInternal.h"

#include "bt/Basic/Glob.h"
#include "bt/Sema/ProbeListing.h"
#include "bt/Target/RawTracepoints.h"
#include "bt/Target/UsdtNotes.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <set>

namespace bt::sema {

namespace {

// Software perf events: name, alias, PERF_COUNT_SW_* and bpftrace's default count.
struct SoftwareEvent {
  const char *name, *alias;
  uint64_t config, defaultCount;
};
const SoftwareEvent softwareEvents[] = {
      {"cpu-clock", "cpu", 0, 1000000},        {"task-clock", "", 1, 1000000},
      {"page-faults", "faults", 2, 100},       {"context-switches", "cs", 3, 1000},
      {"cpu-migrations", "", 4, 1},            {"minor-faults", "", 5, 100},
      {"major-faults", "", 6, 1},              {"alignment-faults", "", 7, 1},
      {"emulation-faults", "", 8, 1},          {"dummy", "", 9, 1},
      {"bpf-output", "", 10, 1},
};
const SoftwareEvent *findSoftwareEvent(const std::string &n) {
  for (const auto &e : softwareEvents)
    if (n == e.name || (*e.alias && n == e.alias))
      return &e;
  return nullptr;
}

// `count` periods of `unitNs` nanoseconds each; none, reported, where that is more than 64
// bits hold (the product would wrap to another, shorter period).
std::optional<uint64_t> scaledPeriod(uint64_t count, uint64_t unitNs, const std::string &rate,
                                     SourceRange r, DiagnosticEngine &diags) {
  if (count <= UINT64_MAX / unitNs)
    return count * unitNs;
  diags.error(r, "invalid rate '" + rate + "': its period is more than 64 bits of nanoseconds");
  return std::nullopt;
}

// A name or pattern whose '{' and '}' do not pair up. A path ('/' in it) is a file's
// name, which may hold either.
bool unbalancedBraces(const std::string &part) {
  return part.find('/') == std::string::npos && !bracesBalance(part);
}

} // namespace

std::optional<uint64_t> parseNumber(const std::string &s) {
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0])))
    return std::nullopt;
  char *end = nullptr;
  errno = 0;
  uint64_t v = std::strtoull(s.c_str(), &end, 0);
  if (errno || *end)
    return std::nullopt;
  return v;
}

bool reportMissing(DiagnosticEngine &diags, obj::MissingProbes missing, SourceRange range,
                   const std::string &message) {
  if (missing == obj::MissingProbes::Error) {
    diags.error(range, message);
    return false;
  }
  if (missing == obj::MissingProbes::Warn)
    diags.warning(range, message + ": this attach point is left out (missing_probes = warn)");
  return true;
}

bool expandProbe(const ast::Probe &probe, const TargetInfo &target,
                 DiagnosticEngine &diags, ProbeInfo &out, obj::MissingProbes missing) {
  out.probe = &probe;
  bool ok = true;
  std::optional<ProbeType> probeType;
  // Tracepoints the target lacks in a probe of several attach points, under
  // missing_probes = error: bpftrace (0.17 and upstream) warns and attaches the others,
  // and fails only when none is left. Reported once the others are known.
  struct MissingTracepoint {
    SourceRange range;
    std::string message;
  };
  std::vector<MissingTracepoint> missingTracepoints;
  bool deferTracepoints = missing == obj::MissingProbes::Error && probe.attachPoints.size() > 1;
  for (const auto &ap : probe.attachPoints) {
    size_t first = out.attachments.size();
    if (!out.text.empty())
      out.text += ",";
    out.text += ap.text;
    // Unbalanced, a pattern would be matched as written, braces and all; the lexer
    // refuses one written plainly, this one quoted or from a positional parameter.
    if (auto part = std::find_if(ap.parts.begin(), ap.parts.end(), unbalancedBraces);
        part != ap.parts.end()) {
      diags.error(ap.range, "the braces of '" + *part + "' in attach point '" + ap.text +
                                "' do not balance: each '{' of a brace list needs its '}' "
                                "(kprobe:vfs_{read,write})");
      ok = false;
      continue;
    }
    if (!bracesWithinLimits(ap.text)) {
      diags.error(ap.range, "the brace lists of '" + ap.text + "' expand to more than " +
                                std::to_string(kMaxBraceAlternatives) +
                                " names or nest deeper than " +
                                std::to_string(kMaxBraceDepth));
      ok = false;
      continue;
    }
    // Kinds, spellings and the kinds not supported yet: include/bt/Basic/ProbeKinds.def.
    auto type = lookupProbeKind(ap.provider);
    if (!type) {
      // Only a positional parameter (`$1` with an empty or missing argument) leaves none.
      diags.error(ap.range, ap.provider.empty()
                                ? "attach point '" + ap.text + "' has no probe type"
                                : "unknown probe type '" + ap.provider + "'");
      ok = false;
      continue;
    }
    // Callers give one kind per probe (probesByKind).
    assert(!probeType || *probeType == *type);
    probeType = type;
    if (!runsInBtrun(*type) &&
        target.probeType(probeTypeName(*type)) == Support::No) {
      diags.error(ap.range, std::string("probe type '") + probeTypeName(*type) +
                                "' is not available on " +
                                target.nameLackingProbeType(probeTypeName(*type)));
      ok = false;
      continue;
    }
    // After a tracepoint error: why the target does not know its tracepoints, if it does not.
    auto explainUnknownTracepoints = [&] {
      std::string why = target.tracepointsUnknownReason();
      if (!why.empty())
        diags.note(ap.range, why);
    };
    // A path the target cannot resolve.
    auto resolveBinary = [&](const std::string &path) -> std::optional<std::string> {
      auto resolved = target.resolveBinary(path);
      if (resolved)
        return *resolved;
      diags.error(ap.range, resolved.error());
      ok = false;
      return std::nullopt;
    };
    const ProbeKindInfo &info = probeKind(*type);
    auto want = [&](size_t n) {
      // Every part is needed: 'kprobe:' or 'uprobe:/bin/sh:' named nothing to attach to.
      bool filled = true;
      for (const auto &p : ap.parts)
        filled &= !p.empty();
      if (ap.parts.size() == n && filled)
        return true;
      diags.error(ap.range, std::string("invalid attach point, expected ") + info.shape);
      ok = false;
      return false;
    };
    Attachment a;
    switch (*type) {
    case ProbeType::Begin:
    case ProbeType::End:
      if (!want(0))
        break;
      a.probeName = ap.provider;
      a.section = info.section;
      out.attachments.push_back(a);
      break;
    case ProbeType::Test:
    case ProbeType::Bench:
      // The name labels the result; btrun runs these only under --test / --bench.
      if (!want(1))
        break;
      if (hasGlob(ap.parts[0])) {
        diags.error(ap.range, std::string("a ") + info.name +
                                  " probe's name is a label, not a pattern: no wildcards");
        ok = false;
        break;
      }
      a.probeName = ap.provider + ":" + ap.parts[0];
      a.name = ap.parts[0];
      a.section = info.section;
      out.attachments.push_back(a);
      break;
    case ProbeType::Self: {
      // Upstream's one self probe: btrun runs it when btrun itself receives SIGUSR1.
      // A wildcard ('self:*', 'self:signal:SIG*', as upstream lists them) names it
      // where it matches "signal:SIGUSR1" (one part: the whole of it).
      if (std::any_of(ap.parts.begin(), ap.parts.end(), hasGlob)) {
        std::string pattern;
        for (const auto &p : ap.parts)
          pattern += (pattern.empty() ? "" : ":") + p;
        if (ap.parts.size() > 2 || !globMatches(pattern, "signal:SIGUSR1")) {
          diags.error(ap.range, "no self probe matches '" + ap.text +
                                    "' (self probes: self:signal:SIGUSR1)");
          ok = false;
          break;
        }
      } else if (!want(2)) {
        break;
      } else if (ap.parts[0] != "signal") {
        diags.error(ap.range, "'" + ap.parts[0] + "' is not a supported self trigger "
                              "(self probes have: signal)");
        ok = false;
        break;
      } else if (ap.parts[1] != "SIGUSR1") {
        diags.error(ap.range, "'" + ap.parts[1] + "' is not a supported signal for a self "
                              "probe (self:signal: has SIGUSR1)");
        ok = false;
        break;
      }
      a.probeName = "self:signal:SIGUSR1";
      a.section = info.section;
      a.name = "SIGUSR1";
      out.attachments.push_back(a);
      break;
    }
    case ProbeType::Tracepoint: {
      // One part with a wildcard is the event's name in any category ("tracepoint:*",
      // "tracepoint:sys_enter_*"), as bpftrace reads it.
      bool anyCategory = ap.parts.size() == 1 && hasGlob(ap.parts[0]);
      if (!anyCategory && !want(2))
        break;
      static const std::string everyCategory = "*";
      const std::string &cat = anyCategory ? everyCategory : ap.parts[0];
      const std::string &name = ap.parts.back();
      std::vector<std::pair<std::string, std::string>> matches;
      if (hasGlob(cat) || hasGlob(name)) {
        for (const auto &tp : target.tracepoints()) {
          auto colon = tp.find(':');
          if (colon == std::string::npos)
            continue;
          std::string c = tp.substr(0, colon), n = tp.substr(colon + 1);
          if (globMatches(cat, c) && globMatches(name, n))
            matches.emplace_back(c, n);
        }
        std::string none = "no tracepoint matches '" + cat + ":" + name + "' on " + target.name();
        if (matches.empty() && deferTracepoints)
          missingTracepoints.push_back({ap.range, none});
        else if (matches.empty() && !reportMissing(diags, missing, ap.range, none)) {
          explainUnknownTracepoints();
          ok = false;
        }
      } else {
        matches.emplace_back(cat, name);
      }
      for (auto &[c, n] : matches) {
        auto format = target.findTracepoint(c, n);
        if (!format && deferTracepoints) {
          missingTracepoints.push_back({ap.range, format.error()});
          continue;
        }
        if (!format) {
          if (!reportMissing(diags, missing, ap.range, format.error())) {
            explainUnknownTracepoints();
            ok = false;
          }
          continue;
        }
        Attachment t;
        t.probeName = "tracepoint:" + c + ":" + n;
        t.section = info.section + c + "/" + n;
        t.category = c;
        t.name = n;
        t.fields = std::move(format->fields);
        t.unknownFields = std::move(format->unknownFields);
        out.attachments.push_back(std::move(t));
      }
      break;
    }
    case ProbeType::RawTracepoint:
    case ProbeType::TpBtf: {
      // Upstream's rawtracepoint:MODULE:event: a raw tracepoint is attached by its name
      // alone; a module named outright must exist (checkTracingTargets), a wildcard over
      // modules is set aside.
      bool withModule = *type == ProbeType::RawTracepoint && ap.parts.size() == 2 &&
                        !ap.parts[0].empty() && !ap.parts[1].empty();
      std::string module = withModule && ap.parts[0] != "vmlinux" && !hasGlob(ap.parts[0])
                               ? ap.parts[0]
                               : "";
      if (!withModule && !want(1))
        break;
      const std::string &event = ap.parts.back();
      // A wildcard expands over the target's raw tracepoints, as a tracepoint's does.
      std::vector<std::string> names{event};
      if (hasGlob(event)) {
        auto all = rawTracepoints(target);
        if (!all) {
          diags.error(ap.range, all.error());
          ok = false;
          break;
        }
        names.clear();
        for (const std::string &n : *all)
          if (globMatches(event, n))
            names.push_back(n);
        if (names.empty() &&
            !reportMissing(diags, missing, ap.range,
                           "no raw tracepoint matches '" + event + "' on " + target.name()))
          ok = false;
      } else if (module.empty() && target.btfPath()) {
        // A named one the target's BTF lacks (its btf_trace_NAME typedefs list every raw
        // tracepoint, those without a tracefs event too), as upstream's "No probes to
        // attach"; without BTF the tracefs events are no complete list.
        auto all = rawTracepoints(target);
        if (all && !std::binary_search(all->begin(), all->end(), event)) {
          names.clear();
          if (!reportMissing(diags, missing, ap.range,
                             "raw tracepoint '" + event + "' not found on " + target.name()))
            ok = false;
        }
      }
      for (const std::string &n : names) {
        Attachment t;
        t.probeName = std::string(info.name) + ":" + n;
        t.section = info.section + n;
        t.name = n;
        t.module = module;
        out.attachments.push_back(std::move(t));
      }
      break;
    }
    case ProbeType::Interval:
    case ProbeType::Profile: {
      // interval:1s, profile:99hz (bpftrace 0.21+): the rate, then its unit.
      std::string unit, rate;
      if (ap.parts.size() == 1 && !ap.parts[0].empty() && std::isdigit((unsigned char)ap.parts[0][0])) {
        size_t digits = ap.parts[0].find_first_not_of("0123456789_");
        // A count without a unit is nanoseconds (upstream: `interval:1000000000` is
        // `interval:1s`), as is one with upstream's longer units (`interval:5m`).
        static const std::pair<const char *, uint64_t> nsUnits[] = {
            {"", 1}, {"ns", 1}, {"m", 60000000000ull}, {"h", 3600000000000ull},
            {"d", 86400000000000ull}};
        std::string suffix = digits == std::string::npos ? "" : ap.parts[0].substr(digits);
        auto nsUnit = std::find_if(std::begin(nsUnits), std::end(nsUnits),
                                   [&](const auto &u) { return suffix == u.first; });
        if (nsUnit != std::end(nsUnits)) {
          auto n = parseCount(ap.parts[0].substr(0, digits));
          if (!n || *n == 0) {
            diags.error(ap.range, "invalid rate '" + ap.parts[0] + "', expected a positive integer");
            ok = false;
            break;
          }
          auto period = scaledPeriod(*n, nsUnit->second, ap.parts[0], ap.range, diags);
          if (!period) {
            ok = false;
            break;
          }
          uint64_t ns = *period;
          // The kernel's perf timer goes no finer; upstream refuses it as this does.
          if (ns < 1000) {
            diags.error(ap.range, "invalid rate '" + ap.parts[0] + "': the shortest " +
                                      probeTypeName(*type) + " period is 1000 nanoseconds (1us)");
            ok = false;
            break;
          }
          a.periodNs = ns;
          a.probeName = std::string(probeTypeName(*type)) + ":" + ap.parts[0];
          a.section = info.section;
          out.attachments.push_back(a);
          break;
        }
        rate = ap.parts[0].substr(0, digits);
        unit = suffix;
      } else {
        if (!want(2))
          break;
        unit = ap.parts[0];
        rate = ap.parts[1];
      }
      auto n = parseCount(rate);
      if (!n || *n == 0) {
        diags.error(ap.range, "invalid rate '" + rate + "', expected a positive integer");
        ok = false;
        break;
      }
      static const std::pair<const char *, uint64_t> periodUnits[] = {
          {"s", 1000000000ull}, {"ms", 1000000ull}, {"us", 1000ull}};
      auto periodUnit = std::find_if(std::begin(periodUnits), std::end(periodUnits),
                                     [&](const auto &u) { return unit == u.first; });
      if (periodUnit != std::end(periodUnits)) {
        auto period = scaledPeriod(*n, periodUnit->second, rate, ap.range, diags);
        if (!period) {
          ok = false;
          break;
        }
        a.periodNs = *period;
      } else if (unit == "hz") {
        // An interval's period is a second over the rate (btrun's timer), so a rate over
        // a million is a period under the 1us refused in the ns spellings above.
        if (*type == ProbeType::Interval && *n > 1000000) {
          diags.error(ap.range, "invalid rate '" + rate + "' hz: its period is under 1000 "
                                "nanoseconds, and the shortest interval period is 1000 "
                                "nanoseconds (1us, interval:hz:1000000)");
          ok = false;
          break;
        }
        a.frequencyHz = *n;
      } else {
        diags.error(ap.range, "invalid unit '" + unit + "', expected " + info.shape);
        ok = false;
        break;
      }
      // The probe's name spells the rate as written, except a form only upstream reads
      // (1e3, 1_000), which it names by the number as upstream does.
      bool upstreamSpelling = rate.find('_') != std::string::npos ||
                              (rate.compare(0, 2, "0x") != 0 && rate.compare(0, 2, "0X") != 0 &&
                               rate.find_first_of("eE") != std::string::npos);
      a.probeName = std::string(probeTypeName(*type)) + ":" + unit + ":" +
                    (upstreamSpelling ? std::to_string(*n) : rate);
      a.section = info.section;
      out.attachments.push_back(a);
      break;
    }
    case ProbeType::Software: {
      if (ap.parts.size() != 1 && ap.parts.size() != 2) {
        want(2);
        break;
      }
      const SoftwareEvent *ev = findSoftwareEvent(ap.parts[0]);
      if (!ev) {
        diags.error(ap.range, "unknown software event '" + ap.parts[0] +
                                  "' (expected cpu-clock, task-clock, page-faults, "
                                  "context-switches, cpu-migrations, minor-faults, major-faults, "
                                  "alignment-faults, emulation-faults, dummy or bpf-output)");
        ok = false;
        break;
      }
      a.eventName = ev->name;
      a.eventConfig = ev->config;
      if (!perfEventCount(ap, ProbeType::Software, ev->defaultCount, diags, a)) {
        ok = false;
        break;
      }
      a.section = info.section;
      out.attachments.push_back(a);
      break;
    }
    case ProbeType::Uprobe:
    case ProbeType::Uretprobe:
      if (namesNoBinary(ap, *type)) {
        ok &= expandOnProcessBinary(ap, *type, diags, out.attachments);
        break;
      }
      ok &= expandUprobe(ap, *type, target, diags, out.attachments, missing);
      break;
    case ProbeType::Usdt: {
      // usdt:/path:provider:name or usdt:/path:name (any provider, as an empty provider
      // in usdt:/path::name is, upstream's). btrun finds the sites in the binary's
      // .note.stapsdt notes when it attaches.
      bool empty = false;
      for (size_t i = 0; i < ap.parts.size(); ++i)
        empty |= ap.parts[i].empty() && !(i == 1 && ap.parts.size() == 3);
      if (namesNoBinary(ap, *type)) {
        ok &= expandOnProcessBinary(ap, *type, diags, out.attachments);
        break;
      }
      if (refusedEveryProcess(ap, "usdt", diags)) {
        ok = false;
        break;
      }
      if ((ap.parts.size() != 2 && ap.parts.size() != 3) || empty) {
        diags.error(ap.range, std::string("invalid attach point, expected ") + info.shape);
        ok = false;
        break;
      }
      if (ap.parts.size() == 3)
        a.provider = ap.parts[1];
      a.name = ap.parts.back();
      // A wildcard path is globbed, as a uprobe's is: each file with a matching probe.
      bool pathWildcard = hasGlob(ap.parts[0]);
      std::vector<std::string> files;
      if (pathWildcard) {
        auto matched = matchingPaths(ap.parts[0], target);
        if (!matched) {
          ok &= reportMissing(diags, missing, ap.range, matched.error());
          break;
        }
        files = std::move(*matched);
      } else if (auto path = resolveBinary(ap.parts[0])) {
        // A bare name PATH lacks is a library, as a uprobe's (usdt:libc:libc:setjmp).
        if (path->find('/') == std::string::npos) {
          auto lib = target.resolveLibrary(*path);
          if (!lib) {
            diags.error(ap.range, "usdt target '" + *path +
                                      "' is neither an executable in PATH nor a library: " +
                                      lib.error());
            ok = false;
            break;
          }
          path = std::move(*lib);
        }
        files.push_back(*path);
      } else {
        break;
      }
      // A wildcard in the provider or name expands over the binary's notes, read here
      // as uprobe wildcards read its symbols.
      bool expand = pathWildcard || hasGlob(a.provider) || hasGlob(a.name);
      std::string provider = a.provider.empty() ? "*" : a.provider;
      size_t before = out.attachments.size();
      bool failed = false;
      for (const std::string &file : files) {
        std::vector<std::pair<std::string, std::string>> probes{{a.provider, a.name}};
        if (expand) {
          auto notes = usdtNotes(file);
          if (!notes) {
            if (pathWildcard)
              continue; // a file the path matches that has no readable notes
            diags.error(ap.range, notes.error());
            failed = true;
            break;
          }
          std::set<std::pair<std::string, std::string>> matched;
          for (const UsdtNote &n : *notes)
            if (globMatches(provider, n.provider) && globMatches(a.name, n.name))
              matched.emplace(n.provider, n.name);
          probes.assign(matched.begin(), matched.end());
        }
        for (const auto &[prov, name] : probes) {
          Attachment u = a;
          u.path = file;
          u.provider = prov;
          u.name = name;
          std::string spec = u.path + ":" + (prov.empty() ? "" : prov + ":") + name;
          u.probeName = "usdt:" + spec;
          u.section = info.section + spec;
          out.attachments.push_back(std::move(u));
        }
      }
      if (failed) {
        ok = false;
        break;
      }
      if (expand && out.attachments.size() == before &&
          !reportMissing(diags, missing, ap.range,
                         "no usdt probe matches '" + provider + ":" + a.name + "' in " +
                             (pathWildcard ? ap.parts[0] : files.front())))
        ok = false;
      break;
    }
    case ProbeType::Kprobe:
    case ProbeType::Kretprobe:
    case ProbeType::Fentry:
    case ProbeType::Fexit:
      ok &= expandKernelFunction(ap, *type, target, diags, out.attachments, missing);
      break;
    case ProbeType::Hardware:
      ok &= expandHardware(ap, diags, out.attachments);
      break;
    case ProbeType::Watchpoint:
    case ProbeType::AsyncWatchpoint:
      ok &= expandWatchpoint(ap, *type, target.arch(), diags, out.attachments);
      break;
    case ProbeType::Iter:
      ok &= expandIter(ap, diags, out.attachments);
      break;
    }
    for (size_t i = first; i < out.attachments.size(); ++i)
      out.attachments[i].attachPoint = &ap;
  }
  if (probeType)
    out.type = *probeType;
  for (const auto &m : missingTracepoints) {
    if (out.attachments.empty()) {
      diags.error(m.range, m.message);
      if (std::string why = target.tracepointsUnknownReason(); !why.empty())
        diags.note(m.range, why);
      ok = false;
    } else {
      diags.warning(m.range, m.message + ": this attach point is left out, the probe's others "
                                         "attach (as bpftrace does for a tracepoint)");
    }
  }
  if (ok && out.attachments.empty()) { // every attach point was left out (ProbeFunctions.cpp)
    if (missing != obj::MissingProbes::Error)
      return true; // each one was reported as missing_probes says
    diags.error(probe.range, "nothing on " + target.name() + " matches probe '" + out.text + "'");
    return false;
  }
  return ok;
}

} // namespace bt::sema

namespace bt {

std::vector<std::string> listedOptions(ProbeType type) {
  std::vector<std::string> out;
  if (type == ProbeType::Software)
    for (const auto &e : sema::softwareEvents) {
      out.push_back(e.name);
      if (*e.alias)
        out.push_back(e.alias);
    }
  if (type == ProbeType::Hardware)
    out = sema::hardwareEventNames();
  if (type == ProbeType::Interval || type == ProbeType::Profile)
    out = {"s", "ms", "us", "hz"};
  return out;
}

std::optional<std::vector<Attachment>> listAttachments(const ast::Program &program,
                                                       const TargetInfo &target,
                                                       DiagnosticEngine &diags) {
  std::map<std::string, Attachment> byName;
  bool ok = true;
  for (const auto &written : program.probes)
    for (auto &points : sema::attachPointsByKind(written, target, diags)) {
      ast::Probe probe;
      probe.attachPoints = std::move(points);
      ProbeInfo info;
      // What the target lacks lists nothing, as bpftrace -l lists it: no error.
      ok &= sema::expandProbe(probe, target, diags, info, obj::MissingProbes::Ignore);
      for (auto &a : info.attachments)
        byName.emplace(a.probeName, std::move(a));
    }
  if (!ok)
    return std::nullopt;
  std::vector<Attachment> out;
  for (auto &[name, a] : byName)
    out.push_back(std::move(a));
  return out;
}

} // namespace bt
