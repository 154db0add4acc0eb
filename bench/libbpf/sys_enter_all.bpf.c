// tracepoint:syscalls:sys_enter_* { @[probe] = count(); }
// One program attached to every sys_enter_* tracepoint; the count is keyed by the
// syscall number in the record (the user side names it from tracefs's id).
#include "bench.bpf.h"

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 1024);
  __type(key, u32);
  __type(value, u64);
} counts SEC(".maps");

SEC("tracepoint")
int sys_enter(void *ctx) {
  u32 nr = *(int *)((char *)ctx + 8); // __syscall_nr
  u64 one = 1, *v = bpf_map_lookup_elem(&counts, &nr);
  if (v)
    (*v)++;
  else
    bpf_map_update_elem(&counts, &nr, &one, BPF_NOEXIST);
  return 0;
}
