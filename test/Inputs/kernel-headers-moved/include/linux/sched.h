/* btc's test tree: the macros are the kernel's, but task_struct has pid, tgid and
   comm where no kernel has them, so a member read with this layout would be wrong.
   btc must read them through the target's BTF (CO-RE) and take only the macros. */
#ifndef BTC_TEST_SCHED_H
#define BTC_TEST_SCHED_H

#define TASK_RUNNING 0x00000000
#define TASK_INTERRUPTIBLE 0x00000001
#ifdef CONFIG_BTC_TEST_TREE
#define BTC_TEST_TREE_CONFIGURED 7
#endif
#ifdef __KERNEL__
#define BTC_TEST_TREE_KERNEL 9
#endif

struct task_struct {
  char before[3];
  char comm[16];
  int tgid;
  int pid;
};

#endif
