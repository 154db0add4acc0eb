// tracepoint:syscalls:sys_enter_read { @[pid, comm, args->fd] = count(); }
#include "bench.bpf.h"

struct key {
  u64 pid;
  char comm[16];
  u64 fd;
};

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 4096);
  __type(key, struct key);
  __type(value, u64);
} counts SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_read")
int enter_read(struct sys_enter_read_args *ctx) {
  struct key k = {.pid = bpf_get_current_pid_tgid() >> 32, .fd = (u32)ctx->fd};
  bpf_get_current_comm(k.comm, sizeof(k.comm));
  u64 *v = bpf_map_lookup_elem(&counts, &k);
  if (v) {
    (*v)++;
  } else {
    u64 one = 1;
    bpf_map_update_elem(&counts, &k, &one, BPF_NOEXIST);
  }
  return 0;
}
