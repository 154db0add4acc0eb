// getppid latency keyed by thread id: @start[tid] = nsecs on entry; on exit a log2
// histogram (@ns) and a sum (@total) of the difference, then delete(@start[tid]).
#include "bench.bpf.h"

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, u32);
  __type(value, u64);
} start SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, LOG2_BUCKETS);
  __type(key, u32);
  __type(value, u64);
} ns SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, u64);
} total SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int enter_getppid(void *ctx) {
  u32 tid = (u32)bpf_get_current_pid_tgid();
  u64 t = bpf_ktime_get_ns();
  bpf_map_update_elem(&start, &tid, &t, BPF_ANY);
  return 0;
}

SEC("tracepoint/syscalls/sys_exit_getppid")
int exit_getppid(struct sys_exit_args *ctx) {
  u32 tid = (u32)bpf_get_current_pid_tgid();
  u64 *t0 = bpf_map_lookup_elem(&start, &tid);
  if (!t0 || !*t0)
    return 0;
  s64 d = bpf_ktime_get_ns() - *t0;
  u32 b = log2_bucket(d), k = 0;
  u64 *v = bpf_map_lookup_elem(&ns, &b);
  if (v)
    (*v)++;
  v = bpf_map_lookup_elem(&total, &k);
  if (v)
    *v += d;
  bpf_map_delete_elem(&start, &tid);
  return 0;
}
