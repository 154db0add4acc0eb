// Multi-attach links (uprobe_multi, kernel 6.6; kprobe_multi, 5.18) through bpf(2):
// libbpf 1.1 has no API for them (bpf_program__attach_uprobe_multi is libbpf 1.3).
// Private to lib/Runtime.
#ifndef BT_RUNTIME_MULTILINK_H
#define BT_RUNTIME_MULTILINK_H

#include "bt/Runtime/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bt::rt {

// The kernel's attach types (include/uapi/linux/bpf.h): a program loaded with one of
// them gets the multi link's bpf_get_attach_cookie and can only be attached by it.
constexpr int kTraceKprobeMulti = 42;
constexpr int kTraceUprobeMulti = 48;

// Whether the host creates links of `attachType` (probed once per process, as libbpf
// 1.3 does: a program loaded with it, and a link on "/" that the kernel refuses with
// EBADF only when it knows the link type). Never with BT_TEST_NO_MULTI_LINKS set.
bool hostHasMultiLink(int attachType);

// One link that attaches `progFd` at every offset of `path` (uprobe_multi), each with its
// cookie; `pid` > 0 traces that process only. The link's fd.
Result<int> createUprobeMultiLink(int progFd, const std::string &path,
                                  const std::vector<uint64_t> &offsets,
                                  const std::vector<uint64_t> &cookies, bool retprobe, int pid);
// One link on every kernel function of `symbols` (kprobe_multi), each with its cookie.
Result<int> createKprobeMultiLink(int progFd, const std::vector<std::string> &symbols,
                                  const std::vector<uint64_t> &cookies, bool retprobe);

} // namespace bt::rt

#endif
