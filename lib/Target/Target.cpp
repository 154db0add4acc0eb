// What every target shares.
#include "bt/Target/Target.h"

namespace bt {

OrError<std::string> TargetInfo::resolveBinary(const std::string &path) const {
  if (!path.empty() && path[0] == '/')
    return path;
  return OrError<std::string>::failure("'" + path + "' is not an absolute path, and " + name() +
                                       " has no PATH to search");
}

OrError<TracepointFormat> TargetInfo::findTracepoint(const std::string &category,
                                                    const std::string &name) const {
  if (auto fields = tracepointFormat(category, name))
    return TracepointFormat{std::move(*fields), ""};
  return OrError<TracepointFormat>::failure(
      "tracepoint '" + category + ":" + name + "' not found on " + this->name());
}

} // namespace bt
