#include "ComptimeAnswers.h"

#include <algorithm>
#include <tuple>
#include <vector>

namespace bt::sema {

void ComptimeAnswers::note(const std::unordered_map<const ast::IfStmt *, bool> &answers) {
  for (const auto &[stmt, taken] : answers) {
    auto [it, added] = answers_.try_emplace(stmt, Answer{taken, false});
    if (!added && it->second.first != taken)
      it->second.changed = true;
  }
}

void ComptimeAnswers::reportChanged(DiagnosticEngine &diags) const {
  std::vector<SourceRange> changed;
  for (const auto &[stmt, answer] : answers_)
    if (answer.changed)
      changed.push_back(stmt->cond->range);
  // In the script's order, not the statements' addresses'.
  std::sort(changed.begin(), changed.end(), [](const SourceRange &a, const SourceRange &b) {
    return std::tie(a.begin.file, a.begin.line, a.begin.col) <
           std::tie(b.begin.file, b.begin.line, b.begin.col);
  });
  for (const SourceRange &r : changed)
    diags.error(r, "the condition of 'if comptime' changed as the script's types settled: "
                   "it reads a type that a later statement changes (such as a map's string "
                   "size); make the condition not depend on it");
}

} // namespace bt::sema
