// What btc knows about an architecture: its name as `uname -m` prints it, the
// pointer size and byte order, and where uprobe and kprobe programs find the
// arguments, return value, stack and instruction pointers in `struct pt_regs`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bt {

// A register as a probe program reads it: its name and its byte offset in the
// kernel's `struct pt_regs` for this architecture.
struct Register {
  std::string name;
  unsigned ptRegsOffset = 0;
};

// How a probe tells user mode from pt_regs: (reg & mask) == value.
struct UserModeTest {
  Register reg;
  uint64_t mask = 0, value = 0;
};

struct Arch {
  std::string name;          // "x86_64", "aarch64"
  unsigned pointerSize = 8;  // bytes
  bool littleEndian = true;
  std::vector<Register> argRegisters; // arg0, arg1, ... in calling-convention order
  Register retval, stackPointer, instructionPointer;
  UserModeTest userMode; // usermode
  // Where the first argument passed on the stack lies above the stack pointer at
  // function entry (x86-64: 8, past the return address).
  unsigned stackArgOffset = 0;
  // System calls as raw_syscalls:sys_enter/sys_exit see them: the arguments and the
  // number in the user `struct pt_regs` (x86-64: r10, not cx, is the fourth). Empty
  // when btc serves this arch's syscall tracepoints as perf-event tracepoints only.
  std::vector<Register> syscallArgRegisters;
  Register syscallNumber;
  // Every register reg("name") reads, as the kernel's pt_regs names its members.
  std::vector<Register> registers;
};

// The number of the system call whose tracepoints are syscalls:sys_enter_NAME and
// sys_exit_NAME on `arch`, or -1 when btc does not know it (lib/Target/Syscalls*.def).
int syscallNumber(const Arch &arch, const std::string &name);
// The system calls of `arch` by number (their __NR_ names, the table's first row with
// each number; "" where there is none), empty when btc has no table for `arch`.
std::vector<std::string> syscallNames(const Arch &arch);

// reg("name"): the register of `arch` named `name`, or nullptr.
const Register *findRegister(const Arch &arch, const std::string &name);

// The architecture named `name`, or nullptr when btc does not know it.
const Arch *findArch(const std::string &name);
// "x86_64, aarch64": for messages.
std::string knownArchNames();

} // namespace bt
