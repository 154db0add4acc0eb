// Rendering one conversion of a printf format per event, as bpftrace 0.17 renders it
// (checked by test/runtime/diff-printf-conversions.bt).
#include "bt/Format/Printf.h"

#include <cctype>
#include <cstdio>
#include <cstring>

namespace bt::format {

namespace {

template <typename T> std::string snprintfOne(const std::string &fmt, T value) {
  char small[128];
  int n = std::snprintf(small, sizeof small, fmt.c_str(), value);
  if (n < 0)
    return {};
  if (static_cast<size_t>(n) < sizeof small)
    return std::string(small, n);
  std::string big(static_cast<size_t>(n) + 1, '\0');
  std::snprintf(big.data(), big.size(), fmt.c_str(), value);
  big.resize(n);
  return big;
}

/// The conversion for C's snprintf with `cLength` in place of the script's modifier.
std::string cSpec(const Conversion &c, const char *cLength) {
  return "%" + c.flags + c.width + c.precision + cLength + (c.gfpFlags ? 's' : c.conversion);
}

} // namespace

std::string renderInteger(const Conversion &c, uint64_t v) {
  if (c.conversion == 'c') {
    std::string piece = snprintfOne(cSpec(c, ""), static_cast<int>(static_cast<unsigned char>(v)));
    // bpftrace builds each piece as a C string: a NUL character ends it.
    piece.resize(std::strlen(piece.c_str()));
    return piece;
  }
  if (c.conversion == 'p')
    return snprintfOne(cSpec(c, ""), reinterpret_cast<void *>(static_cast<uintptr_t>(v)));
  bool isSigned = c.conversion == 'd';
  switch (c.length) {
  case Length::Hh:
    return isSigned ? snprintfOne(cSpec(c, "hh"), static_cast<signed char>(v))
                    : snprintfOne(cSpec(c, "hh"), static_cast<unsigned char>(v));
  case Length::H:
    return isSigned ? snprintfOne(cSpec(c, "h"), static_cast<short>(v))
                    : snprintfOne(cSpec(c, "h"), static_cast<unsigned short>(v));
  case Length::None:
    // C passes int/unsigned int: 32 bits, as bpftrace (which hands its 64-bit value to
    // the C library) prints them.
    return isSigned ? snprintfOne(cSpec(c, ""), static_cast<int>(v))
                    : snprintfOne(cSpec(c, ""), static_cast<unsigned int>(v));
  default:
    // l, ll, j, z, t: 64 bits on every target btc compiles for.
    return isSigned ? snprintfOne(cSpec(c, "ll"), static_cast<long long>(v))
                    : snprintfOne(cSpec(c, "ll"), static_cast<unsigned long long>(v));
  }
}

std::string renderBuffer(const Conversion &c, std::string_view bytes) {
  std::string out;
  for (unsigned char b : bytes) {
    char hex[5];
    if (c.bufferStyle == 'h') {
      std::snprintf(hex, sizeof hex, "%s%02x", out.empty() ? "" : " ", b);
    } else if (c.bufferStyle == 'x' || !std::isprint(b)) {
      std::snprintf(hex, sizeof hex, "\\x%02x", b);
    } else {
      out += static_cast<char>(b);
      continue;
    }
    out += hex;
  }
  return out;
}

std::string renderString(const Conversion &c, const std::string &text) {
  return snprintfOne(cSpec(c, ""), text.c_str());
}

} // namespace bt::format
