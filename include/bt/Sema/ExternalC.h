// The functions of the BPF C sources a script imports (`import "x.bpf.c";`), as
// btc compiled them (lib/Lower/CSources.cpp): what Sema types a call of one by, and
// the bitcode Lower links into the script's module. Plain data: Sema links no LLVM.
#pragma once

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
  std::string file;                    // the .bpf.c that defines it
};

struct ExternalCModule {
  std::string file;    // the .bpf.c, as found
  std::string bitcode; // clang's LLVM bitcode for the BPF target
};

struct ExternalC {
  std::vector<ExternalCModule> modules;
  std::vector<ExternalCFunction> functions;

  const ExternalCFunction *find(const std::string &name) const {
    for (const ExternalCFunction &f : functions)
      if (f.name == name)
        return &f;
    return nullptr;
  }
};

} // namespace bt
