// btc -l: the pattern is an attach point, expanded by Sema as a probe's would be, so
// that a listing names exactly what a script with that attach point attaches to.
#include "ListProbes.h"

#include "bt/Parse/Parser.h"
#include "bt/Sema/Sema.h"

namespace bt {

int listProbes(const std::string &pattern, bool verbose, const TargetInfo &target,
               std::ostream &out, std::ostream &errors) {
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
