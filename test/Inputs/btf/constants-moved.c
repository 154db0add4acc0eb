// Kernel types whose sizes, member places and enumerator values no kernel has, to
// compile scripts against (`btc --btf`): an object that reads this kernel's values
// of sizeof, offsetof, enum constants and a printed struct was relocated by CO-RE.
// Encoded at test time by make-btf.sh.
struct load_weight {
  unsigned int inv_weight;
  unsigned long weight;
};
struct sched_entity {
  int before[7];
  struct load_weight load;
};
struct task_struct {
  long before[9];
  struct sched_entity se;
};
struct rb_node {
  long pad[5];
};
struct pollfd { // 4-byte aligned: no tuple's padding after it is fixed
  int fd;
  short events, revents;
  int pad;
};
enum pid_type { PIDTYPE_SID = 40, PIDTYPE_MAX = 42 };
struct task_struct moved_task;
struct rb_node moved_node;
struct pollfd moved_pollfd;
enum pid_type moved_pid_type;
