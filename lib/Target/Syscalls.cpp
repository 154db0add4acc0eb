// System call numbers by tracepoint name, per architecture: what lets btc serve
// syscalls:sys_enter_NAME from one raw_syscalls:sys_enter program (docs/DESIGN-NOTES.md).
#include "bt/Target/Arch.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace bt {

namespace {

constexpr std::pair<std::string_view, int> kX86_64[] = {
#define SYSCALL(name, nr) {#name, nr},
#include "SyscallsX86_64.def"
#undef SYSCALL
};

} // namespace

int syscallNumber(const Arch &arch, const std::string &name) {
  if (arch.name != "x86_64")
    return -1;
  auto it = std::find_if(std::begin(kX86_64), std::end(kX86_64),
                         [&](const auto &row) { return row.first == name; });
  return it == std::end(kX86_64) ? -1 : it->second;
}

} // namespace bt
