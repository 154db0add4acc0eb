// A struct task_struct as big as a kernel's (over the 512 bytes a map value or key may
// copy whole), its pid past the first 512: `*curtask` stored whole is refused, a member
// read through the pointer is not (struct-value-curtask.test).
struct task_struct {
  char state[3000];
  int pid;
  char comm[16];
};
struct task_struct big_task;
