// Brace alternatives expand before the glob matches: each alternative is a glob of its
// own (fnmatch), a name matches the pattern when it matches one of them.
#include "bt/Basic/Glob.h"

#include <fnmatch.h>

namespace bt {

// The first '{' whose matching '}' holds a ',' at its own depth is a list: each of its
// alternatives (expanded again, so lists nest: "{a,{b,c}}") before each of the rest's
// expansions. A '{' with no such ',' ("{a}") is a literal character, as a shell keeps it.
std::vector<std::string> expandBraces(const std::string &pattern) {
  for (size_t open = pattern.find('{'); open != std::string::npos;
       open = pattern.find('{', open + 1)) {
    std::vector<size_t> ends; // of each alternative: the list's commas, then its '}'
    unsigned depth = 0;
    for (size_t i = open; i < pattern.size(); ++i) {
      if (pattern[i] == '{')
        ++depth;
      else if (pattern[i] == ',' && depth == 1)
        ends.push_back(i);
      else if (pattern[i] == '}' && --depth == 0) {
        ends.push_back(i);
        break;
      }
    }
    if (depth != 0)
      return {pattern};
    if (ends.size() < 2)
      continue;
    std::vector<std::string> out, rests = expandBraces(pattern.substr(ends.back() + 1));
    size_t start = open + 1;
    for (size_t end : ends) {
      for (const auto &alternative : expandBraces(pattern.substr(start, end - start)))
        for (const auto &rest : rests)
          out.push_back(pattern.substr(0, open) + alternative + rest);
      start = end + 1;
    }
    return out;
  }
  return {pattern};
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
