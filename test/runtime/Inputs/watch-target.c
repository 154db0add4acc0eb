// Watchpoint target for the runtime tests.
//
// Usage: watch-target N [DELAY_MS]
//   maps one page at the fixed address 0x10000000, waits DELAY_MS (default 0: a tracer
//   given -p attaches meanwhile), then writes the 8-byte word there N times (values
//   1..N) and reads it once; prints nothing. A write watchpoint on
//   0x10000000 fires exactly N times, a read/write one N + 1 times.
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 3;
  void *page = mmap((void *)0x10000000, 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (page != (void *)0x10000000)
    return 1;
  long delayMs = argc > 2 ? atol(argv[2]) : 0;
  struct timespec delay = {delayMs / 1000, (delayMs % 1000) * 1000000};
  nanosleep(&delay, 0);
  volatile long *word = (volatile long *)page;
  for (long i = 1; i <= n; ++i)
    *word = i;
  return *word == n ? 0 : 2;
}
