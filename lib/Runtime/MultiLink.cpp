// See MultiLink.h.
#include "MultiLink.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

namespace bt::rt {
namespace {

// BPF_LINK_CREATE's attributes for the two multi links, laid out as union bpf_attr's
// link_create in the kernel's uapi (Debian 12's headers predate uprobe_multi).
struct LinkCreateAttr {
  uint32_t progFd;
  uint32_t targetFd;
  uint32_t attachType;
  uint32_t flags;
  union {
    struct {
      uint32_t flags;
      uint32_t cnt;
      uint64_t syms;
      uint64_t addrs;
      uint64_t cookies;
    } kprobeMulti;
    struct {
      uint64_t path;
      uint64_t offsets;
      uint64_t refCtrOffsets;
      uint64_t cookies;
      uint32_t cnt;
      uint32_t flags;
      uint32_t pid;
    } uprobeMulti;
  };
  uint8_t pad[64]; // more of union bpf_attr, zeroed (the kernel takes a zero tail)
};
constexpr uint32_t kMultiReturn = 1; // BPF_F_UPROBE_MULTI_RETURN, BPF_F_KPROBE_MULTI_RETURN

int linkCreate(LinkCreateAttr &attr) {
  return static_cast<int>(::syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof attr));
}

uint64_t ptr(const void *p) { return reinterpret_cast<uintptr_t>(p); }

bool probe(int attachType) {
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  opts.expected_attach_type = static_cast<bpf_attach_type>(attachType);
  int prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, nullptr, "GPL", insns, 2, &opts);
  if (prog < 0)
    return false;
  LinkCreateAttr attr{};
  attr.progFd = static_cast<uint32_t>(prog);
  attr.attachType = static_cast<uint32_t>(attachType);
  uint64_t zero = 0;
  const char *sym = "bt_no_such_function";
  int expected = EBADF;
  if (attachType == kTraceUprobeMulti) {
    attr.uprobeMulti.path = ptr("/"); // a directory: EBADF once the link type is known
    attr.uprobeMulti.offsets = ptr(&zero);
    attr.uprobeMulti.cnt = 1;
  } else {
    attr.kprobeMulti.syms = ptr(&sym); // no such function: ENOENT, or ESRCH on older kernels
    attr.kprobeMulti.cnt = 1;
    expected = ENOENT;
  }
  int link = linkCreate(attr);
  int err = errno;
  if (link >= 0)
    ::close(link);
  ::close(prog);
  return link < 0 && (err == expected || (attachType == kTraceKprobeMulti && err == ESRCH));
}

Result<int> created(int fd, const char *what) {
  if (fd < 0)
    return Error(std::string("cannot create the ") + what + " link: " + std::strerror(errno));
  return fd;
}

} // namespace

bool hostHasMultiLink(int attachType) {
  // Tests run the fallback on a host that has the links (test/runtime/diff-uprobe-wildcard.bt).
  if (std::getenv("BT_TEST_NO_MULTI_LINKS"))
    return false;
  static std::map<int, bool> known;
  auto it = known.find(attachType);
  if (it == known.end())
    it = known.emplace(attachType, probe(attachType)).first;
  return it->second;
}

Result<int> createUprobeMultiLink(int progFd, const std::string &path,
                                  const std::vector<uint64_t> &offsets,
                                  const std::vector<uint64_t> &cookies, bool retprobe, int pid) {
  LinkCreateAttr attr{};
  attr.progFd = static_cast<uint32_t>(progFd);
  attr.attachType = kTraceUprobeMulti;
  attr.uprobeMulti.path = ptr(path.c_str());
  attr.uprobeMulti.offsets = ptr(offsets.data());
  attr.uprobeMulti.cookies = ptr(cookies.data());
  attr.uprobeMulti.cnt = static_cast<uint32_t>(offsets.size());
  attr.uprobeMulti.flags = retprobe ? kMultiReturn : 0;
  attr.uprobeMulti.pid = pid > 0 ? static_cast<uint32_t>(pid) : 0;
  return created(linkCreate(attr), "uprobe_multi");
}

Result<int> createKprobeMultiLink(int progFd, const std::vector<std::string> &symbols,
                                  const std::vector<uint64_t> &cookies, bool retprobe) {
  std::vector<const char *> names;
  for (const std::string &s : symbols)
    names.push_back(s.c_str());
  LinkCreateAttr attr{};
  attr.progFd = static_cast<uint32_t>(progFd);
  attr.attachType = kTraceKprobeMulti;
  attr.kprobeMulti.syms = ptr(names.data());
  attr.kprobeMulti.cookies = ptr(cookies.data());
  attr.kprobeMulti.cnt = static_cast<uint32_t>(names.size());
  attr.kprobeMulti.flags = retprobe ? kMultiReturn : 0;
  return created(linkCreate(attr), "kprobe_multi");
}

} // namespace bt::rt
