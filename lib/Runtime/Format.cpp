// printf / print / time formatting in userspace, the way bpftrace 0.17 prints them.
#include "bt/Runtime/Format.h"

#include <cstdio>
#include <cstring>

namespace bt::rt {

uint64_t readInt(const Field &f, const uint8_t *base) {
  const uint8_t *p = base + f.offset;
  uint64_t v = 0;
  for (uint32_t i = 0; i < f.size && i < 8; ++i)
    v |= static_cast<uint64_t>(p[i]) << (8 * i);
  if (f.isSigned && f.size < 8) {
    uint64_t sign = 1ULL << (8 * f.size - 1);
    if (v & sign)
      v |= ~((sign << 1) - 1);
  }
  return v;
}

std::string readString(const Field &f, const uint8_t *base) {
  const char *p = reinterpret_cast<const char *>(base + f.offset);
  return std::string(p, strnlen(p, f.size));
}

Status checkArgs(const std::vector<Field> &args, size_t size) {
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].offset < 8 || args[i].offset + static_cast<size_t>(args[i].size) > size)
      return Error("argument " + std::to_string(i) + " (offset " +
                   std::to_string(args[i].offset) + ", size " + std::to_string(args[i].size) +
                   ") lies outside its " + std::to_string(size) + "-byte record");
  return {};
}

namespace {

struct Spec {
  std::string flags;
  std::string width;
  std::string precision; // with its '.'
  std::string length;    // hh h l ll z j t (L q accepted)
  char conv = 0;
};

/// Whether `c` is one of `set` (std::strchr alone also finds the terminating NUL).
bool inSet(const char *set, char c) { return c != '\0' && std::strchr(set, c) != nullptr; }

std::string cformat(const Spec &s, const char *cLength) {
  return "%" + s.flags + s.width + s.precision + cLength + s.conv;
}

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

std::string formatInt(const Spec &s, uint64_t v) {
  bool isSignedConv = s.conv == 'd' || s.conv == 'i';
  const std::string &l = s.length;
  if (l == "hh") {
    return isSignedConv ? snprintfOne(cformat(s, "hh"), static_cast<signed char>(v))
                        : snprintfOne(cformat(s, "hh"), static_cast<unsigned char>(v));
  }
  if (l == "h") {
    return isSignedConv ? snprintfOne(cformat(s, "h"), static_cast<short>(v))
                        : snprintfOne(cformat(s, "h"), static_cast<unsigned short>(v));
  }
  if (l.empty()) {
    // C passes int/unsigned int: 32 bits, as bpftrace (which hands its 64-bit value to
    // the C library) prints them.
    return isSignedConv ? snprintfOne(cformat(s, ""), static_cast<int>(v))
                        : snprintfOne(cformat(s, ""), static_cast<unsigned int>(v));
  }
  // l, ll, z, j, t, L, q: 64 bits on this target.
  return isSignedConv ? snprintfOne(cformat(s, "ll"), static_cast<long long>(v))
                      : snprintfOne(cformat(s, "ll"), static_cast<unsigned long long>(v));
}

} // namespace

Result<std::string> formatPrintf(std::string_view fmt, const std::vector<Field> &args,
                                 const uint8_t *record, size_t size, const FieldText *hostText) {
  auto st = checkArgs(args, size);
  if (!st)
    return std::move(st).error();
  std::string out;
  size_t argi = 0;
  for (size_t i = 0; i < fmt.size();) {
    char c = fmt[i];
    if (c != '%') {
      out.push_back(c);
      ++i;
      continue;
    }
    size_t start = i++;
    if (i < fmt.size() && fmt[i] == '%') {
      out.push_back('%');
      ++i;
      continue;
    }
    Spec s;
    while (i < fmt.size() && inSet("-0+ #", fmt[i]))
      s.flags.push_back(fmt[i++]);
    while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9')
      s.width.push_back(fmt[i++]);
    if (i < fmt.size() && fmt[i] == '.') {
      s.precision.push_back(fmt[i++]);
      while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9')
        s.precision.push_back(fmt[i++]);
    }
    while (i < fmt.size() && inSet("hlzjtLq", fmt[i]))
      s.length.push_back(fmt[i++]);
    if (i >= fmt.size())
      return Error("printf format ends inside a conversion: '" + std::string(fmt.substr(start)) + "'");
    s.conv = fmt[i++];
    std::string spec(fmt.substr(start, i - start));
    if (!inSet("diuxXocsp", s.conv)) {
      // The message is one line: a conversion character that is not printable
      // (a newline, say) is shown as \xNN.
      unsigned char u = static_cast<unsigned char>(s.conv);
      if (u < 0x20 || u >= 0x7f) {
        static const char hex[] = "0123456789abcdef";
        spec.pop_back();
        spec += std::string("\\x") + hex[u >> 4] + hex[u & 15];
      }
      return Error("printf: unsupported conversion '" + spec + "'");
    }
    if (s.length.size() > 2 || (s.length.size() == 2 && s.length != "hh" && s.length != "ll"))
      return Error("printf: bad length modifier in '" + spec + "'");
    if (argi >= args.size())
      return Error("printf: too few arguments for format (conversion '" + spec + "')");
    const Field &a = args[argi++];
    if (s.conv == 's') {
      if (a.type == FieldType::Int)
        return Error("printf: '" + spec + "' expects a string argument");
      s.length.clear();
      std::string text = a.type == FieldType::String ? readString(a, record)
                         : hostText ? (*hostText)(a, static_cast<int64_t>(readInt(a, record)), 8)
                                  : std::string();
      out += snprintfOne(cformat(s, ""), text.c_str());
      continue;
    }
    if (a.type != FieldType::Int)
      return Error("printf: '" + spec + "' expects an integer argument");
    uint64_t v = readInt(a, record);
    if (s.conv == 'c') {
      std::string piece = snprintfOne(cformat(s, ""), static_cast<int>(static_cast<unsigned char>(v)));
      // bpftrace builds each piece as a C string: a NUL character ends it.
      piece.resize(std::strlen(piece.c_str()));
      out += piece;
    } else if (s.conv == 'p') {
      out += snprintfOne(cformat(s, ""), reinterpret_cast<void *>(static_cast<uintptr_t>(v)));
    } else {
      out += formatInt(s, v);
    }
  }
  return out;
}

std::string formatValue(const Field &arg, const uint8_t *record) {
  if (arg.type == FieldType::String)
    return readString(arg, record) + "\n";
  uint64_t v = readInt(arg, record);
  return (arg.isSigned ? std::to_string(static_cast<int64_t>(v)) : std::to_string(v)) + "\n";
}

std::string formatTime(const std::string &format, std::time_t when) {
  std::tm tm{};
  if (!localtime_r(&when, &tm))
    return "(?)";
  if (format.empty())
    return {};
  std::string buf(256 + format.size() * 4, '\0');
  size_t n = std::strftime(buf.data(), buf.size(), format.c_str(), &tm);
  if (n == 0)
    return "(?)";
  buf.resize(n);
  return buf;
}

} // namespace bt::rt
