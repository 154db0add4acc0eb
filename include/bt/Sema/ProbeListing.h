// What btc -l lists for the probe kinds whose attach points name no target thing.
#pragma once

#include "bt/Basic/Builtins.h"

#include <string>
#include <vector>

namespace bt {

// The options a kind takes in its first part, for listing as upstream bpftrace lists
// them ("software:faults:", "interval:ms:"): software and hardware events (names and
// aliases), interval and profile units; none for every other kind.
std::vector<std::string> listedOptions(ProbeType type);

} // namespace bt
