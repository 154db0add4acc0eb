// Sleeps with the nanosleep system call itself (glibc's nanosleep() and coreutils'
// sleep call clock_nanosleep), N times for 12 ms each: the event Debian's naptime.bt
// traces.
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  struct timespec ts = {0, 12000000};
  for (int i = 0; i < n; ++i)
    syscall(SYS_nanosleep, &ts, NULL);
  return 0;
}
