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

// btc -lv of a uprobe: the parameters of function `symbol` as the DWARF of `path` declares
// them ("int n", "const char* s"), as bpftrace -lv prints them; none without DWARF.
std::vector<std::string> uprobeParameters(const std::string &path, const std::string &symbol);

} // namespace bt
