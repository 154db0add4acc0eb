#include "common.h"
#include "tp_count.skel.h"

#include <stdio.h>

int main(int argc, char **argv) {
  const char *cmd = hc_init(argc, argv);
  struct tp_count_bpf *skel = tp_count_bpf__open_and_load();
  if (!skel || tp_count_bpf__attach(skel) != 0) {
    fprintf(stderr, "tp_count: cannot load or attach\n");
    return 1;
  }
  hc_banner(1);
  int err = hc_run(NULL, cmd, NULL);
  tp_count_bpf__detach(skel);
  unsigned k = 0;
  printf("\n\n@c: %llu\n", (unsigned long long)hc_percpu_sum(bpf_map__fd(skel->maps.c), &k));
  tp_count_bpf__destroy(skel);
  return err ? 1 : 0;
}
