// A struct task_struct with a member no kernel has (btc_missing): an object that
// reads it must be refused at load with a located error, as its CO-RE relocation
// cannot be resolved against the running kernel.
struct task_struct {
  int pid;
  long btc_missing;
};
struct task_struct extra_task;
