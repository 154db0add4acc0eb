// System call numbers by tracepoint name, per architecture: what lets btc serve
// syscalls:sys_enter_NAME from one raw_syscalls:sys_enter program (docs/DESIGN-NOTES.md).
#include "SyscallArgs.h"

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

constexpr std::pair<std::string_view, std::string_view> kX86_64Arguments[] = {
#define SYSCALL_ARGS(name, declarations) {#name, declarations},
#include "SyscallArgsX86_64.def"
#undef SYSCALL_ARGS
};

} // namespace

int syscallNumber(const Arch &arch, const std::string &name) {
  if (arch.name != "x86_64")
    return -1;
  auto it = std::find_if(std::begin(kX86_64), std::end(kX86_64),
                         [&](const auto &row) { return row.first == name; });
  return it == std::end(kX86_64) ? -1 : it->second;
}

std::vector<std::string> syscallNames(const Arch &arch) {
  std::vector<std::string> names;
  if (arch.name != "x86_64")
    return names;
  for (const auto &[name, nr] : kX86_64) {
    if (static_cast<size_t>(nr) >= names.size())
      names.resize(nr + 1);
    if (names[nr].empty())
      names[nr] = name;
  }
  return names;
}

std::optional<std::vector<std::string>> target::syscallArguments(const Arch &arch,
                                                                 const std::string &name) {
  if (arch.name != "x86_64")
    return std::nullopt;
  auto it = std::find_if(std::begin(kX86_64Arguments), std::end(kX86_64Arguments),
                         [&](const auto &row) { return row.first == name; });
  if (it == std::end(kX86_64Arguments))
    return std::nullopt;
  std::vector<std::string> out;
  std::string_view rest = it->second;
  while (!rest.empty()) {
    auto semicolon = rest.find(';');
    out.emplace_back(rest.substr(0, semicolon));
    rest = semicolon == std::string_view::npos ? "" : rest.substr(semicolon + 1);
  }
  return out;
}

} // namespace bt
