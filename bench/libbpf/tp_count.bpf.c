// tracepoint:syscalls:sys_enter_getppid { @c = count(); }
#include "bench.bpf.h"

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, u64);
} c SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int enter_getppid(void *ctx) {
  u32 k = 0;
  u64 *v = bpf_map_lookup_elem(&c, &k);
  if (v)
    (*v)++;
  return 0;
}
