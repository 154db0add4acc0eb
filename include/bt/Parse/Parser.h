// The door into lib/Parse: text in, syntax tree and diagnostics out.
#pragma once

#include "bt/Parse/AST.h"
#include "bt/Parse/Source.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bt {

// One `import "x.bpf.c";`: the BPF C source btc compiles and links into the script.
struct CSourceImport {
  std::string path;
  SourceRange range; // the import's
};

struct ParseOptions {
  // Macros defined before the script's first line (NAME -> body), as bpftrace
  // defines BPFTRACE_HAVE_BTF where the target has BTF.
  std::map<std::string, std::string> predefined;
  // Where `import "name";` looks after the importing script's own directory
  // (btc -I), in order.
  std::vector<std::string> importDirs;
  // btc's arguments after the script: an unquoted `$N` in an attach point becomes the
  // Nth (a missing one: empty text), as bpftrace substitutes it. Unset: such a `$N` is a
  // located error (btrun's arguments come too late to choose what to attach to).
  std::optional<std::vector<std::string>> positionalArgs;
  // When not null, set to true if an attach point read positionalArgs.
  bool *attachPointsReadArgs = nullptr;
  // When not null, each BPF C source the script or its imports import, once; when
  // null, such an import is a located error.
  std::vector<CSourceImport> *cSources = nullptr;
};

// Parses a whole script and the scripts it imports. Returns std::nullopt when any error was reported to
// `diags` (the parser recovers at statement and probe boundaries so that
// several errors are reported in one run).
std::optional<ast::Program> parseProgram(const SourceFile &file,
                                         DiagnosticEngine &diags,
                                         const ParseOptions &options = {});

// `probe`'s predicate and body, copied node by node (source ranges kept), under other
// attach points: Sema types a probe whose attach points are of several kinds once per
// kind, each copy on its own.
ast::Probe copyProbe(const ast::Probe &probe, std::vector<ast::AttachPoint> attachPoints,
                     DiagnosticEngine &diags);

// An expression copied node by node (source ranges kept): Sema builds a function's
// expansion (abs_path's walk) around a copy of its argument, typed and lowered there.
ast::ExprPtr copyExpr(const ast::Expr *e, DiagnosticEngine &diags);

} // namespace bt
