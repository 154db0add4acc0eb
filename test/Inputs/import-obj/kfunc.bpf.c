// A BPF object that calls kernel functions (kfuncs, externs in .ksyms), which libbpf
// resolves against the kernel's BTF when btrun loads the linked object
// (runtime/import-bpf-object.bt).
extern void bpf_rcu_read_lock(void) __attribute__((section(".ksyms")));
extern void bpf_rcu_read_unlock(void) __attribute__((section(".ksyms")));

int under_rcu(int x) {
  bpf_rcu_read_lock();
  x += 1;
  bpf_rcu_read_unlock();
  return x;
}
