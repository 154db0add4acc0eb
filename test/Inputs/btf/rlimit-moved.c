// A struct rlimit larger than the kernel's (24 bytes, not 16) in an array inside
// signal_struct, to compile scripts against (`btc --btf`): an object that still
// reads the right element here stepped by the running kernel's size, so CO-RE
// relocated the stride too. Encoded at test time by make-btf.sh.
struct rlimit {
  unsigned long before;
  unsigned long rlim_cur;
  unsigned long rlim_max;
};
struct signal_struct {
  char pad[24];
  struct rlimit rlim[16];
};
struct task_struct {
  char pad[8];
  struct signal_struct *signal;
  char comm[16];
  int pid;
};
struct task_struct rlimit_task;
