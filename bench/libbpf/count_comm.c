#include "common.h"
#include "count_comm.skel.h"

#include <stdio.h>

static void format_key(const void *key, char *out, size_t n) {
  snprintf(out, n, "%.16s", (const char *)key);
}

int main(int argc, char **argv) {
  const char *cmd = hc_init(argc, argv);
  struct count_comm_bpf *skel = count_comm_bpf__open_and_load();
  if (!skel || count_comm_bpf__attach(skel) != 0) {
    fprintf(stderr, "count_comm: cannot load or attach\n");
    return 1;
  }
  hc_banner(1);
  int err = hc_run(NULL, cmd, NULL);
  count_comm_bpf__detach(skel);
  printf("\n\n");
  hc_print_counts("", bpf_map__fd(skel->maps.counts), 16, format_key);
  count_comm_bpf__destroy(skel);
  return err ? 1 : 0;
}
