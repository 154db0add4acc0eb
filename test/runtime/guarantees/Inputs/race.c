// Two threads, pinned to CPUs 0 and 1, call getpriority(PRIO_PROCESS, who)
// with the same fresh `who` at the same moment, round after round, so both
// CPUs insert the same new key of a per-CPU map at once.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static int rounds;
static pthread_barrier_t barrier;

static void *worker(void *arg) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET((int)(long)arg, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  for (int r = 0; r < rounds; r++) {
    pthread_barrier_wait(&barrier);
    syscall(SYS_getpriority, PRIO_PROCESS, 100000 + r);
  }
  return NULL;
}

int main(int argc, char **argv) {
  rounds = argc > 1 ? atoi(argv[1]) : 1000;
  pthread_barrier_init(&barrier, NULL, 2);
  pthread_t a, b;
  pthread_create(&a, NULL, worker, (void *)0L);
  pthread_create(&b, NULL, worker, (void *)1L);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("rounds %d\n", rounds);
  return 0;
}
