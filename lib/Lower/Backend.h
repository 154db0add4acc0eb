// Private to lib/Lower: what follows lowering, one concern per file. Optimize.cpp
// runs the optimisation pipeline, CodeGen.cpp drives the BPF back end, Emission.cpp
// writes the object with its manifest and digests, Signing.cpp signs the file digest.
#pragma once

#include "bt/Lower/Signing.h"
#include "bt/Object/Manifest.h"
#include "bt/Parse/Source.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bt {
struct ExternalC;
struct ExternalCObject;
} // namespace bt

namespace bt::lower {

class LowerContext;

inline constexpr const char *kBpfTriple = "bpfel-unknown-none";

/// The BPF target machine at `optLevel` (0: no optimisation): CPU v3, or with
/// `longJumps` (strings over obj::kMaxCpuV3Strlen) CPU v4, kernel 6.6+, whose backend
/// turns a jump beyond 16-bit offsets into a gotol (a 32-bit one) instead of stopping.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>> makeTargetMachine(unsigned optLevel,
                                                                       bool longJumps = false);

/// LLVM's default module pipeline at O1..O3; at O0 nothing, or only the O0
/// pipeline when `o0Pipeline`: the module has CO-RE accesses (its BPF passes) or
/// imported C functions (its always-inliner).
void optimizeModule(llvm::Module &module, llvm::TargetMachine &tm, unsigned optLevel,
                    bool o0Pipeline);

/// Every memset/memcpy longer than the BPF backend expands, split into chunks it does
/// (MemChunks.cpp); run after the optimiser, which merges neighbouring calls.
void splitMemIntrinsics(llvm::Module &module);

/// Code generation of `module`, which it changes.
llvm::Expected<llvm::SmallVector<char, 0>> compileModule(llvm::Module &module,
                                                         llvm::TargetMachine &tm,
                                                         llvm::CodeGenFileType type);
/// Code generation of a copy of `module`, so that the module can be compiled again.
llvm::Expected<llvm::SmallVector<char, 0>> emitFile(const llvm::Module &module,
                                                    llvm::TargetMachine &tm,
                                                    llvm::CodeGenFileType type);

/// Lowercase hex SHA-256.
std::string sha256Hex(llvm::ArrayRef<uint8_t> data);

/// The object: `module` compiled with the manifest in `.bt.manifest`, its integrity
/// digests (and signature, with `signingKeyPem`) written into the section's padding.
llvm::Expected<std::vector<char>> emitObject(const llvm::Module &module, llvm::TargetMachine &tm,
                                             const obj::Manifest &manifest,
                                             const std::string &signingKeyPem,
                                             size_t integrityReserve,
                                             const std::vector<ExternalCObject> &linkedObjects);

/// The global functions of the imported BPF objects (`import "x.bpf.o";`), declared in
/// the script's module with their BTF prototypes (BpfObjectLink.cpp).
std::string declareObjectFunctions(LowerContext &lc, const ExternalC &c);
/// Their names once the script is lowered (declared under linkedObjectName, so that
/// none of btc's own globals was renamed for them); a refusal at the object's import
/// when btc gives one of them, or one of the object's global data and maps, to a map or
/// program of the script (libbpf's linker would join the two).
std::optional<Diagnostic> nameObjectFunctions(llvm::Module &module, const ExternalC &c);
/// The module made ready for libbpf's linker to join `objects` to it: its globals
/// without BTF made local (the linker asks each global symbol for its BTF) and its
/// licence section of the objects' kind.
void prepareForLinking(llvm::Module &module, const std::vector<ExternalCObject> &objects);
/// `own` (btc's object) and `objects` joined by libbpf's static linker.
llvm::Expected<std::vector<char>> linkBpfObjects(llvm::ArrayRef<char> own,
                                                 const std::vector<ExternalCObject> &objects);

} // namespace bt::lower
