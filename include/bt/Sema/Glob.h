// globmatch()'s pattern, parsed once for Sema's checks and Lower's matcher.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bt::sema {

struct GlobToken {
  enum class Kind { Char, Any, Star, Set } kind = Kind::Char;
  // Char: one range of one byte; Set: its ranges, matched unless negated.
  std::vector<std::pair<unsigned char, unsigned char>> ranges;
  bool negated = false;
};

// Each token is a bit of the literal matcher's u64 state (lib/Lower/GlobLiteral.cpp),
// as is the state past the last token.
constexpr size_t kMaxGlobTokens = 63;

// The tokens of a pattern, or nullopt with `why` ("has a '[' without its ']'").
std::optional<std::vector<GlobToken>> globPattern(const std::string &pattern, std::string &why);

} // namespace bt::sema
