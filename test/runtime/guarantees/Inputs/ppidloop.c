// Calls getppid(2) in a loop until killed: a steady stream of enter/exit
// pairs from a process that was running before btrun started.
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
  for (;;)
    syscall(SYS_getppid);
}
