// A struct task_struct of 624 bytes, over the 512 a struct value copy takes, with the
// members of other struct types a ternary can pick (tasks, signal->rlim[0]), to compile
// scripts against (`btc --btf`) without the host's BTF (struct-copy-limits.test).
// Encoded at test time by make-btf.sh.
struct list_head {
  struct list_head *next, *prev;
};
struct rlimit {
  unsigned long rlim_cur, rlim_max;
};
struct signal_struct {
  struct rlimit rlim[16];
};
struct task_struct {
  char state[600];
  struct list_head tasks;
  struct signal_struct *signal;
};
struct task_struct over_limit_task;
