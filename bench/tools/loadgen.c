// Deterministic load generator: N system calls in a loop, pinned to one CPU,
// optionally paced to a fixed offered rate.
//
//   loadgen [-s getppid|read] [-n N] [-r RATE_PER_S] [-p CPU]
//
// read: read(2) of /dev/zero with sizes 64 + (i % 16) * 256 (64 .. 3904 bytes).
// Prints "calls=N seconds=S rate=R" on stdout when done.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void) {
  fprintf(stderr, "usage: loadgen [-s getppid|read] [-n N] [-r RATE_PER_S] [-p CPU]\n");
  exit(2);
}

int main(int argc, char **argv) {
  const char *sys = "getppid";
  long n = 1000000, cpu = -1;
  double rate = 0;
  int opt;
  while ((opt = getopt(argc, argv, "s:n:r:p:")) != -1) {
    switch (opt) {
    case 's': sys = optarg; break;
    case 'n': n = atol(optarg); break;
    case 'r': rate = atof(optarg); break;
    case 'p': cpu = atol(optarg); break;
    default: usage();
    }
  }
  int use_read = strcmp(sys, "read") == 0;
  if (!use_read && strcmp(sys, "getppid") != 0)
    usage();
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0) {
      perror("loadgen: sched_setaffinity");
      return 1;
    }
  }
  static char buf[4096];
  int fd = -1;
  if (use_read && (fd = open("/dev/zero", O_RDONLY)) < 0) {
    perror("loadgen: /dev/zero");
    return 1;
  }

  double t0 = now_s();
  for (long i = 0; i < n; i++) {
    if (rate > 0) {
      double due = t0 + i / rate;
      while (now_s() < due)
        ;
    }
    if (use_read) {
      if (read(fd, buf, 64 + (i % 16) * 256) < 0) {
        perror("loadgen: read");
        return 1;
      }
    } else {
      getppid();
    }
  }
  double dt = now_s() - t0;
  printf("calls=%ld seconds=%.6f rate=%.0f\n", n, dt, n / dt);
  return 0;
}
