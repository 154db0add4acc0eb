// A task_struct and an mm_struct over the 512 bytes copied member by member, whose
// members lie at offsets no kernel has them at, mm_struct's in an anonymous struct as
// in kernels since 6.2 (big-struct-variable.bt, struct-big-variable-errors.test).
struct sched_entity {
  unsigned long long vruntime;
};
struct mm_struct {
  struct {
    char pad[1000];
    unsigned long mmap_base;
  };
  unsigned long cpu_bitmap[];
};
struct k_sigaction {
  void *handler;
  unsigned long flags;
};
struct sighand_struct {
  struct k_sigaction action[64];
};
struct task_struct {
  char state[600];
  struct sched_entity se;
  int pid;
  struct mm_struct *mm;
  char comm[16];
  struct sighand_struct *sighand;
};
// Over the 32 KiB a per-CPU map value holds.
struct huge {
  char bytes[40000];
};
struct task_struct copy_task;
struct huge copy_huge;
struct mm_struct copy_mm;
