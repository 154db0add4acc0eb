// A task_struct of 20,000 bytes: a kernel whose struct is bigger than the room an object
// compiled against task-copy.c's (648 bytes, a 16 KiB map value) gave it
// (struct-big-map-value-print.test).
struct task_struct {
  char state[19996];
  int pid;
};
struct task_struct oversized_task;
