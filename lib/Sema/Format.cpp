// printf formats checked against their argument types, through lib/Format's parser (the
// one btrun loads formats with), so that btc accepts exactly what btrun can print.
#include "StoredInteger.h"
#include "SemaInternal.h"

#include "bt/Format/Printf.h"
#include "bt/Format/Text.h"

namespace bt::sema {

bool checkFormatText(const std::string &format, SourceRange range, DiagnosticEngine &diags) {
  if (format::isValidUtf8(format))
    return true;
  diags.error(range, "a format string that is not valid UTF-8 is not supported yet");
  return false;
}

bool isEnum(const Type &t) { return t.isInt() && t.name.rfind("enum ", 0) == 0; }

TypeId storedInteger(TypeTable &types, const Type &t) {
  return isEnum(t) ? types.enumeration(t.name, 8, t.isSigned) : types.integer(8, t.isSigned);
}

bool checkFormat(const std::string &text, const std::vector<Type> &args, SourceRange range,
                 DiagnosticEngine &diags) {
  if (!checkFormatText(text, range, diags))
    return false;
  auto parsed = format::parsePrintf(text);
  if (!parsed) {
    diags.error(range, *parsed.error);
    return false;
  }
  const auto &conversions = parsed.format.conversions;
  for (size_t i = 0; i < conversions.size(); ++i) {
    std::string spec = conversions[i].spelling();
    if (i >= args.size()) {
      diags.error(range, "format '" + spec + "' has no matching argument (" +
                             std::to_string(args.size()) + " given)");
      return false;
    }
    const Type &t = args[i];
    format::ArgKind want = conversions[i].argKind();
    bool fits = conversions[i].gfpFlags           ? t.isInt()
                : want == format::ArgKind::String ? t.isString() || t.isHostText() || t.isInt() ||
                                                        t.isRecord() || t.isArray()
                : want == format::ArgKind::Buffer ? t.isBuffer()
                                                  : t.isInt() || t.isPointer();
    if (conversions[i].gfpFlags)
      want = format::ArgKind::Integer;
    if (!fits) {
      diags.error(range, "format '" + spec + "' expects " + format::argKindName(want) +
                             ", got " + t.str());
      return false;
    }
  }
  if (conversions.size() != args.size()) {
    diags.error(range, "too many arguments for the format string (" +
                           std::to_string(args.size()) + " given, " +
                           std::to_string(conversions.size()) + " used)");
    return false;
  }
  return true;
}

} // namespace bt::sema
