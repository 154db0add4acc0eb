// tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }
#include "bench.bpf.h"

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 4096);
  __type(key, char[16]);
  __type(value, u64);
} counts SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int enter_getppid(void *ctx) {
  char comm[16];
  bpf_get_current_comm(comm, sizeof(comm));
  u64 *v = bpf_map_lookup_elem(&counts, comm);
  if (v) {
    (*v)++;
  } else {
    u64 one = 1;
    bpf_map_update_elem(&counts, comm, &one, BPF_NOEXIST);
  }
  return 0;
}
