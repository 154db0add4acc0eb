// The optimisation pipeline run on the lowered module.
#include "Backend.h"

#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Passes/PassBuilder.h"

namespace bt::lower {

using namespace llvm;

void optimizeModule(Module &m, TargetMachine &tm, unsigned optLevel) {
  if (optLevel == 0)
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
  ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(level);
  mpm.run(m, mam);
}

} // namespace bt::lower
