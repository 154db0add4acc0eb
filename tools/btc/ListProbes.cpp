// btc -l: the pattern is an attach point, expanded by Sema as a probe's would be, so
// that a listing names exactly what a script with that attach point attaches to. Kinds
// whose first part is an option from a fixed set (software events, interval units) list
// the options a wildcard matches, as upstream bpftrace lists them ("software:faults:").
// A pattern whose kind is a wildcard ('*', '*:sched:*', none at all) lists every kind it
// matches, as bpftrace -l does. What matches nothing lists nothing and succeeds, as
// bpftrace -l (0.17 and upstream) does; an attach point no script could have is an error.
#include "ListProbes.h"

#include "bt/Parse/Parser.h"
#include "bt/Sema/ProbeListing.h"
#include "bt/Sema/Sema.h"

#include <fnmatch.h>
#include <map>
#include <set>
#include <sstream>

namespace bt {
namespace {

// Each listed probe's name and, for a tracepoint, its fields' declarations.
using Listing = std::map<std::string, std::vector<std::string>>;

// The options `pattern` matches, when its kind has a fixed set and its first part is a
// wildcard (or missing); nullopt otherwise.
std::optional<Listing> listOptions(const std::string &pattern) {
  size_t colon = pattern.find(':');
  auto kind = lookupProbeKind(pattern.substr(0, colon));
  if (!kind)
    return std::nullopt;
  std::string first = "*";
  if (colon != std::string::npos)
    first = pattern.substr(colon + 1, pattern.find(':', colon + 1) - colon - 1);
  auto options = listedOptions(*kind);
  if (options.empty() || first.find_first_of("*?[") == std::string::npos)
    return std::nullopt;
  Listing out;
  for (const std::string &option : options)
    if (fnmatch(first.c_str(), option.c_str(), 0) == 0)
      out[std::string(probeTypeName(*kind)) + ":" + option + ":"];
  return out;
}

// What one attach point `pattern` of a single kind lists, or nullopt with its errors
// written to `errors`; `verbose` adds a uprobe's parameters (read from its file's DWARF).
std::optional<Listing> listKind(const std::string &pattern, const TargetInfo &target,
                                std::ostream &errors, bool verbose = false) {
  if (auto options = listOptions(pattern))
    return options;
  // The body on a line of its own: an error's context line is the pattern as given,
  // as bpftrace shows it.
  SourceFile source("-l", pattern + "\n{}");
  DiagnosticEngine diags(source);
  auto program = parseProgram(source, diags, ParseOptions{});
  std::optional<std::vector<Attachment>> attachments;
  if (program)
    attachments = listAttachments(*program, target, diags);
  diags.print(errors);
  if (!attachments)
    return std::nullopt;
  Listing out;
  for (const Attachment &a : *attachments) {
    auto &fields = out[a.probeName];
    for (const TracepointField &f : a.fields)
      fields.push_back(f.declaration);
    if (verbose && a.probeName.rfind("uprobe:", 0) == 0 && !a.symbol.empty() && a.offset == 0)
      fields = uprobeParameters(a.path, a.symbol);
  }
  return out;
}

// Every kind whose name matches `kindPattern`, each listed whole and kept where the
// rest of its names (after "kind:") match `rest`. User-space kinds need a file and
// watchpoints an address, so bpftrace -l '*' leaves them out, and so does this; so do
// BEGIN and END, which attach to nothing. A `rest` that names a file ('*:./prog:*')
// lists that file's uprobes and usdt probes alone, as bpftrace -l does (uretprobes are
// the uprobes' names again, and bpftrace lists them once). A kind this target lacks or
// cannot list is left out.
Listing listKinds(const std::string &kindPattern, const std::string &rest,
                  const TargetInfo &target) {
  bool namesFile = rest.substr(0, rest.find(':')).find('/') != std::string::npos;
  Listing out;
  for (const ProbeKindInfo &kind : allProbeKinds()) {
    bool userSpace = kind.type == ProbeType::Uprobe || kind.type == ProbeType::Usdt;
    if (kind.order == AttachOrder::Unattached || kind.type == ProbeType::Uretprobe ||
        userSpace != namesFile || fnmatch(kindPattern.c_str(), kind.name, 0) != 0 ||
        target.probeType(kind.name) == Support::No)
      continue;
    std::ostringstream ignored;
    std::string name = kind.name;
    if (userSpace) {
      if (auto inFile = listKind(name + ":" + rest, target, ignored))
        out.merge(*inFile);
      continue;
    }
    auto whole = listKind(name + ":*", target, ignored);
    if (!whole)
      whole = listKind(name + ":*:*", target, ignored);
    if (!whole)
      continue;
    for (auto &[probe, fields] : *whole) {
      // An option ("hardware:cycles:") matches without its closing ':' too.
      std::string tail = probe.substr(name.size() + 1);
      std::string option = tail.substr(0, tail.size() - (!tail.empty() && tail.back() == ':'));
      if (fnmatch(rest.c_str(), tail.c_str(), 0) == 0 ||
          fnmatch(rest.c_str(), option.c_str(), 0) == 0)
        out[probe] = std::move(fields);
    }
  }
  return out;
}

} // namespace

int listProbes(const std::string &pattern, bool verbose, const TargetInfo &target,
               std::ostream &out, std::ostream &errors) {
  if (pattern.find_first_not_of(" \t\n") == std::string::npos) {
    errors << "btc: error: -l's PATTERN is empty: give one ('tracepoint:sched:*'), or none "
              "to list every probe\n";
    return 1;
  }
  size_t colon = pattern.find(':');
  std::string kind = pattern.substr(0, colon);
  std::string rest = colon == std::string::npos ? "" : pattern.substr(colon + 1);
  // bpftrace matches a tracepoint pattern of one part ('tracepoint:*', 'tracepoint:sched*')
  // against the whole "category:name", as a pattern with a wildcard kind does.
  bool tracepointText = lookupProbeKind(kind) == ProbeType::Tracepoint &&
                        rest.find(':') == std::string::npos &&
                        rest.find_first_of("*?[") != std::string::npos;
  std::optional<Listing> listing;
  if (tracepointText) {
    listing = listKinds(probeTypeName(ProbeType::Tracepoint), rest, target);
  } else if (kind.find_first_of("*?[") != std::string::npos) {
    // bpftrace reads a pattern of one part ('*sched*') as every kind's rest.
    listing = listKinds(colon == std::string::npos ? "*" : kind,
                        colon == std::string::npos ? pattern : pattern.substr(colon + 1),
                        target);
  } else {
    listing = listKind(pattern, target, errors, verbose);
    if (!listing)
      return 1;
  }
  // Nothing listed from a target that cannot say which tracepoints it has is no answer.
  bool tracepoints = tracepointText || lookupProbeKind(kind) == ProbeType::Tracepoint ||
                     kind.find_first_of("*?[") != std::string::npos;
  if (std::string why = target.tracepointsUnknownReason();
      listing->empty() && tracepoints && !why.empty())
    errors << "btc: warning: " << why << "\n";
  for (const auto &[probe, fields] : *listing) {
    out << probe << "\n";
    if (verbose)
      for (const std::string &f : fields)
        out << "    " << f << "\n";
  }
  return 0;
}

} // namespace bt
