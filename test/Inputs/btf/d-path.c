// Functions for a bare BTF file (make-btf.sh): two on the kernel's bpf_d_path allowlist
// (filp_close, dentry_open: it returns a file) and one off it (vfs_read), each with the
// struct path the kernel's bpf_d_path takes, reached through a struct file.
struct path {
  void *mnt, *dentry;
};
struct file {
  long f_flags;
  struct path f_path;
};
int filp_close(struct file *filp, void *id) { return filp && id ? 0 : 1; }
long vfs_read(struct file *file, char *buf, unsigned long count, long *pos) {
  return file && buf && pos ? (long)count : 0;
}
struct file *dentry_open(const struct path *path, int flags, const void *cred) {
  static struct file f;
  return path && cred ? &f : (struct file *)0 + flags;
}
