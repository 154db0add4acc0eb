// A function of hand-written assembly whose symbol has no size (`.type` without `.size`,
// as in many assembly sources): main -> bt_trampoline -> bt_leaf. bt_trampoline keeps a
// frame pointer, so a probe inside it has it as the stack's first frame.
//   gcc -O1 -g -fno-omit-frame-pointer -no-pie -o %t.d/rt_name ustack-sizeless.c
#include <unistd.h>

__attribute__((noinline, used)) long bt_leaf(long x) {
  __asm__ volatile("" ::: "memory");
  return x + 1;
}

// push %rbp (1 byte), mov %rsp,%rbp (3 bytes): the call is at bt_trampoline+4.
__asm__(".text\n"
        ".globl bt_trampoline\n"
        ".type bt_trampoline, @function\n"
        "bt_trampoline:\n"
        "  push %rbp\n"
        "  mov %rsp, %rbp\n"
        "  call bt_leaf\n"
        "  pop %rbp\n"
        "  ret\n");
long bt_trampoline(long x);

int main(int argc, char **argv) {
  long r = bt_trampoline(argc);
  sleep(argc > 1 ? 0 : 3);
  return r == 12345;
}
