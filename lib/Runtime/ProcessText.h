// Process identities as btrun prints them.
#pragma once

#include <cstdint>
#include <string>

namespace bt::rt {

// username: the name /etc/passwd gives `uid` on this host, "" when it has none
// (bpftrace reads /etc/passwd alone, not NSS: a static btrun does the same).
std::string userName(uint32_t uid);

} // namespace bt::rt
