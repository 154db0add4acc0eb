// BEGIN { exit(); } — a raw_tp program run once with BPF_PROG_TEST_RUN that sends an
// exit record through the ring buffer.
#include "bench.bpf.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("raw_tp")
int begin(void *ctx) {
  u64 *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e)
    return 0;
  *e = 1;
  bpf_ringbuf_submit(e, 0);
  return 0;
}
