// tracepoint:syscalls:sys_enter_read { @bytes = lhist(args->count, 0, 4096, 256); }
#include "bench.bpf.h"

#define MIN 0
#define MAX 4096
#define STEP 256
#define BUCKETS ((MAX - MIN) / STEP + 2)

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, BUCKETS);
  __type(key, u32);
  __type(value, u64);
} bytes SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_read")
int enter_read(struct sys_enter_read_args *ctx) {
  s64 v = ctx->count;
  u32 b = v < MIN ? 0 : v >= MAX ? BUCKETS - 1 : 1 + (u64)(v - MIN) / STEP;
  u64 *c = bpf_map_lookup_elem(&bytes, &b);
  if (c)
    (*c)++;
  return 0;
}
