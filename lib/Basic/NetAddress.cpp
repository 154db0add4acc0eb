#include "bt/Basic/NetAddress.h"

#include <arpa/inet.h>

namespace bt {

std::optional<std::vector<unsigned char>> parseAddress(const std::string &text) {
  bool v4 = text.find('.') != std::string::npos;
  std::vector<unsigned char> bytes(v4 ? 4 : 16);
  if (inet_pton(v4 ? AF_INET : AF_INET6, text.c_str(), bytes.data()) != 1)
    return std::nullopt;
  return bytes;
}

} // namespace bt
