// A task_struct over 512 bytes with a floating-point member, which no kernel has and
// btrun cannot print: its BTF as the running kernel's (BT_TEST_KERNEL_BTF) makes btrun
// refuse a map value of it at start-up (struct-big-map-value-print.test).
struct task_struct {
  char state[600];
  int pid;
  struct {
    double load;
  };
};
struct task_struct float_task;
