// Files, paths and inodes as fentry/fexit probes and task iterators see them, with the
// members at offsets no kernel has them at (f_flags at 24, f_mode at 28, f_path at 32,
// f_inode at 88, f_pos at 96; i_ino at 64; task_struct's pid at 40), to compile scripts
// against (`btc --btf`) without the host's BTF. Encoded at test time by make-btf.sh.
struct inode {
  long before[8];
  unsigned long i_ino;
};
struct path {
  void *mnt, *dentry;
};
struct file {
  long before[3];
  unsigned int f_flags;
  unsigned int f_mode;
  struct path f_path;
  long gap[5];
  struct inode *f_inode;
  long long f_pos;
};
struct task_struct {
  long before[5];
  int pid;
  char comm[16];
};
struct vm_area_struct {
  unsigned long vm_start, vm_end;
  struct file *vm_file;
};
// Functions fentry and fexit attach to (filp_close and security_file_open are on the
// kernel's bpf_d_path allowlist).
long vfs_read(struct file *file, char *buf, unsigned long count, long long *pos) {
  return file && buf && pos ? (long)count : 0;
}
struct file *alloc_empty_file(int flags, const void *cred) {
  static struct file f;
  return cred ? &f : (struct file *)0 + flags;
}
int filp_close(struct file *filp, void *id) { return filp && id ? 0 : 1; }
int security_file_open(struct file *file) { return file ? 0 : 1; }
// The contexts of the task, task_file and task_vma iterators: the object iterated is
// the second word, as in the kernel; task_file's file is at 40 (the kernel has it at 24).
struct seq_file;
struct bpf_iter_meta {
  struct seq_file *seq;
  unsigned long long session_id;
  unsigned long long seq_num;
};
struct bpf_iter__task {
  struct bpf_iter_meta *meta;
  struct task_struct *task;
};
struct bpf_iter__task_file {
  struct bpf_iter_meta *meta;
  struct task_struct *task;
  unsigned int fd;
  long gap[2];
  struct file *file;
};
struct bpf_iter__task_vma {
  struct bpf_iter_meta *meta;
  struct task_struct *task;
  struct vm_area_struct *vma;
};
struct bpf_iter__task task_iter_context;
struct bpf_iter__task_file task_file_iter_context;
struct bpf_iter__task_vma task_vma_iter_context;
