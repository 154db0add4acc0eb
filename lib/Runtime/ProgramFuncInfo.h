// The func_info of a loaded BPF program: what names its functions (fentry:bpf's
// matches, BpfPrograms.cpp) and what a copy of it must carry (BpfMatches.cpp).
#ifndef BT_RUNTIME_PROGRAMFUNCINFO_H
#define BT_RUNTIME_PROGRAMFUNCINFO_H

#include <linux/bpf.h>

#include <cstdint>
#include <vector>

namespace bt::rt {

struct ProgramFuncInfo {
  uint32_t btfId = 0;                 // the program's BTF (0: loaded without)
  std::vector<bpf_func_info> records; // a function each, types in that BTF
};

/// The func_info of the loaded program `fd`; none when it was loaded without BTF or
/// the kernel will not say.
ProgramFuncInfo programFuncInfo(int fd);

} // namespace bt::rt

#endif
