// Enumerators printf's symbolic conversions take from the target's BTF: enum pid_type
// (%s of an enum), and GFP flag bits (%gr) numbered as no kernel numbers them (IO 0,
// FS 1, DIRECT_RECLAIM 2, KSWAPD_RECLAIM 3: GFP_KERNEL is 15 here, 0xcc0 in the
// kernel), the other bits left out as a config may leave them out. Typedefs a script's
// C may use undeclared (uint32_t, u64); the task iterator's context, for a pinned
// iterator's printf. Encoded at test time by make-btf.sh.
enum pid_type { PIDTYPE_PID, PIDTYPE_TGID, PIDTYPE_PGID, PIDTYPE_SID, PIDTYPE_MAX };
enum {
  ___GFP_IO_BIT,
  ___GFP_FS_BIT,
  ___GFP_DIRECT_RECLAIM_BIT,
  ___GFP_KSWAPD_RECLAIM_BIT,
  ___GFP_LAST_BIT
} gfp_bit;
typedef unsigned int uint32_t;
typedef unsigned long long u64;
struct symbolic_holder {
  enum pid_type type;
  uint32_t small;
  u64 big;
};
struct symbolic_holder symbolic_holder;
struct task_struct {
  int pid;
};
struct bpf_iter_meta;
struct bpf_iter__task {
  struct bpf_iter_meta *meta;
  struct task_struct *task;
};
struct bpf_iter__task symbolic_iter_context;
