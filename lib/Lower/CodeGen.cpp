// The BPF back end: its target machine and code generation into memory.
#include "Backend.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <mutex>

extern "C" {
void LLVMInitializeBPFTargetInfo();
void LLVMInitializeBPFTarget();
void LLVMInitializeBPFTargetMC();
void LLVMInitializeBPFAsmPrinter();
}

namespace bt::lower {

using namespace llvm;

Expected<std::unique_ptr<TargetMachine>> makeTargetMachine(unsigned optLevel, bool longJumps) {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeBPFTargetInfo();
    LLVMInitializeBPFTarget();
    LLVMInitializeBPFTargetMC();
    LLVMInitializeBPFAsmPrinter();
  });
  std::string err;
  const Target *target = TargetRegistry::lookupTarget(kBpfTriple, err);
  if (!target)
    return createStringError(inconvertibleErrorCode(), "BPF target unavailable: " + err);
  TargetOptions opts;
  auto level = optLevel == 0 ? CodeGenOptLevel::None : CodeGenOptLevel::Aggressive;
  std::unique_ptr<TargetMachine> tm(
      target->createTargetMachine(kBpfTriple, longJumps ? "v4" : "v3", "", opts, std::nullopt, std::nullopt, level));
  if (!tm)
    return createStringError(inconvertibleErrorCode(), "cannot create the BPF target machine");
  return tm;
}

Expected<SmallVector<char, 0>> compileModule(Module &module, TargetMachine &tm,
                                             CodeGenFileType type) {
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, type))
    return createStringError(inconvertibleErrorCode(), "BPF target cannot emit this file type");
  pm.run(module);
  return out;
}

Expected<SmallVector<char, 0>> emitFile(const Module &module, TargetMachine &tm,
                                        CodeGenFileType type) {
  auto copy = CloneModule(module);
  return compileModule(*copy, tm, type);
}

std::string sha256Hex(ArrayRef<uint8_t> data) { return toHex(SHA256::hash(data), true); }

} // namespace bt::lower
