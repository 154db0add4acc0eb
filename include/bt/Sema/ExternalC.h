// The functions of the BPF C sources a script imports (`import "x.bpf.c";`), as
// btc compiled them (lib/Lower/CSources.cpp), and of the BPF objects it imports
// (`import "x.bpf.o";`, lib/Lower/BpfObjects.cpp): what Sema types a call of one by,
// the bitcode Lower links into the script's module and the objects linked into btc's
// own. Plain data: Sema links no LLVM.
#pragma once

#include "bt/Parse/Source.h"

#include <optional>
#include <string>
#include <vector>

namespace bt {

// A parameter's or a result's C type, as far as a script can pass or take it.
struct ExternalCType {
  enum Kind { Void, Int, Bool, Pointer, Other } kind = Other;
  unsigned bytes = 0;   // Int: 1, 2, 4 or 8
  bool isSigned = false; // Int
  std::string spelling;  // as the C wrote it, for messages ("unsigned int", "struct s *")
};

struct ExternalCFunction {
  std::string name;
  ExternalCType result;
  std::vector<ExternalCType> params;
  std::vector<std::string> paramNames; // "" where the C names none
  std::string file;                    // the .bpf.c or .bpf.o that defines it
  // Defined by an imported BPF object: a global function, called rather than inlined,
  // which the verifier checks apart from its callers.
  bool inObject = false;
};

struct ExternalCModule {
  std::string file;    // the .bpf.c, as found
  std::string bitcode; // clang's LLVM bitcode for the BPF target
};

struct ExternalCObject {
  std::string file;  // the .bpf.o, as found
  SourceRange range; // the import's: Lower's refusals of the object are located there
  // Its global data and maps, linked in under these names (Lower refuses one that btc
  // gives the script's own map or program).
  std::vector<std::string> globals;
  // Its license section, if it has one, as the linker compares it with btc's: the bytes
  // (the text, then any NULs C padded it with) and whether C wrote it writable
  // (`char LICENSE[]`).
  std::optional<std::string> licenceSection;
  bool licenceWritable = false;

  /// The licence's text, if the object has a license section.
  std::optional<std::string> licence() const {
    if (!licenceSection)
      return std::nullopt;
    return licenceSection->substr(0, licenceSection->find('\0'));
  }
};

struct ExternalC {
  std::vector<ExternalCModule> modules;
  std::vector<ExternalCObject> objects; // linked into btc's object
  std::vector<ExternalCFunction> functions;

  const ExternalCFunction *find(const std::string &name) const {
    for (const ExternalCFunction &f : functions)
      if (f.name == name)
        return &f;
    return nullptr;
  }
};

} // namespace bt
