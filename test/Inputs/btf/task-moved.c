// A struct task_struct whose members sit where no kernel puts them, to compile
// scripts against (`btc --btf`): an object that still reads the right values on
// this kernel was relocated by CO-RE. Encoded at test time by make-btf.sh.
struct task_struct {
  char before[40];
  char comm[16];
  long pad[5];
  struct task_struct *real_parent;
  int tgid;
  short gap;
  int pid;
};
struct task_struct moved_task;
