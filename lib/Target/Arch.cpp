// The architectures btc knows. Offsets are those of `struct pt_regs` in the
// kernel's arch/<arch>/include/asm/ptrace.h (uapi for arm64's user_pt_regs,
// which pt_regs starts with).
#include "bt/Target/Arch.h"

#include <iterator>

namespace bt {
namespace {

const Arch &x86_64() {
  static const Arch a = [] {
    Arch a;
    a.name = "x86_64";
    a.argRegisters = {{"di", 112}, {"si", 104}, {"dx", 96}, {"cx", 88}, {"r8", 72}, {"r9", 64}};
    a.retval = {"ax", 80};
    a.stackPointer = {"sp", 152};
    a.instructionPointer = {"ip", 128};
    a.stackArgOffset = 8; // the return address
    a.userMode = {{"cs", 136}, 3, 3}; // the code segment's privilege level is 3
    a.syscallArgRegisters = {{"di", 112}, {"si", 104}, {"dx", 96},
                             {"r10", 56}, {"r8", 72},  {"r9", 64}};
    a.syscallNumber = {"orig_ax", 120};
    const char *names[] = {"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax",
                           "cx",  "dx",  "si",  "di",  "orig_ax", "ip", "cs", "flags", "sp", "ss"};
    for (unsigned i = 0; i < std::size(names); ++i)
      a.registers.push_back({names[i], 8 * i});
    return a;
  }();
  return a;
}

const Arch &aarch64() {
  static const Arch a = [] {
    Arch a;
    a.name = "aarch64";
    for (unsigned i = 0; i < 8; ++i)
      a.argRegisters.push_back({"x" + std::to_string(i), 8 * i});
    a.retval = {"x0", 0};
    a.stackPointer = {"sp", 248};
    a.instructionPointer = {"pc", 256};
    a.stackArgOffset = 0; // the link register holds the return address
    a.userMode = {{"pstate", 264}, 0xf, 0}; // PSR_MODE_MASK, PSR_MODE_EL0t
    for (unsigned i = 0; i < 31; ++i)
      a.registers.push_back({"x" + std::to_string(i), 8 * i});
    a.registers.push_back(a.stackPointer);
    a.registers.push_back(a.instructionPointer);
    a.registers.push_back(a.userMode.reg);
    return a;
  }();
  return a;
}

const Arch *const kArches[] = {&x86_64(), &aarch64()};

} // namespace

const Register *findRegister(const Arch &arch, const std::string &name) {
  for (const Register &r : arch.registers)
    if (r.name == name)
      return &r;
  return nullptr;
}

const Arch *findArch(const std::string &name) {
  for (const Arch *a : kArches)
    if (a->name == name)
      return a;
  return nullptr;
}

std::string knownArchNames() {
  std::string out;
  for (const Arch *a : kArches)
    out += (out.empty() ? "" : ", ") + a->name;
  return out;
}

} // namespace bt
