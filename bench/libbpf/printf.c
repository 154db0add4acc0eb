#include "common.h"
#include "printf.skel.h"

#include <stdint.h>
#include <stdio.h>

struct event {
  uint32_t tid;
  uint32_t cpu;
  char comm[16];
};

static int on_event(void *ctx, void *data, size_t size) {
  const struct event *e = data;
  printf("%u %.16s %u\n", e->tid, e->comm, e->cpu);
  return 0;
}

int main(int argc, char **argv) {
  const char *cmd = hc_init(argc, argv);
  struct printf_bpf *skel = printf_bpf__open_and_load();
  if (!skel || printf_bpf__attach(skel) != 0) {
    fprintf(stderr, "printf: cannot load or attach\n");
    return 1;
  }
  struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
  if (!rb) {
    fprintf(stderr, "printf: cannot open the ring buffer\n");
    return 1;
  }
  hc_banner(1);
  int err = hc_run(rb, cmd, NULL);
  printf_bpf__detach(skel);
  ring_buffer__consume(rb);
  printf("\n\n");
  fflush(stdout);
  hc_report_lost(skel->bss->lost);
  ring_buffer__free(rb);
  printf_bpf__destroy(skel);
  return err ? 1 : 0;
}
