// printf format strings: the conversions bpftrace accepts, checked against the
// argument types so that btrun can format without guessing.
#include "SemaInternal.h"

namespace bt::sema {

namespace {

// A conversion as an error message shows it: on one line, unprintable bytes as \xNN.
std::string shown(const std::string &spec) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : spec) {
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
bool validUtf8(const std::string &s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    size_t n;
    if (c < 0x80)
      n = 0;
    else if ((c >> 5) == 0x6)
      n = 1;
    else if ((c >> 4) == 0xe)
      n = 2;
    else if ((c >> 3) == 0x1e)
      n = 3;
    else
      return false;
    if (s.size() - i <= n)
      return false;
    uint32_t cp = n == 0 ? c : c & (0x3f >> n);
    for (size_t k = 1; k <= n; ++k) {
      unsigned char d = s[i + k];
      if ((d & 0xc0) != 0x80)
        return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    static const uint32_t least[] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n + 1;
  }
  return true;
}

} // namespace

bool checkFormatText(const std::string &format, SourceRange range, DiagnosticEngine &diags) {
  if (validUtf8(format))
    return true;
  diags.error(range, "a format string that is not valid UTF-8 is not supported yet");
  return false;
}

bool checkFormat(const std::string &format, const std::vector<Type> &args,
                 SourceRange range, DiagnosticEngine &diags) {
  if (!checkFormatText(format, range, diags))
    return false;
  size_t argIndex = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%')
      continue;
    size_t start = i++;
    if (i < format.size() && format[i] == '%')
      continue;
    while (i < format.size() && std::string("-+ #0").find(format[i]) != std::string::npos)
      ++i;
    while (i < format.size() && std::isdigit((unsigned char)format[i]))
      ++i;
    if (i < format.size() && format[i] == '.') {
      ++i;
      while (i < format.size() && std::isdigit((unsigned char)format[i]))
        ++i;
    }
    while (i < format.size() && std::string("hlzjt").find(format[i]) != std::string::npos)
      ++i;
    if (i >= format.size()) {
      diags.error(range, "incomplete conversion '" + shown(format.substr(start)) +
                             "' at the end of the format string");
      return false;
    }
    char conv = format[i];
    std::string spec = shown(format.substr(start, i - start + 1));
    if (std::string("diuxXocsp").find(conv) == std::string::npos) {
      diags.error(range, "conversion '" + spec + "' is not supported yet");
      return false;
    }
    if (argIndex >= args.size()) {
      diags.error(range, "format '" + spec + "' has no matching argument (" +
                             std::to_string(args.size()) + " given)");
      return false;
    }
    const Type &t = args[argIndex++];
    bool wantString = conv == 's';
    if (wantString && !t.isString() && !t.isHostText()) {
      diags.error(range, "format '" + spec + "' expects a string, got " + t.str());
      return false;
    }
    if (!wantString && !t.isInt()) {
      diags.error(range, "format '" + spec + "' expects an integer, got " + t.str());
      return false;
    }
  }
  if (argIndex != args.size()) {
    diags.error(range, "too many arguments for the format string (" +
                           std::to_string(args.size()) + " given, " +
                           std::to_string(argIndex) + " used)");
    return false;
  }
  return true;
}

} // namespace bt::sema
