// The kernel types Debian's runqlen.bt reads through BTF, as kernels before 6.14 had
// them: struct cfs_rq with nr_running (6.14 renamed it nr_queued, so no kernel since,
// this machine's included, compiles the tool, for bpftrace 0.17 either). Offsets no
// kernel has (nr_running at 0x18, se at 0x30, its cfs_rq at 0x8), so a read at a
// guessed offset shows. Encoded at test time by make-btf.sh.
struct load_weight {
  unsigned long weight, inv_weight;
};
struct cfs_rq {
  struct load_weight load;
  long gap;
  unsigned int nr_running;
  unsigned int h_nr_running;
};
struct sched_entity {
  struct load_weight *load;
  struct cfs_rq *cfs_rq;
};
struct task_struct {
  long before[6];
  struct sched_entity se;
};
struct task_struct cfs_rq_task;
struct cfs_rq cfs_rq_queue;
