#include "common.h"
#include "filter.skel.h"

#include <stdio.h>

int main(int argc, char **argv) {
  const char *cmd = hc_init(argc, argv);
  struct filter_bpf *skel = filter_bpf__open_and_load();
  if (!skel || filter_bpf__attach(skel) != 0) {
    fprintf(stderr, "filter: cannot load or attach\n");
    return 1;
  }
  hc_banner(1);
  int err = hc_run(NULL, cmd, NULL);
  filter_bpf__detach(skel);
  unsigned k = 0;
  printf("\n\n@hits: %llu\n", (unsigned long long)hc_percpu_sum(bpf_map__fd(skel->maps.hits), &k));
  filter_bpf__destroy(skel);
  return err ? 1 : 0;
}
