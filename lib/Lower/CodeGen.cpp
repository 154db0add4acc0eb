// The BPF back end: its target machine and code generation into memory.
#include "Backend.h"

#include "bt/Lower/LoweringError.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/DiagnosticHandler.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
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

namespace {

// The first error the BPF backend reports through the context: instruction selection's
// refusal of what BPF cannot encode, a stack over 512 bytes. LLVM's own handler prints it
// in its words and exits; btc returns it at the script place its debug location names.
struct BackendErrors : DiagnosticHandler {
  std::optional<Diagnostic> first;
  std::string file;

  bool handleDiagnostics(const DiagnosticInfo &info) override {
    if (info.getSeverity() != DS_Error)
      return false; // LLVM prints warnings and remarks as it would
    if (first)
      return true;
    std::string text;
    raw_string_ostream os(text);
    DiagnosticPrinterRawOStream printer(os);
    SourceLoc at;
    if (auto *u = dyn_cast<DiagnosticInfoUnsupported>(&info)) {
      os << u->getMessage();
      if (u->isLocationAvailable()) {
        StringRef path;
        u->getLocation(path, at.line, at.col);
        file = path.str();
      }
    } else {
      info.print(printer);
    }
    // LLVM's text goes on to advise its own command-line options: its first sentence.
    std::string message = StringRef(text).split(". ").first.rtrim(" .\n").str();
    first = Diagnostic{Severity::Error, {at, at},
                       "the BPF backend cannot generate this program: " + message};
    return true;
  }
};

} // namespace

Expected<SmallVector<char, 0>> compileModule(Module &module, TargetMachine &tm,
                                             CodeGenFileType type) {
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, type))
    return createStringError(inconvertibleErrorCode(), "BPF target cannot emit this file type");
  LLVMContext &ctx = module.getContext();
  auto previous = ctx.getDiagnosticHandler();
  ctx.setDiagnosticHandler(std::make_unique<BackendErrors>());
  pm.run(module);
  auto errors = ctx.getDiagnosticHandler();
  ctx.setDiagnosticHandler(std::move(previous));
  auto &backend = static_cast<BackendErrors &>(*errors);
  if (backend.first) {
    // At -O0 every value keeps a stack slot of its own: the optimiser shares them.
    if (tm.getOptLevel() == CodeGenOptLevel::None &&
        StringRef(backend.first->message).contains("stack limit"))
      backend.first->message += " (at -O0 each value has a stack slot of its own; "
                                "-O1 and above share them)";
    if (backend.file.empty())
      return createStringError(inconvertibleErrorCode(), backend.first->message);
    return make_error<LoweringError>(backend.file, std::move(*backend.first));
  }
  return out;
}

Expected<SmallVector<char, 0>> emitFile(const Module &module, TargetMachine &tm,
                                        CodeGenFileType type) {
  auto copy = CloneModule(module);
  return compileModule(*copy, tm, type);
}

std::string sha256Hex(ArrayRef<uint8_t> data) { return toHex(SHA256::hash(data), true); }

} // namespace bt::lower
