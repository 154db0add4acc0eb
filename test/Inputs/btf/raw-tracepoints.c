// Raw tracepoints for a bare BTF file (make-btf.sh): the kernel declares a
// btf_trace_NAME typedef for each, which rawtracepoint/tp_btf wildcards and btc -l list
// (test/lit/btc/list-kinds.test).
struct task_struct {
  int pid;
};
typedef void (*btf_trace_bt_wake)(void *, struct task_struct *);
typedef void (*btf_trace_bt_wake_new)(void *, struct task_struct *);
typedef void (*btf_trace_bt_switch)(void *, int, struct task_struct *);
btf_trace_bt_wake bt_wake_hook;
btf_trace_bt_wake_new bt_wake_new_hook;
btf_trace_bt_switch bt_switch_hook;
