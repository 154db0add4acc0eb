// Address literals as pton() takes them: Sema checks them and Lower emits their bytes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace bt {

// The bytes of an IPv4 ("127.0.0.1", 4 bytes) or IPv6 ("::1", 16 bytes) address in
// network order, or nullopt. A dot makes it IPv4, as bpftrace 0.17 decides, so a
// mapped "::ffff:1.2.3.4" is refused there as here.
std::optional<std::vector<unsigned char>> parseAddress(const std::string &text);

} // namespace bt
