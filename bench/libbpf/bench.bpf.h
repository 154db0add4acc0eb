// Shared by the hand-written BPF programs: types, tracepoint records (from
// /sys/kernel/tracing/events/syscalls/*/format), the license.
#ifndef BENCH_BPF_H
#define BENCH_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int u32;

struct sys_enter_read_args {
  u64 common;
  int syscall_nr;
  u64 fd;
  u64 buf;
  u64 count;
};

struct sys_exit_args {
  u64 common;
  int syscall_nr;
  s64 ret;
};

// bpftrace's log2 buckets: 0 negative, 1 zero, k >= 2 holds [2^(k-2), 2^(k-1)).
#define LOG2_BUCKETS 66
static __always_inline u32 log2_bucket(s64 v) {
  if (v < 0)
    return 0;
  if (v == 0)
    return 1;
  u64 x = v;
  u32 r = 0, s;
  s = (x > 0xffffffffULL) << 5; x >>= s; r |= s;
  s = (x > 0xffff) << 4; x >>= s; r |= s;
  s = (x > 0xff) << 3; x >>= s; r |= s;
  s = (x > 0xf) << 2; x >>= s; r |= s;
  s = (x > 0x3) << 1; x >>= s; r |= s;
  r |= (x >> 1);
  return 2 + r;
}

char LICENSE[] SEC("license") = "GPL";

#endif
