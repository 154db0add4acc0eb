// Prototypes for BTF-typed probes (fentry/fexit, tp_btf, rawtracepoint), to compile
// scripts against (`btc --btf`) with messages and context slots that do not depend
// on this kernel. Encoded at test time by make-btf.sh.
struct task_struct {
  int pid;
  int tgid;
  char comm[16];
};
struct pair {
  long a, b;
};
long bt_lookup(struct task_struct *task, unsigned int flags, short level) {
  return task->pid + flags + level;
}
void bt_void(int x) { (void)x; }
int bt_by_value(struct pair p, int after) { return p.a + after; }
// As the kernel defines one for each raw tracepoint: the hook's data, then its arguments.
void __bpf_trace_bt_event(void *__data, struct task_struct *p, int old_pid) {
  (void)__data, (void)p, (void)old_pid;
}
void bt_unsigned(unsigned int x) { (void)x; }
