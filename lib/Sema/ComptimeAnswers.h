// Private to lib/Sema: whether each `if comptime` kept its answer while analyze() ran
// the typer to a fixed point. Only the branch a condition picks is typed, so a
// condition that reads a type a later statement widens (sizeof(@v) of a string map
// that a later assignment makes longer) can pick one branch in an early pass and the
// other later: the first branch's map and variable types stay behind, and the taken
// branch would be lowered with them. Such a condition is refused, located.
#pragma once

#include "bt/Parse/AST.h"
#include "bt/Parse/Source.h"

#include <map>
#include <unordered_map>

namespace bt::sema {

class ComptimeAnswers {
public:
  // The answers of one pass of the typer (SemaResult::comptimeBranches).
  void note(const std::unordered_map<const ast::IfStmt *, bool> &answers);
  // One error per condition whose answer changed from one pass to another.
  void reportChanged(DiagnosticEngine &diags) const;

private:
  struct Answer {
    bool first = false;
    bool changed = false;
  };
  std::map<const ast::IfStmt *, Answer> answers_;
};

} // namespace bt::sema
