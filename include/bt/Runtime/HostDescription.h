// btrun --describe-host: a target description of this host (docs/TARGET.md).
#ifndef BT_RUNTIME_HOSTDESCRIPTION_H
#define BT_RUNTIME_HOSTDESCRIPTION_H

#include "bt/Runtime/Result.h"

#include <string>

namespace bt::rt {

/// The description's JSON. With a `path` (the file the caller will write it to), the
/// kernel's BTF is copied beside it as PATH-less-.json + ".vmlinux.btf" and named in
/// the description; without one ("" or "-"), the description names no BTF.
Result<std::string> describeHost(const std::string &path);

} // namespace bt::rt

#endif
