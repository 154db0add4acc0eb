// Private to lib/Sema: a function's parameters as a binary's DWARF describes them
// (elfutils' libdw), for uprobe `args`, and the register or stack word each one is in at
// the function's entry by the C calling convention (the integer registers in order, as
// x86-64's System V ABI and AArch64's AAPCS64 both pass integers and pointers).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bt::sema {

// A parameter's type with typedefs and qualifiers peeled off.
struct DwarfType {
  enum class Kind { Void, Int, Pointer, Record, Other } kind = Kind::Other;
  unsigned size = 0;                  // Int
  bool isSigned = false;              // Int
  std::string record;                 // Record: "struct Foo", "union U"
  std::shared_ptr<DwarfType> pointee; // Pointer
};

struct DwarfParam {
  std::string name;     // "" when unnamed
  std::string spelling; // its type as bpftrace -lv prints it: "const char*", "struct Foo*"
  DwarfType type;
  // Its place at entry as argN numbers it (past the arch's registers, the stack words),
  // or none, with the reason, when it is in no integer register or btc cannot tell where.
  std::optional<unsigned> argIndex;
  std::string unreadable;
};

// The parameters of the function `symbol` (its linkage name, or its name) in the DWARF
// of `path`, for an arch that passes the first `registers` integers in registers; or why
// they cannot be known (no file, no DWARF, no such function).
struct DwarfFunction {
  std::vector<DwarfParam> params;
  std::string error;
};

// Each file is read once per compilation.
class DwarfParams {
public:
  const DwarfFunction &function(const std::string &path, const std::string &symbol,
                                unsigned registers);

private:
  std::map<std::pair<std::string, std::string>, DwarfFunction> cache_;
};

} // namespace bt::sema
