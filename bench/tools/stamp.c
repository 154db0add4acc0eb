// The -c command of the start-up figure: writes CLOCK_MONOTONIC (ns) to FILE and
// exits. Every contender starts it only once all its probes are armed.
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  if (argc != 2)
    return 2;
  FILE *f = fopen(argv[1], "w");
  if (!f)
    return 1;
  fprintf(f, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
  return fclose(f) != 0;
}
