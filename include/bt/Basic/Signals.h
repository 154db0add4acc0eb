// Signal names as scripts spell them (signal("SIGUSR1"), signal("KILL")): Sema checks
// them and Lower emits their numbers.
#pragma once

#include <optional>
#include <string>

namespace bt {

// The number of the signal named "SIGKILL" or "KILL", or nullopt.
std::optional<int> signalNumber(const std::string &name);

} // namespace bt
