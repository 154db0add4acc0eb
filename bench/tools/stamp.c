// The -c command of the start-up figure: writes CLOCK_MONOTONIC (ns) to FILE and
// exits (after SECONDS when given: the stop figure stops the contender itself).
// Every contender starts it only once all its probes are armed.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  if (argc != 2 && argc != 3)
    return 2;
  FILE *f = fopen(argv[1], "w");
  if (!f)
    return 1;
  fprintf(f, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
  if (fclose(f) != 0)
    return 1;
  if (argc == 3)
    sleep((unsigned)atoi(argv[2]));
  return 0;
}
