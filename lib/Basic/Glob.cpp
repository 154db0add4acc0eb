// Brace alternatives expand before the glob matches: each alternative is a glob of its
// own (fnmatch), a name matches the pattern when it matches one of them.
#include "bt/Basic/Glob.h"

#include <fnmatch.h>

namespace bt {

std::vector<std::string> expandBraces(const std::string &pattern) {
  auto open = pattern.find('{');
  auto close = open == std::string::npos ? open : pattern.find('}', open);
  if (close == std::string::npos)
    return {pattern};
  std::vector<std::string> out;
  std::string body = pattern.substr(open + 1, close - open - 1);
  std::vector<std::string> rests = expandBraces(pattern.substr(close + 1));
  size_t start = 0;
  while (start <= body.size()) {
    size_t comma = body.find(',', start);
    if (comma == std::string::npos)
      comma = body.size();
    for (const auto &rest : rests)
      out.push_back(pattern.substr(0, open) + body.substr(start, comma - start) + rest);
    start = comma + 1;
  }
  return out;
}

bool globMatches(const std::string &pattern, const std::string &name) {
  for (const auto &alternative : expandBraces(pattern))
    if (fnmatch(alternative.c_str(), name.c_str(), 0) == 0)
      return true;
  return false;
}

bool hasGlob(const std::string &pattern) {
  return pattern.find_first_of("*?[{") != std::string::npos;
}

} // namespace bt
