// What btc knows about an architecture: its name as `uname -m` prints it, the
// pointer size and byte order, and where uprobe and kprobe programs find the
// arguments, return value, stack and instruction pointers in `struct pt_regs`.
#pragma once

#include <string>
#include <vector>

namespace bt {

// A register as a probe program reads it: its name and its byte offset in the
// kernel's `struct pt_regs` for this architecture.
struct Register {
  std::string name;
  unsigned ptRegsOffset = 0;
};

struct Arch {
  std::string name;          // "x86_64", "aarch64"
  unsigned pointerSize = 8;  // bytes
  bool littleEndian = true;
  std::vector<Register> argRegisters; // arg0, arg1, ... in calling-convention order
  Register retval, stackPointer, instructionPointer;
  // Where the first argument passed on the stack lies above the stack pointer at
  // function entry (x86-64: 8, past the return address).
  unsigned stackArgOffset = 0;
};

// The architecture named `name`, or nullptr when btc does not know it.
const Arch *findArch(const std::string &name);
// "x86_64, aarch64": for messages.
std::string knownArchNames();

} // namespace bt
