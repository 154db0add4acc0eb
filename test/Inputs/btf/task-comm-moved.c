// A struct task_struct for comm(pid), pcomm and the task iterator kfuncs, with pid,
// group_leader and comm where no kernel has them (pid at 0x58, group_leader at 0x90,
// comm at 0xa0), and the raw tracepoint sched_switch, to compile scripts against
// (`btc --btf`) without the host's BTF. Encoded at test time by make-btf.sh.
struct task_struct {
  long before[11];
  int pid;
  int tgid;
  long gap[6];
  struct task_struct *group_leader;
  long gap2;
  char comm[16];
};
// The kernel declares a btf_trace_NAME typedef for each raw tracepoint.
typedef void (*btf_trace_sched_switch)(void *, int, struct task_struct *,
                                        struct task_struct *, unsigned int);
btf_trace_sched_switch sched_switch_hook;
struct task_struct comm_task;
