// Start-up harness: runs CMD, waits for it, prints one JSON line:
//   {"rc": R, "wall_ns": W, "armed_ns": A, "maxrss_kb": M, "cpu_ns": C}
// wall_ns: clock before fork to the child's exit; armed_ns: from the same clock to the
// time that bench/tools/stamp wrote into STAMP_FILE (-1 if none); maxrss_kb: ru_maxrss
// of wait4(), what /usr/bin/time -v reports as "Maximum resident set size"; cpu_ns: its
// user + system time (ru_utime + ru_stime), which other work on a loaded machine does not
// inflate as it does wall time.
//
//   startlat STAMP_FILE OUT_FILE CMD [ARGS...]     (CMD's stdout and stderr go to OUT_FILE)
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: startlat STAMP_FILE OUT_FILE CMD [ARGS...]\n");
    return 2;
  }
  unlink(argv[1]);
  int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) {
    perror(argv[2]);
    return 1;
  }
  long long t0 = now_ns();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out, 1);
    dup2(out, 2);
    execvp(argv[3], argv + 3);
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
    perror("startlat");
    return 1;
  }
  long long wall = now_ns() - t0;
  long long armed = -1, stamp;
  FILE *f = fopen(argv[1], "r");
  if (f) {
    if (fscanf(f, "%lld", &stamp) == 1)
      armed = stamp - t0;
    fclose(f);
  }
  int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  long long cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
                  (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
  printf("{\"rc\": %d, \"wall_ns\": %lld, \"armed_ns\": %lld, \"maxrss_kb\": %ld, \"cpu_ns\": %lld}\n",
         rc, wall, armed, ru.ru_maxrss, cpu);
  return 0;
}
