// Brace alternatives expand before the glob matches: each alternative is a glob of its
// own (fnmatch), a name matches the pattern when it matches one of them.
#include "bt/Basic/Glob.h"

#include <fnmatch.h>

namespace bt {

namespace {

// The first '{' whose matching '}' holds a ',' at its own depth is a list: each of its
// alternatives (expanded again, so lists nest: "{a,{b,c}}") before each of the rest's
// expansions. A '{' with no such ',' ("{a}") is a literal character, as a shell keeps it.
// False once the names would pass kMaxBraceAlternatives (twenty lists of two are a
// million names) or the lists nest deeper than kMaxBraceDepth.
bool expandInto(const std::string &pattern, std::vector<std::string> &out, unsigned depth) {
  if (depth > kMaxBraceDepth)
    return false;
  for (size_t open = pattern.find('{'); open != std::string::npos;
       open = pattern.find('{', open + 1)) {
    std::vector<size_t> ends; // of each alternative: the list's commas, then its '}'
    unsigned level = 0;
    for (size_t i = open; i < pattern.size(); ++i) {
      if (pattern[i] == '{')
        ++level;
      else if (pattern[i] == ',' && level == 1)
        ends.push_back(i);
      else if (pattern[i] == '}' && --level == 0) {
        ends.push_back(i);
        break;
      }
    }
    if (level != 0)
      break;
    if (ends.size() < 2)
      continue;
    std::vector<std::string> rests;
    if (!expandInto(pattern.substr(ends.back() + 1), rests, depth + 1))
      return false;
    size_t start = open + 1;
    for (size_t end : ends) {
      std::vector<std::string> alternatives;
      if (!expandInto(pattern.substr(start, end - start), alternatives, depth + 1))
        return false;
      for (const auto &alternative : alternatives)
        for (const auto &rest : rests) {
          if (out.size() == kMaxBraceAlternatives)
            return false;
          out.push_back(pattern.substr(0, open) + alternative + rest);
        }
      start = end + 1;
    }
    return true;
  }
  out.push_back(pattern);
  return true;
}

} // namespace

std::vector<std::string> expandBraces(const std::string &pattern) {
  std::vector<std::string> out;
  if (!expandInto(pattern, out, 0))
    return {pattern};
  return out;
}

bool bracesWithinLimits(const std::string &pattern) {
  std::vector<std::string> out;
  return expandInto(pattern, out, 0);
}

bool bracesBalance(const std::string &pattern) {
  int depth = 0;
  for (char c : pattern) {
    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    if (depth < 0)
      return false;
  }
  return depth == 0;
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
