// tracepoint:syscalls:sys_enter_getppid { printf("%d %s %d\n", tid, comm, cpu); }
// One ring-buffer record per event; failed reservations are counted in `lost`.
#include "bench.bpf.h"

struct event {
  u32 tid;
  u32 cpu;
  char comm[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 1 << 20);
} events SEC(".maps");

__u64 lost = 0;

SEC("tracepoint/syscalls/sys_enter_getppid")
int enter_getppid(void *ctx) {
  struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
  if (!e) {
    __sync_fetch_and_add(&lost, 1);
    return 0;
  }
  e->tid = (u32)bpf_get_current_pid_tgid();
  e->cpu = bpf_get_smp_processor_id();
  bpf_get_current_comm(e->comm, sizeof(e->comm));
  bpf_ringbuf_submit(e, 0);
  return 0;
}
