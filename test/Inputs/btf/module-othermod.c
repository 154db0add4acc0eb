// A second kernel module's functions and type, split from module-vmlinux.c's BTF
// (make-split-btf.sh) as module-testmod.c is: the own types of both number from the same
// id, so btc keeps them apart (test/lit/btc/fentry-two-modules.test).
struct file;
struct othermod_ctl {
  long pad;
  unsigned int flags;
};
int othermod_ioctl(struct file *file, struct othermod_ctl *ctl, int cmd) {
  return cmd + (int)ctl->flags;
}
long othermod_size(struct othermod_ctl *ctl) { return ctl->pad; }
