#include "common.h"
#include "lhist.skel.h"

#include <stdio.h>

int main(int argc, char **argv) {
  const char *cmd = hc_init(argc, argv);
  struct lhist_bpf *skel = lhist_bpf__open_and_load();
  if (!skel || lhist_bpf__attach(skel) != 0) {
    fprintf(stderr, "lhist: cannot load or attach\n");
    return 1;
  }
  hc_banner(1);
  int err = hc_run(NULL, cmd, NULL);
  lhist_bpf__detach(skel);
  printf("\n\n");
  hc_print_linear_hist("@bytes", bpf_map__fd(skel->maps.bytes), 4096 / 256 + 2, 0, 256);
  lhist_bpf__destroy(skel);
  return err ? 1 : 0;
}
