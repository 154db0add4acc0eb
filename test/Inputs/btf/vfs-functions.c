// Functions for a bare BTF file (make-btf.sh): kprobe wildcards expand over the BTF's
// functions when a target lists none (test/lit/btc/kprobe-btf-functions.test).
int vfs_read(int a) { return a + 1; }
int vfs_write(int a) { return a + 2; }
static int vfs_static(int a) { return a + 3; }
int other(int a) { return vfs_static(a); }
