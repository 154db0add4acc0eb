// BEGIN { exit(); }: load, run BEGIN (BPF_PROG_TEST_RUN), stop on its exit record.
#include "common.h"
#include "begin_exit.skel.h"

#include <bpf/bpf.h>
#include <stdio.h>

static volatile int stop;

static int on_event(void *ctx, void *data, size_t size) {
  stop = 1;
  return 0;
}

int main(int argc, char **argv) {
  const char *cmd = hc_init(argc, argv);
  struct begin_exit_bpf *skel = begin_exit_bpf__open_and_load();
  if (!skel) {
    fprintf(stderr, "begin_exit: cannot load\n");
    return 1;
  }
  struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
  LIBBPF_OPTS(bpf_test_run_opts, run);
  hc_banner(1);
  if (!rb || bpf_prog_test_run_opts(bpf_program__fd(skel->progs.begin), &run) != 0) {
    fprintf(stderr, "begin_exit: cannot run BEGIN\n");
    return 1;
  }
  int err = hc_run(rb, cmd, &stop);
  printf("\n\n");
  ring_buffer__free(rb);
  begin_exit_bpf__destroy(skel);
  return err ? 1 : 0;
}
