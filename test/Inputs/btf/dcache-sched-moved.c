// The kernel types upstream's dcsnoop and runqlen leave to BTF (struct path, qstr,
// load_weight; task_struct's se.cfs_rq), at sizes and offsets no kernel has: path is 24
// bytes (so a script's struct nameidata has its last at 24), qstr's name at 16,
// load_weight 32 bytes (so cfs_rq_partial's nr_running is at 40), se at 48 in
// task_struct and cfs_rq at 8 in it; struct cfs_rq as kernels before 6.14 have it, with
// the nr_running Debian's runqlen reads (6.14 renamed it nr_queued), at 40 too.
// lookup_fast for the kprobe. Encoded at test time by make-btf.sh.
struct path {
  void *mnt, *dentry, *extra;
};
struct qstr {
  unsigned int hash, len;
  long gap;
  const unsigned char *name;
};
struct load_weight {
  unsigned long weight, inv_weight, gap[2];
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
struct nameidata;
struct dentry *lookup_fast(struct nameidata *nd) { return nd ? (struct dentry *)0 : 0; }
struct task_struct dcache_sched_task;
struct qstr dcache_sched_qstr;
struct path dcache_sched_path;
struct load_weight dcache_sched_weight;
