// The kernel's side of a bare BTF pair (make-btf.sh, then module-testmod.c split from
// it by make-split-btf.sh): fentry:MODULE:fn types the module's function with both
// (test/lit/btc/fentry-module.test).
struct file {
  unsigned int f_flags;
  long f_pos;
};
int vfs_read(struct file *f, int count) { return count + (int)f->f_flags; }
int both_read(int a) { return a; }
