#include "KfuncAllowed.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <memory>

namespace bt::rt {

bool kfuncAllowed(const std::string &kfunc, const std::string &section) {
  std::unique_ptr<struct btf, void (*)(struct btf *)> vmlinux(btf__load_vmlinux_btf(),
                                                              btf__free);
  if (!vmlinux)
    return false;
  int id = btf__find_by_name_kind(vmlinux.get(), kfunc.c_str(), BTF_KIND_FUNC);
  if (id <= 0)
    return false;
  enum bpf_prog_type type;
  enum bpf_attach_type attach;
  if (libbpf_prog_type_by_name(section.c_str(), &type, &attach) != 0)
    return false;
  LIBBPF_OPTS(bpf_prog_load_opts, opts);
  if (type == BPF_PROG_TYPE_TRACING) {
    // A tracing program names what it attaches to: any raw tracepoint will do, the
    // kfunc check is by program type.
    int target = btf__find_by_name_kind(vmlinux.get(), "btf_trace_sched_switch", BTF_KIND_TYPEDEF);
    if (target > 0) {
      opts.expected_attach_type = BPF_TRACE_RAW_TP;
      opts.attach_btf_id = static_cast<__u32>(target);
    }
  } else {
    opts.expected_attach_type = attach;
  }
  struct bpf_insn insns[3] = {};
  insns[0].code = BPF_JMP | BPF_CALL;
  insns[0].src_reg = BPF_PSEUDO_KFUNC_CALL;
  insns[0].imm = id;
  insns[1].code = BPF_ALU64 | BPF_MOV | BPF_K; // r0 = 0
  insns[2].code = BPF_JMP | BPF_EXIT;
  char log[4096] = {};
  opts.log_buf = log;
  opts.log_size = sizeof log;
  opts.log_level = 1;
  int fd = bpf_prog_load(type, "bt_kfunc_probe", "GPL", insns, 3, &opts);
  if (fd >= 0) {
    ::close(fd);
    return true;
  }
  std::string refusal = "calling kernel function " + kfunc + " is not allowed";
  return std::string(log).find(refusal) == std::string::npos;
}

} // namespace bt::rt
