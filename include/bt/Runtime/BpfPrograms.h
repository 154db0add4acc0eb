// The BPF programs running on this host, as fentry:bpf[:ID]:NAME and fexit:bpf[...]
// attach to a function of one of them.
#ifndef BT_RUNTIME_BPFPROGRAMS_H
#define BT_RUNTIME_BPFPROGRAMS_H

#include "bt/Runtime/Result.h"

#include <cstdint>
#include <optional>
#include <string>

namespace bt::rt {

/// A function of a loaded BPF program: the program itself or one of its subprograms,
/// as the program's BTF func_info names them (only a program loaded with BTF has any).
struct BpfFunction {
  uint32_t progId = 0;
  std::string name;
  uint32_t btfId = 0; // in the program's BTF
};

/// The one function `name` of the running programs (of program `progId` only, when
/// given), or why there is none to attach to: none has it, or several do (attaching to
/// several is not supported yet: the caller names one by its program id).
Result<BpfFunction> findBpfFunction(const std::string &name, std::optional<uint64_t> progId);

} // namespace bt::rt

#endif
