#include "common.h"
#include "tuple_count.skel.h"

#include <stdint.h>
#include <stdio.h>

struct key {
  uint64_t pid;
  char comm[16];
  uint64_t fd;
};

static void format_key(const void *key, char *out, size_t n) {
  const struct key *k = key;
  snprintf(out, n, "%llu, %.16s, %llu", (unsigned long long)k->pid, k->comm,
           (unsigned long long)k->fd);
}

int main(int argc, char **argv) {
  const char *cmd = hc_init(argc, argv);
  struct tuple_count_bpf *skel = tuple_count_bpf__open_and_load();
  if (!skel || tuple_count_bpf__attach(skel) != 0) {
    fprintf(stderr, "tuple_count: cannot load or attach\n");
    return 1;
  }
  hc_banner(1);
  int err = hc_run(NULL, cmd, NULL);
  tuple_count_bpf__detach(skel);
  printf("\n\n");
  hc_print_counts("", bpf_map__fd(skel->maps.counts), sizeof(struct key), format_key);
  tuple_count_bpf__destroy(skel);
  return err ? 1 : 0;
}
