// The BPF programs running on this host, as fentry:bpf[:ID]:NAME and fexit:bpf[...]
// attach to functions of them (NAME and ID may be wildcards).
#ifndef BT_RUNTIME_BPFPROGRAMS_H
#define BT_RUNTIME_BPFPROGRAMS_H

#include "bt/Runtime/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bt::rt {

/// A function of a loaded BPF program: the program itself or one of its subprograms,
/// as the program's BTF func_info names them (only a program loaded with BTF has any).
struct BpfFunction {
  uint32_t progId = 0;
  std::string name;
  uint32_t btfId = 0; // in the program's BTF
};

/// The functions of `all` that `pattern` (a glob, brace alternatives) names, of program `progId` only when
/// given, in bpftrace's order: by the text "bpf:ID:NAME", each once. Pure.
std::vector<BpfFunction> matchBpfFunctions(const std::vector<BpfFunction> &all,
                                           const std::string &pattern,
                                           std::optional<uint64_t> progId);

/// Every function of the running programs that `pattern` names (of program `progId`
/// only, when given), or why there is none: no program has one, or program `progId`
/// does not run.
Result<std::vector<BpfFunction>> findBpfFunctions(const std::string &pattern,
                                                  std::optional<uint64_t> progId);

} // namespace bt::rt

#endif
