// The run host's cgroups as cgroupid() and cgroup_path() see them.
#pragma once

#include "bt/Runtime/Result.h"

#include <cstdint>
#include <string>

namespace bt::rt {

// cgroupid(path): the id of the cgroup directory at `path` (its kernfs file handle,
// which is what bpf_get_current_cgroup_id returns on cgroup v2).
Result<uint64_t> cgroupIdOf(const std::string &path);

// cgroup_path(id, filter): "NAME:/path" for each mounted hierarchy whose name matches
// the wildcard `filter` (`*` for any run of characters) and that has a cgroup with that id, joined by ","; cgroup v2 is
// named "unified" and comes first, the v1 hierarchies follow by name. "" when none has it.
std::string cgroupPathText(uint64_t id, const std::string &filter);

} // namespace bt::rt
