// tracepoint:syscalls:sys_enter_read
// /args->fd > 2 && args->fd < 100 && args->count >= 64 && args->count <= 65536 &&
//  uid == 0 && comm == "loadgen"/ { @hits = count(); }
#include "bench.bpf.h"

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, u64);
} hits SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_read")
int enter_read(struct sys_enter_read_args *ctx) {
  u32 fd = ctx->fd;
  u64 count = ctx->count;
  if (fd <= 2 || fd >= 100 || count < 64 || count > 65536)
    return 0;
  if ((u32)bpf_get_current_uid_gid() != 0)
    return 0;
  union {
    char c[16];
    u64 w[2];
  } comm;
  bpf_get_current_comm(comm.c, sizeof(comm.c));
  // "loadgen" and its NUL, then zeros: two 8-byte words.
  if (comm.w[0] != 0x006e656764616f6cULL || comm.w[1] != 0)
    return 0;
  u32 k = 0;
  u64 *v = bpf_map_lookup_elem(&hits, &k);
  if (v)
    (*v)++;
  return 0;
}
