// The optimisation pipeline run on the lowered module.
#include "Backend.h"

#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Passes/PassBuilder.h"

namespace bt::lower {

using namespace llvm;

void optimizeModule(Module &m, TargetMachine &tm, unsigned optLevel, bool o0Pipeline) {
  if (optLevel == 0 && !o0Pipeline)
    return;
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PassBuilder pb(&tm);
  // No libc on BPF: keep the optimiser from turning loops into memcmp/bcmp calls.
  TargetLibraryInfoImpl tlii(Triple(m.getTargetTriple()));
  tlii.disableAllFunctions();
  fam.registerPass([&] { return TargetLibraryAnalysis(tlii); });
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  OptimizationLevel level = optLevel == 1   ? OptimizationLevel::O1
                            : optLevel == 3 ? OptimizationLevel::O3
                                            : OptimizationLevel::O2;
  // -O0's pipeline still runs the BPF target's CO-RE passes (its start callbacks) and
  // inlines the imported C's functions (linkExternalC marks them always-inline).
  ModulePassManager mpm = optLevel == 0 ? pb.buildO0DefaultPipeline(OptimizationLevel::O0)
                                        : pb.buildPerModuleDefaultPipeline(level);
  mpm.run(m, mam);
}

} // namespace bt::lower
