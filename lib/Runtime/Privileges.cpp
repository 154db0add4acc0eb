#include "bt/Runtime/Privileges.h"

#include <sys/capability.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace bt::rt {

Status dropToRunPrivileges(bool readProcesses, bool openWatchpoints) {
  std::unique_ptr<std::remove_pointer_t<cap_t>, int (*)(void *)> caps(cap_init(), cap_free);
  if (!caps)
    return Error(std::string("cannot drop capabilities: ") + std::strerror(errno));
  cap_value_t keep[] = {CAP_BPF, CAP_SYS_PTRACE};
  int n = readProcesses || openWatchpoints ? 2 : 1;
  if (cap_set_flag(caps.get(), CAP_PERMITTED, n, keep, CAP_SET) != 0 ||
      cap_set_flag(caps.get(), CAP_EFFECTIVE, n, keep, CAP_SET) != 0 ||
      cap_set_proc(caps.get()) != 0)
    return Error(std::string("cannot drop capabilities: ") + std::strerror(errno));
  return {};
}

} // namespace bt::rt
