// Private to lib/Runtime: a CO-RE relocation the host's kernel types cannot
// satisfy (a member the object's BTF has and this kernel's lacks), found in the
// libbpf/verifier log of a failed load.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace bt::rt {

struct FailedCoreRelocation {
  std::string type;   // "struct task_struct"
  std::string member; // "btc_missing", "se.vruntime"
  std::string where;  // "script.bt:3", the script line of the access ("" when unknown)
};

// The first relocation libbpf reports it could not resolve, or nullopt.
std::optional<FailedCoreRelocation> failedCoreRelocation(const std::vector<std::string> &log);

} // namespace bt::rt
