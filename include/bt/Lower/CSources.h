// `import "x.bpf.c";`: btc compiles each BPF C source a script imports with clang
// (a subprocess, run only for such a script) into LLVM bitcode for the BPF target, and
// reads the prototypes of the functions it defines, which the script may call. Lower
// links the bitcode into the script's module (linkExternalC). An imported BPF object
// (`import "x.bpf.o";`) is read, not compiled: its global functions' prototypes from its
// BTF (lib/Lower/BpfObjects.cpp); libbpf's linker joins it to btc's object.
#pragma once

#include "bt/Parse/Parser.h"
#include "bt/Sema/ExternalC.h"
#include "bt/Target/Arch.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Module;
} // namespace llvm

namespace bt {

struct CSourceOptions {
  std::vector<std::string> includeDirs; // btc -I: also -I for the C
};

// The compiled sources and read objects, and their functions; null after reporting, at
// the import, why one cannot be used (clang missing or failing, or what the C or object
// defines that cannot be imported: a SEC() program, data holding an address, a name two
// imports define).
std::shared_ptr<const ExternalC> buildCSources(const std::vector<CSourceImport> &sources,
                                               const Arch &arch,
                                               const CSourceOptions &options,
                                               DiagnosticEngine &diags);

// Links the compiled sources into `into` (the script's module, before its probes are
// lowered); their functions become internal to it and are inlined into their callers,
// their data and maps go into .rodata, .data and .maps under linkedCName.
std::string linkExternalC(llvm::Module &into, const ExternalC &c);
// The name a C function has in the script's module once linked.
std::string linkedCName(const std::string &name);

// Whether an import names a BPF object (`x.bpf.o`) rather than a C source.
bool isBpfObjectImport(const std::string &path);
// Reads an imported BPF object's global functions into `into` and lists it there for
// linking; false after reporting, at the import, why it cannot be used (not a BPF
// little-endian object, no BTF, programs, static maps or data libbpf cannot load in it).
bool readBpfObject(const CSourceImport &source, DiagnosticEngine &diags, ExternalC &into);

// The name an imported object's function has in the script's module while the script is
// lowered (lib/Lower/BpfObjectLink.cpp gives it its own name after).
std::string linkedObjectName(const std::string &name);

// The clang binary btc runs: $BTC_CLANG, else the one found when btc was configured.
std::string clangBinary();

} // namespace bt
