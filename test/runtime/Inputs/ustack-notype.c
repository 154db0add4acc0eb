// Symbols that are not functions, which libdwfl (btrun) names addresses by too: two
// assembly labels without `.type` (NOTYPE), one with a `.size` and one without, each
// calling bt_leaf -> bt_inner, and a data object. bt_leaf keeps a frame pointer, so a
// probe at bt_inner's entry has the label's return address as the stack's second frame.
//   gcc -O1 -g -fno-omit-frame-pointer -no-pie -o %t.d/rt_name ustack-notype.c
#include <unistd.h>

__attribute__((noinline, used)) long bt_inner(long x) {
  __asm__ volatile("" ::: "memory");
  return x + 1;
}

__attribute__((noinline, used)) long bt_leaf(long x) { return bt_inner(x) + 1; }

__asm__(".text\n"
        ".globl bt_sized_label\n"
        "bt_sized_label:\n"
        "  push %rbp\n"
        "  mov %rsp, %rbp\n"
        "  call bt_leaf\n"
        "  pop %rbp\n"
        "  ret\n"
        ".size bt_sized_label, .-bt_sized_label\n"
        ".globl bt_plain_label\n"
        "bt_plain_label:\n"
        "  push %rbp\n"
        "  mov %rsp, %rbp\n"
        "  call bt_leaf\n"
        "  pop %rbp\n"
        "  ret\n");
long bt_sized_label(long x);
long bt_plain_label(long x);

long bt_table[4] = {1, 2, 3, 4};

int main(int argc, char **argv) {
  long r = bt_sized_label(argc) + bt_plain_label(argc) + bt_table[argc & 3];
  sleep(argc > 1 ? 0 : 3);
  return r == 12345;
}
