// The door into lib/Parse: text in, syntax tree and diagnostics out.
#pragma once

#include "bt/Parse/AST.h"
#include "bt/Parse/Source.h"

#include <optional>

namespace bt {

// Parses a whole script. Returns std::nullopt when any error was reported to
// `diags` (the parser recovers at statement and probe boundaries so that
// several errors are reported in one run).
std::optional<ast::Program> parseProgram(const SourceFile &file,
                                         DiagnosticEngine &diags);

} // namespace bt
