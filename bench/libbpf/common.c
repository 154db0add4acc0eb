#define _GNU_SOURCE
#include "common.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap) {
  (void)level;
  (void)fmt;
  (void)ap;
  return 0;
}

static sigset_t stop_signals;

const char *hc_init(int argc, char **argv) {
  const char *cmd = NULL;
  int opt;
  while ((opt = getopt(argc, argv, "c:")) != -1) {
    if (opt != 'c') {
      fprintf(stderr, "usage: %s [-c CMD]\n", argv[0]);
      exit(2);
    }
    cmd = optarg;
  }
  libbpf_set_print(quiet_print);
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigprocmask(SIG_BLOCK, &stop_signals, NULL);
  return cmd;
}

void hc_banner(int probes) {
  printf("Attaching %d probe%s...\n", probes, probes == 1 ? "" : "s");
  fflush(stdout);
}

static pid_t start_child(const char *cmd) {
  wordexp_t w;
  if (wordexp(cmd, &w, WRDE_NOCMD) != 0 || w.we_wordc == 0) {
    fprintf(stderr, "cannot parse command: %s\n", cmd);
    return -1;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    sigprocmask(SIG_UNBLOCK, &stop_signals, NULL);
    execvp(w.we_wordv[0], w.we_wordv);
    perror(w.we_wordv[0]);
    _exit(127);
  }
  wordfree(&w);
  return pid;
}

static int watch(int ep, int fd) {
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
  return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

int hc_run(struct ring_buffer *rb, const char *cmd, volatile int *stop) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int sfd = signalfd(-1, &stop_signals, SFD_CLOEXEC);
  int rbfd = rb ? ring_buffer__epoll_fd(rb) : -1;
  int pidfd = -1, err = 0;
  pid_t child = -1;
  if (ep < 0 || sfd < 0 || watch(ep, sfd) || (rb && watch(ep, rbfd)))
    return -errno;
  if (cmd) {
    if ((child = start_child(cmd)) < 0)
      return -ECHILD;
    if ((pidfd = (int)syscall(SYS_pidfd_open, child, 0)) < 0 || watch(ep, pidfd))
      return -errno;
  }
  while (!(stop && *stop)) {
    struct epoll_event ev;
    int n = epoll_wait(ep, &ev, 1, -1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      err = -errno;
      break;
    }
    if (ev.data.fd == rbfd) {
      if ((err = ring_buffer__consume(rb)) < 0)
        break;
      err = 0;
    } else {
      break; // a stop signal or the child's exit
    }
  }
  if (child > 0) {
    if (!(pidfd >= 0 && waitpid(child, NULL, WNOHANG) == child)) {
      kill(child, SIGTERM);
      waitpid(child, NULL, 0);
    }
  }
  if (rb && err == 0 && !(stop && *stop) && ring_buffer__consume(rb) < 0)
    err = -EIO;
  close(ep);
  close(sfd);
  if (pidfd >= 0)
    close(pidfd);
  fflush(stdout);
  return err;
}

static uint64_t *percpu_buffer(int *ncpu) {
  static uint64_t *buf;
  static int n;
  if (!buf) {
    n = libbpf_num_possible_cpus();
    buf = calloc(n > 0 ? n : 1, sizeof(uint64_t));
  }
  *ncpu = n;
  return buf;
}

uint64_t hc_percpu_sum(int map_fd, const void *key) {
  int ncpu;
  uint64_t *v = percpu_buffer(&ncpu), sum = 0;
  if (bpf_map_lookup_elem(map_fd, key, v) != 0)
    return 0;
  for (int i = 0; i < ncpu; i++)
    sum += v[i];
  return sum;
}

struct count_row {
  char key[128];
  uint64_t count;
};

static int by_count(const void *a, const void *b) {
  const struct count_row *x = a, *y = b;
  if (x->count != y->count)
    return x->count < y->count ? -1 : 1;
  return strcmp(x->key, y->key);
}

void hc_print_counts(const char *name, int map_fd, size_t key_size,
                     void (*format)(const void *key, char *out, size_t n)) {
  char key[key_size], next[key_size];
  struct count_row *rows = NULL;
  size_t n = 0, cap = 0;
  void *prev = NULL;
  while (bpf_map_get_next_key(map_fd, prev, next) == 0) {
    if (n == cap && !(rows = realloc(rows, (cap = cap ? 2 * cap : 64) * sizeof(*rows))))
      return;
    format(next, rows[n].key, sizeof(rows[n].key));
    rows[n++].count = hc_percpu_sum(map_fd, next);
    memcpy(key, next, key_size);
    prev = key;
  }
  qsort(rows, n, sizeof(*rows), by_count);
  for (size_t i = 0; i < n; i++)
    printf("@%s[%s]: %llu\n", name, rows[i].key, (unsigned long long)rows[i].count);
  free(rows);
}

static void bucket_range(int nbuckets, const uint64_t *counts, int *first, int *last) {
  *first = -1;
  *last = -1;
  for (int i = 0; i < nbuckets; i++) {
    if (counts[i]) {
      if (*first < 0)
        *first = i;
      *last = i;
    }
  }
}

static void read_buckets(int map_fd, int nbuckets, uint64_t *counts) {
  for (uint32_t k = 0; k < (uint32_t)nbuckets; k++)
    counts[k] = hc_percpu_sum(map_fd, &k);
}

static void print_row(const char *label, uint64_t count, uint64_t max) {
  char bar[53];
  int len = max ? (int)((double)count / max * 52) : 0;
  memset(bar, '@', len);
  bar[len] = 0;
  printf("%-16s %8llu |%-52s|\n", label, (unsigned long long)count, bar);
}

static uint64_t max_of(const uint64_t *counts, int first, int last) {
  uint64_t max = 0;
  for (int i = first; i <= last; i++)
    max = counts[i] > max ? counts[i] : max;
  return max;
}

void hc_print_log2_hist(const char *name, int map_fd, int nbuckets) {
  uint64_t counts[nbuckets];
  int first, last;
  read_buckets(map_fd, nbuckets, counts);
  bucket_range(nbuckets, counts, &first, &last);
  if (first < 0)
    return;
  uint64_t max = max_of(counts, first, last);
  printf("%s:\n", name);
  for (int i = first; i <= last; i++) {
    char label[48];
    if (i == 0)
      snprintf(label, sizeof label, "(..., 0)");
    else if (i == 1)
      snprintf(label, sizeof label, "[0]");
    else if (i == 2)
      snprintf(label, sizeof label, "[1]");
    else
      snprintf(label, sizeof label, "[%llu, %llu)", 1ULL << (i - 2), 1ULL << (i - 1));
    print_row(label, counts[i], max);
  }
  printf("\n");
}

void hc_print_linear_hist(const char *name, int map_fd, int nbuckets, long min, long step) {
  uint64_t counts[nbuckets];
  int first, last;
  read_buckets(map_fd, nbuckets, counts);
  bucket_range(nbuckets, counts, &first, &last);
  if (first < 0)
    return;
  uint64_t max = max_of(counts, first, last);
  printf("%s:\n", name);
  for (int i = first; i <= last; i++) {
    char label[48];
    long lo = min + (long)(i - 1) * step;
    if (i == 0)
      snprintf(label, sizeof label, "(..., %ld)", min);
    else if (i == nbuckets - 1)
      snprintf(label, sizeof label, "[%ld, ...)", lo);
    else
      snprintf(label, sizeof label, "[%ld, %ld)", lo, lo + step);
    print_row(label, counts[i], max);
  }
  printf("\n");
}

void hc_report_lost(uint64_t lost) {
  if (lost)
    fprintf(stderr, "Lost %llu events\n", (unsigned long long)lost);
}
