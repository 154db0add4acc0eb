// btc -l: the pattern is an attach point, expanded by Sema as a probe's would be, so
// that a listing names exactly what a script with that attach point attaches to. Kinds
// whose first part is an option from a fixed set (software events, interval units) list
// the options a wildcard matches, as upstream bpftrace lists them ("software:faults:").
#include "ListProbes.h"

#include "bt/Parse/Parser.h"
#include "bt/Sema/ProbeListing.h"
#include "bt/Sema/Sema.h"

#include <fnmatch.h>
#include <set>

namespace bt {
namespace {

// The options `pattern` matches, when its kind has a fixed set and its first part is a
// wildcard (or missing); nullopt otherwise.
std::optional<std::set<std::string>> listOptions(const std::string &pattern) {
  size_t colon = pattern.find(':');
  auto kind = lookupProbeKind(pattern.substr(0, colon));
  if (!kind.type)
    return std::nullopt;
  std::string first = "*";
  if (colon != std::string::npos)
    first = pattern.substr(colon + 1, pattern.find(':', colon + 1) - colon - 1);
  auto options = listedOptions(*kind.type);
  if (options.empty() || first.find_first_of("*?[") == std::string::npos)
    return std::nullopt;
  std::set<std::string> out;
  for (const std::string &option : options)
    if (fnmatch(first.c_str(), option.c_str(), 0) == 0)
      out.insert(std::string(probeTypeName(*kind.type)) + ":" + option + ":");
  return out;
}

} // namespace

int listProbes(const std::string &pattern, bool verbose, const TargetInfo &target,
               std::ostream &out, std::ostream &errors) {
  if (auto options = listOptions(pattern)) {
    if (options->empty()) {
      errors << "btc: error: nothing matches '" << pattern << "'\n";
      return 1;
    }
    for (const std::string &option : *options)
      out << option << "\n";
    return 0;
  }
  SourceFile source("-l", pattern + " {}");
  DiagnosticEngine diags(source);
  auto program = parseProgram(source, diags, ParseOptions{});
  if (!program) {
    diags.print(errors);
    return 1;
  }
  auto attachments = listAttachments(*program, target, diags);
  diags.print(errors);
  if (!attachments)
    return 1;
  for (const Attachment &a : *attachments) {
    out << a.probeName << "\n";
    if (verbose)
      for (const TracepointField &f : a.fields)
        out << "    " << f.declaration << "\n";
  }
  return 0;
}

} // namespace bt
