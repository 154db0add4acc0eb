#include "bt/Basic/Signals.h"

#include <string.h>

namespace bt {

std::optional<int> signalNumber(const std::string &name) {
  std::string bare = name.rfind("SIG", 0) == 0 ? name.substr(3) : name;
  // Linux's numbers for the standard signals are the same on every architecture btc
  // targets (x86_64, aarch64).
  for (int n = 1; n < 32; ++n)
    if (const char *abbrev = sigabbrev_np(n); abbrev && bare == abbrev)
      return n;
  return std::nullopt;
}

} // namespace bt
