// Parsing a printf format: once per run in btrun, so built for size. The conversions
// follow bpftrace 0.17 (checked against Debian's bpftrace by
// test/runtime/diff-printf-conversions.bt); each refusal says why in one line.
#include "bt/Format/Printf.h"
#include "bt/Format/Text.h"

#include <cctype>
#include <cstdio>
#include <cstring>

namespace bt::format {

namespace {

struct LengthSpelling {
  Length length;
  const char *text;
};
const LengthSpelling kLengths[] = {{Length::None, ""}, {Length::Hh, "hh"}, {Length::H, "h"},
                                   {Length::L, "l"},   {Length::Ll, "ll"}, {Length::J, "j"},
                                   {Length::Z, "z"},   {Length::T, "t"}};

const char *spellingOf(Length l) {
  for (const auto &s : kLengths)
    if (s.length == l)
      return s.text;
  return "";
}

/// Whether `c` is one of `set` (std::strchr alone also finds the terminating NUL).
bool inSet(const char *set, char c) { return c != '\0' && std::strchr(set, c) != nullptr; }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// The refusal of a conversion that has been read whole, or nothing when it is accepted.
std::optional<std::string> refusal(const Conversion &c, const std::string &length,
                                   const std::string &spec) {
  const std::string refused = " (bpftrace 0.17 refuses it)";
  if (c.conversion == 'i')
    return "conversion '" + spec + "' is not supported (bpftrace 0.17 refuses it; use '" +
           spec.substr(0, spec.size() - 1) + "d')";
  if (c.conversion == 'r' && (!c.flags.empty() || !c.width.empty() || !c.precision.empty() ||
                              !length.empty()))
    return "conversion '" + spec + "' is not supported (bpftrace 0.17 takes '%r', '%rx' and "
           "'%rh' alone, and prints others as text)";
  if (c.conversion == 'r')
    return std::nullopt;
  if (!inSet("douxXcsp", c.conversion) && !c.gfpFlags)
    return "conversion '" + spec + "' is not supported";
  for (char f : c.flags)
    if (inSet("+# ", f))
      return "flag '" + std::string(1, f) + "' in '" + spec + "' is not supported" + refused;
  if (c.flags.find('-', 1) != std::string::npos)
    return "flags in '" + spec + "' are not supported (bpftrace 0.17 takes one '-', before any '0')";
  if (c.precision == ".")
    return "precision without digits in '" + spec + "' is not supported" + refused;
  bool known = false;
  for (const auto &s : kLengths)
    known = known || length == s.text;
  if (!known)
    return "length modifier '" + length + "' in '" + spec + "' is not supported" + refused;
  if (!length.empty() && c.gfpFlags)
    return "length modifier '" + length + "' in '" + spec + "' is not supported (upstream "
           "bpftrace takes '%gr' without one)";
  if (!length.empty() && (c.conversion == 'c' || c.conversion == 's'))
    return "length modifier '" + length + "' in '" + spec + "' is not supported with '%" +
           c.conversion + "'" + refused;
  return std::nullopt;
}

} // namespace

const char *argKindName(ArgKind kind) {
  return kind == ArgKind::String ? "a string" : kind == ArgKind::Buffer ? "a buffer" : "an integer";
}

std::string Conversion::spelling() const {
  return "%" + flags + width + precision + spellingOf(length) + conversion +
         (bufferStyle ? std::string(1, bufferStyle) : "") + (gfpFlags ? "r" : "");
}

PrintfParse parsePrintf(std::string_view f) {
  PrintfParse r;
  for (size_t i = 0; i < f.size();) {
    if (f[i] != '%') {
      r.format.texts.back() += f[i++];
      continue;
    }
    size_t start = i++;
    if (i < f.size() && f[i] == '%') {
      r.format.texts.back() += '%';
      ++i;
      continue;
    }
    // Read the widest conversion C would read, so that a refusal shows all of it.
    Conversion c;
    while (i < f.size() && inSet("-+ #0", f[i]))
      c.flags += f[i++];
    while (i < f.size() && isDigit(f[i]))
      c.width += f[i++];
    if (i < f.size() && f[i] == '.') {
      c.precision += f[i++];
      while (i < f.size() && isDigit(f[i]))
        c.precision += f[i++];
    }
    std::string length;
    while (i < f.size() && inSet("hlLqjzt", f[i]))
      length += f[i++];
    if (i >= f.size()) {
      r.error = "incomplete conversion '" + escapeNonPrintable(f.substr(start)) +
                "' at the end of the format string";
      return r;
    }
    c.conversion = f[i++];
    if (c.conversion == 'r' && i < f.size() && (f[i] == 'x' || f[i] == 'h'))
      c.bufferStyle = f[i++];
    if (c.conversion == 'g' && i < f.size() && f[i] == 'r') {
      c.gfpFlags = true;
      ++i;
    }
    if (auto why = refusal(c, length, escapeNonPrintable(f.substr(start, i - start)))) {
      r.error = std::move(why);
      return r;
    }
    for (const auto &s : kLengths)
      if (length == s.text)
        c.length = s.length;
    r.format.conversions.push_back(std::move(c));
    r.format.texts.emplace_back();
  }
  return r;
}

} // namespace bt::format
