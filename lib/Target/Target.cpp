// What every target shares.
#include "bt/Target/Target.h"

namespace bt {

OrError<std::string> TargetInfo::resolveBinary(const std::string &path) const {
  if (!path.empty() && path[0] == '/')
    return path;
  return OrError<std::string>::failure("'" + path + "' is not an absolute path, and " + name() +
                                       " has no PATH to search");
}

} // namespace bt
