#include "common.h"
#include "latency.skel.h"

#include <stdio.h>

int main(int argc, char **argv) {
  const char *cmd = hc_init(argc, argv);
  struct latency_bpf *skel = latency_bpf__open_and_load();
  if (!skel || latency_bpf__attach(skel) != 0) {
    fprintf(stderr, "latency: cannot load or attach\n");
    return 1;
  }
  hc_banner(2);
  int err = hc_run(NULL, cmd, NULL);
  latency_bpf__detach(skel);
  unsigned k = 0;
  printf("\n\n");
  hc_print_log2_hist("@ns", bpf_map__fd(skel->maps.ns), 66);
  printf("@total: %llu\n", (unsigned long long)hc_percpu_sum(bpf_map__fd(skel->maps.total), &k));
  latency_bpf__destroy(skel);
  return err ? 1 : 0;
}
