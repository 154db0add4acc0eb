// Kernel stacks (kstack) as text: frames read from the object's stack-trace maps by
// stack id, addresses resolved against /proc/kallsyms, laid out as bpftrace prints them.
#ifndef BT_RUNTIME_KERNELSTACKS_H
#define BT_RUNTIME_KERNELSTACKS_H

#include "bt/Runtime/Manifest.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bt::rt {

class BpfObject;

/// Kernel symbols, sorted by address, to name an address as bpftrace does.
/// One line of /proc/kallsyms, "ADDRESS TYPE NAME[\t[MODULE]]": its address text and its
/// name; false for a line without a name.
bool splitKallsymsLine(std::string_view line, std::string_view &address, std::string_view &name);

class KernelSymbols {
public:
  /// Reads /proc/kallsyms (all zero addresses, as without privilege, give no symbols).
  static KernelSymbols fromProc();
  /// Parses kallsyms text: "ADDRESS TYPE NAME [MODULE]" lines.
  static KernelSymbols parse(std::string text);
  /// "name+offset", or "0x..." below every symbol (a stack frame).
  std::string resolve(uint64_t address) const;
  /// "name", or the address in hex ("0" for 0) below every symbol (ksym).
  std::string name(uint64_t address) const;

private:
  struct Symbol {
    uint64_t address;
    uint32_t nameOffset, nameSize; // in text_
  };
  /// The symbol at or below `address`, if any.
  const Symbol *find(uint64_t address) const;
  std::string text_;
  std::vector<Symbol> symbols_;
};

/// A kstack field's text for a stack id, as bpftrace lays it out: a newline, then one
/// line per frame, "    name+off" (`indent` spaces) or, in perf mode, "\tADDRESS name+off".
/// A stack the kernel could not record (negative id, or gone from the map) has no frames.
class KernelStacks {
public:
  explicit KernelStacks(const BpfObject &obj) : obj_(obj) {}
  std::string text(const Field &field, int64_t id, unsigned indent);
  /// Reads the kernel's symbols now: /proc/kallsyms shows addresses only to a process
  /// with CAP_SYSLOG, which btrun drops once attached.
  void loadSymbols();

private:
  const BpfObject &obj_;
  bool loaded_ = false;
  KernelSymbols symbols_; // read on first use: most scripts print no stack
};

} // namespace bt::rt

#endif
