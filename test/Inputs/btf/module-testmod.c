// A kernel module's functions and a type of its own, split from module-vmlinux.c's BTF
// (make-split-btf.sh): test/lit/btc/fentry-module.test.
struct file;
struct testmod_dev {
  int id;
  unsigned long len;
};
struct testmod_big {
  long a, b, c;
};
int testmod_read(struct file *file, int count, struct testmod_dev *dev) {
  return count + (int)dev->len;
}
int testmod_write(struct file *file, int count) { return count; }
// 24 bytes by value: the kernel refuses fentry on it.
int testmod_big(struct testmod_big b) { return (int)b.a; }
// Also the kernel's name: fentry:testmod:both_read is this one, not vmlinux's.
int both_read(long a, long b) { return (int)(a + b); }
