// A struct rlimit whose members are in the other order and which takes 32 bytes, not
// the kernel's 16, to compile scripts against (`btc --btf`): a copy of signal_struct's
// rlim[] (core-struct-arrays.bt) must read each element's members at the running
// kernel's offsets, stepped by its size, into this layout. Encoded at test time by
// make-btf.sh.
struct rlimit {
  unsigned long rlim_max;
  unsigned long rlim_cur;
} __attribute__((aligned(32)));
struct signal_struct {
  char pad[40];
  struct rlimit rlim[16];
};
struct task_struct {
  char pad[8];
  struct signal_struct *signal;
  char comm[16];
  int pid;
};
struct task_struct rlimit_task;
