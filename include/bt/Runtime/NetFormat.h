// Network values as bpftrace 0.17 prints them: ntop's addresses.
#ifndef BT_RUNTIME_NETFORMAT_H
#define BT_RUNTIME_NETFORMAT_H

#include <cstdint>
#include <string>

namespace bt::rt {

/// An `inet` value (bt/Object/Layout.h) through inet_ntop(3): "127.0.0.1", "::1"; empty
/// for a family inet_ntop does not know, as bpftrace prints it.
std::string inetText(const uint8_t *value);

} // namespace bt::rt

#endif
