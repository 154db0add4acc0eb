// The door into lib/Parse: text in, syntax tree and diagnostics out.
#pragma once

#include "bt/Parse/AST.h"
#include "bt/Parse/Source.h"

#include <map>
#include <optional>
#include <string>

namespace bt {

struct ParseOptions {
  // Macros defined before the script's first line (NAME -> body), as bpftrace
  // defines BPFTRACE_HAVE_BTF where the target has BTF.
  std::map<std::string, std::string> predefined;
};

// Parses a whole script. Returns std::nullopt when any error was reported to
// `diags` (the parser recovers at statement and probe boundaries so that
// several errors are reported in one run).
std::optional<ast::Program> parseProgram(const SourceFile &file,
                                         DiagnosticEngine &diags,
                                         const ParseOptions &options = {});

} // namespace bt
