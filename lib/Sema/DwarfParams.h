// Private to lib/Sema: a function's parameters as a binary's DWARF describes them
// (elfutils' libdw), for uprobe `args`, and the register or stack word each one is in at
// the function's entry by the C calling convention (the integer registers in order, as
// x86-64's System V ABI and AArch64's AAPCS64 both pass integers and pointers).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bt::sema {

// A parameter's or member's type with typedefs and qualifiers peeled off.
struct DwarfType {
  enum class Kind { Void, Int, Pointer, Record, Array, Other } kind = Kind::Other;
  unsigned size = 0;                  // Int, Record, Array: bytes
  bool isSigned = false;              // Int
  bool isChar = false;                // Int: a char (an array of them is a string)
  std::string record;                 // Record: "struct Foo", "union U"
  std::shared_ptr<DwarfType> pointee; // Pointer: what it points to; Array: the element
  unsigned count = 0;                 // Array
  // Record: where its definition is, to read its members on use, and its alignment
  // (its widest member's); 0 for one DWARF only declares (an opaque type).
  std::string path;
  uint64_t die = 0;
  unsigned align = 0;
  std::string spelling; // Other: what it is, for errors ("double", "long double")
  bool byReference = false; // Record: DWARF says it is passed by reference (C++)
};

// A member of a struct or union, at the offset DWARF gives it (a bitfield's in bits).
struct DwarfMember {
  std::string name;
  unsigned bitOffset = 0, bitfieldSize = 0;
  DwarfType type;
  std::string unreadable; // why its place is not known, where it is not
};

// The named members of a record definition (those of its anonymous structs and unions
// too, at their offsets in it), or why they cannot be known.
struct DwarfRecord {
  std::vector<DwarfMember> members;
  std::string error;
};

struct DwarfParam {
  std::string name;     // "" when unnamed
  std::string spelling; // its type as bpftrace -lv prints it: "const char*", "struct Foo*"
  DwarfType type;
  // Its place at entry as argN numbers it (past the arch's registers, the stack words),
  // or none, with the reason, when it is in no integer register or btc cannot tell where.
  // A struct or union passed by value is in one place per 8 bytes, from this one on
  // (consecutive registers, or consecutive stack words).
  std::optional<unsigned> argIndex;
  std::string unreadable;
};

// The parameters of the function `symbol` (its linkage name, or its name) in the DWARF
// of `path`, for `arch` ("x86_64", "aarch64"), which passes the first `registers`
// integers in registers; or why
// they cannot be known (no file, no DWARF, no such function).
struct DwarfFunction {
  std::vector<DwarfParam> params;
  std::string error;
};

// Each file is opened once per compilation and stays open while records are read.
class DwarfParams {
public:
  DwarfParams();
  ~DwarfParams();
  DwarfParams(const DwarfParams &) = delete;
  DwarfParams &operator=(const DwarfParams &) = delete;

  const DwarfFunction &function(const std::string &path, const std::string &symbol,
                                unsigned registers, const std::string &arch);
  // The members of a Record type that function() gave (or a member of one).
  const DwarfRecord &record(const DwarfType &t);
  // A record's alignment: DWARF's (alignas), else its widest member's.
  unsigned alignOf(const DwarfType &t, int depth = 0);
  // The record types of the type table that DWARF defines (C-layout records, as the
  // script's C structs are, whose members are read here), by the type's index.
  void setTypeRecord(uint32_t typeIndex, const DwarfType &t) { typeRecords_[typeIndex] = t; }
  const DwarfType *typeRecord(uint32_t typeIndex) const {
    auto it = typeRecords_.find(typeIndex);
    return it == typeRecords_.end() ? nullptr : &it->second;
  }

private:
  struct File;
  void assignPlaces(std::vector<DwarfParam> &params, const std::vector<bool> &smallFloats,
                    unsigned registers, const std::string &arch);
  std::string integersOnly(const DwarfType &t, int depth = 0);
  File &open(const std::string &path);
  std::map<std::string, std::unique_ptr<File>> files_;
  std::map<std::pair<std::string, std::string>, DwarfFunction> cache_;
  std::map<std::pair<std::string, uint64_t>, DwarfRecord> records_;
  std::map<uint32_t, DwarfType> typeRecords_;
};

} // namespace bt::sema
