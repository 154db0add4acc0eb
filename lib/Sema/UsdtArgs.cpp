// usdt argN: an int64 the program reads through each site's argument spec at run time
// (lib/Lower/UsdtArgs.cpp). Where the binary is readable at compile time, an argument
// some site of the probe does not have is an error, as in bpftrace; elsewhere it reads
// as 0 at run time.
#include "UsdtArgs.h"

#include "bt/Target/UsdtNotes.h"

#include <sstream>

namespace bt::sema {

namespace {

size_t argumentCount(const std::string &specs) {
  std::istringstream in(specs);
  size_t n = 0;
  for (std::string spec; in >> spec;)
    ++n;
  return n;
}

} // namespace

std::optional<std::string> missingUsdtArgument(const Attachment &att, unsigned index) {
  auto notes = usdtNotes(att.path);
  if (!notes)
    return std::nullopt;
  for (const UsdtNote &n : *notes) {
    if (n.name != att.name || (!att.provider.empty() && n.provider != att.provider))
      continue;
    size_t count = argumentCount(n.arguments);
    if (index >= count)
      return "usdt probe " + n.provider + ":" + n.name + " in " + att.path + " has " +
             std::to_string(count) + (count == 1 ? " argument" : " arguments") + ": no arg" +
             std::to_string(index);
  }
  return std::nullopt;
}

} // namespace bt::sema
