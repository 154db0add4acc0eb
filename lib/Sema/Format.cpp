// printf format strings: the conversions bpftrace accepts, checked against the
// argument types so that btrun can format without guessing.
#include "SemaInternal.h"

namespace bt::sema {

bool checkFormat(const std::string &format, const std::vector<Type> &args,
                 SourceRange range, DiagnosticEngine &diags) {
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
      diags.error(range, "incomplete conversion '" + format.substr(start) +
                             "' at the end of the format string");
      return false;
    }
    char conv = format[i];
    std::string spec = format.substr(start, i - start + 1);
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
    if (wantString && !t.isString()) {
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
