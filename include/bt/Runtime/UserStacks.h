// User stacks (ustack) and user symbols (usym) as text: frames read from the object's
// stack-trace maps by stack id, addresses named from the process's ELF symbols (and the
// symbols of its separate debug files), laid out as bpftrace prints them.
#ifndef BT_RUNTIME_USERSTACKS_H
#define BT_RUNTIME_USERSTACKS_H

#include "bt/Runtime/Manifest.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace bt::rt {

class BpfObject;

/// Names addresses in a process's address space. One implementation linked into each
/// runner: elfutils' libdwfl over /proc/PID/maps (btrun; libdw opened on first use), the
/// ELF symbol tables alone through libelf (btrun-static, which libdw would push past
/// 3 MB), and none (the test tools); docs/RUNTIME.md, "User stacks".
class UserSymbolizer {
public:
  struct Symbol {
    std::string name;   // as the symbol table spells it (C++'s mangled)
    uint64_t offset = 0; // from the symbol's start
    std::string module; // the mapped file's path
  };
  virtual ~UserSymbolizer() = default;
  /// The symbol `address` lies in, in process `pid`; none when the process or the
  /// address is unknown. The process's mappings are read on its first use and kept.
  virtual std::optional<Symbol> find(uint32_t pid, uint64_t address) = 0;
  /// A line for stderr, once, when this runner cannot name user addresses ("" if it can).
  virtual const char *limitation() const = 0;
};

/// The runner's symbolizer (UserSymbolsDwfl.cpp or UserSymbolsNone.cpp).
std::unique_ptr<UserSymbolizer> makeUserSymbolizer();

/// A ustack or usym field's text, as bpftrace prints it. A ustack is a newline, then one
/// line per frame, "name+off" after `indent` spaces or, in perf mode,
/// "\tADDRESS name+off (module)"; a frame no symbol covers is its address in hex. In
/// build_id mode a frame is "BUILDID 0xOFFSET", unindented, nothing named. A usym is the
/// symbol's name (or the address in hex).
class UserStacks {
public:
  /// `demangle`: C++ names demangled (config cpp_demangle, bpftrace's default).
  UserStacks(const BpfObject &obj, bool demangle) : obj_(obj), demangle_(demangle) {}
  /// `at`: the field's bytes.
  std::string text(const Field &field, const uint8_t *at, unsigned indent);

private:
  std::string frame(uint32_t pid, uint64_t address, bool withOffset, bool withModule);
  const BpfObject &obj_;
  bool demangle_;
  std::unique_ptr<UserSymbolizer> symbolizer_; // made on first use
  bool warned_ = false;
};

} // namespace bt::rt

#endif
