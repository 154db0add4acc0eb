// A stable, indented dump of the syntax tree for tests (`btc --dump-ast`).
//
// One node per line, children indented by two spaces:
//   Kind [details] <line:col-line:col>
// e.g.
//   Probe <1:1-1:40>
//     AttachPoint "kprobe:vfs_read" provider=kprobe parts=["vfs_read"] <1:1-1:15>
//     Body
//       AssignMap = <1:19-1:36>
//         Map @ <1:19-1:25>
//           Builtin comm <1:21-1:24>
//         Call count <1:29-1:35>
// Grouping lines (Predicate, Body, Cond, Then, Else) carry no range.
// Order: preamble entries, then functions (Subprog), then probes, each in
// script order. Ranges are inclusive: <begin line:col-last line:col>.
// Parentheses have no node: a parenthesised expression's range covers them.
#pragma once

#include "bt/Parse/AST.h"

#include <iosfwd>

namespace bt {

void printAST(const ast::Program &prog, std::ostream &os);

} // namespace bt
