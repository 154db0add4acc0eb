// Attach point patterns: shell globs (*, ?, [...]) with brace alternatives
// ("vfs_{read,write}"), as btc expands them at compile time and btrun at run time
// (fentry:bpf names, which only the run host can match).
#ifndef BT_BASIC_GLOB_H
#define BT_BASIC_GLOB_H

#include <string>
#include <vector>

namespace bt {

/// At most this many names come of one pattern's brace lists, nested at most this deep.
constexpr size_t kMaxBraceAlternatives = 4096;
constexpr unsigned kMaxBraceDepth = 64;

/// "a{b,c}d{e,f}" -> abde, abdf, acde, acdf; "{a,{b,c}}" -> a, b, c; a pattern without
/// braces is itself, and so is one past the limits above (it then matches itself only).
std::vector<std::string> expandBraces(const std::string &pattern);

/// Whether `pattern`'s brace lists expand within the limits above.
bool bracesWithinLimits(const std::string &pattern);

/// Whether each '{' of `pattern` has its '}' and no '}' comes before its '{'; an
/// unbalanced pattern expands to itself, braces and all.
bool bracesBalance(const std::string &pattern);

/// Whether `name` matches one of `pattern`'s brace alternatives as a glob.
bool globMatches(const std::string &pattern, const std::string &name);

/// Whether `pattern` has a glob character or a brace alternative.
bool hasGlob(const std::string &pattern);

} // namespace bt

#endif
