// The hand-written contender of the stop figure: what libbpf offers for a tracepoint
// wildcard, one perf-event tracepoint attachment per syscalls/sys_enter_* event in
// tracefs, all running one program.
#include "common.h"
#include "sys_enter_all.skel.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void format_nr(const void *key, char *out, size_t n) {
  snprintf(out, n, "%u", *(const unsigned *)key);
}

int main(int argc, char **argv) {
  const char *cmd = hc_init(argc, argv);
  struct sys_enter_all_bpf *skel = sys_enter_all_bpf__open_and_load();
  if (!skel) {
    fprintf(stderr, "sys_enter_all: cannot load\n");
    return 1;
  }
  DIR *d = opendir("/sys/kernel/tracing/events/syscalls");
  if (!d) {
    fprintf(stderr, "sys_enter_all: no tracefs\n");
    return 1;
  }
  struct bpf_link **links = NULL;
  int n = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (strncmp(e->d_name, "sys_enter_", 10) != 0)
      continue;
    struct bpf_link *l = bpf_program__attach_tracepoint(skel->progs.sys_enter, "syscalls", e->d_name);
    if (!l) {
      fprintf(stderr, "sys_enter_all: cannot attach %s\n", e->d_name);
      return 1;
    }
    links = realloc(links, sizeof *links * (n + 1));
    links[n++] = l;
  }
  closedir(d);
  hc_banner(n);
  int err = hc_run(NULL, cmd, NULL);
  for (int i = 0; i < n; ++i)
    bpf_link__destroy(links[i]);
  printf("\n\n");
  hc_print_counts("", bpf_map__fd(skel->maps.counts), sizeof(unsigned), format_nr);
  sys_enter_all_bpf__destroy(skel);
  return err ? 1 : 0;
}
