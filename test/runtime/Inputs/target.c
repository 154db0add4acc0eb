// Deterministic event generator for the runtime tests.
//
// Usage: target [N [PAGES]]   (N defaults to 3, PAGES to 0)
//   - calls bt_add3(i, i * 10, -i) for i = 1..N (a uprobe/uretprobe target; returns
//     a + b + c = 10 * i);
//   - calls bt_str(buf) once, buf = "btc-runtime" on the stack (arg0 is a string pointer);
//   - calls bt_args10(100, 101, ..., 109) once (ten arguments, six in registers);
//   - opens "/dev/null" with openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC, 0)
//     exactly N times, closing each (each returns fd 3);
//   - calls getppid() exactly N times;
//   - writes one byte to each of PAGES fresh anonymous pages (no huge pages), so
//     exactly PAGES more minor page faults; prints nothing.
// Compile it into a directory of its own so that its comm (the file name, up to 15
// characters) is unique to the test:  gcc -O1 -o %t.d/rt_name target.c
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((noinline)) long bt_add3(long a, long b, long c) {
  __asm__ volatile("" ::: "memory");
  return a + b + c;
}

__attribute__((noinline)) int bt_str(const char *s) {
  __asm__ volatile("" ::: "memory");
  int n = 0;
  while (s[n])
    ++n;
  return n;
}

__attribute__((noinline)) long bt_args10(long a0, long a1, long a2, long a3, long a4,
                                         long a5, long a6, long a7, long a8, long a9) {
  __asm__ volatile("" ::: "memory");
  return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 3;
  long total = 0;
  for (int i = 1; i <= n; ++i)
    total += bt_add3(i, i * 10L, -(long)i);
  // A stack copy: the page is resident, so bpf_probe_read_user_str() can read it
  // (a .rodata literal may not be faulted in yet when the probe fires).
  char buf[32] = "btc-runtime";
  total += bt_str(buf);
  total += bt_args10(100, 101, 102, 103, 104, 105, 106, 107, 108, 109);
  char path[16] = "/dev/null"; // on the stack, resident: see buf
  for (int i = 0; i < n; ++i) {
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
    if (fd >= 0)
      close(fd);
  }
  for (int i = 0; i < n; ++i)
    syscall(SYS_getppid);
  long pages = argc > 2 ? atol(argv[2]) : 0;
  if (pages > 0) {
    long size = pages * sysconf(_SC_PAGESIZE);
    volatile char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
      return 1;
    madvise((void *)p, size, MADV_NOHUGEPAGE);
    for (long i = 0; i < size; i += sysconf(_SC_PAGESIZE))
      p[i] = 1;
  }
  return total == 0 ? 1 : 0;
}
