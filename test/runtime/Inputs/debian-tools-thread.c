/* threadsnoop's trigger: one pthread_create of a named start routine (usym prints it,
 * from the process's maps: it stays a second after, for the tools to read them). */
#include <pthread.h>
#include <unistd.h>

void *bt_thread_start(void *arg) { return arg; }

int main(void) {
  pthread_t t;
  if (pthread_create(&t, 0, bt_thread_start, 0) != 0)
    return 1;
  if (pthread_join(t, 0) != 0)
    return 1;
  sleep(1);
  return 0;
}
