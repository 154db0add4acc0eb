// ntop's addresses, rendered with the run host's inet_ntop(3), as bpftrace does.
#include "bt/Runtime/NetFormat.h"
#include "bt/Object/Layout.h"

#include <arpa/inet.h>

#include <cstring>

namespace bt::rt {

std::string inetText(const uint8_t *value) {
  uint64_t family;
  std::memcpy(&family, value, sizeof family);
  char text[INET6_ADDRSTRLEN] = "";
  if (family > INT32_MAX ||
      !inet_ntop(static_cast<int>(family), value + obj::kInetBytesOffset, text, sizeof text))
    return "";
  return text;
}

} // namespace bt::rt
