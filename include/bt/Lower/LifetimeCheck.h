// The IR lifetime check: no load, store or call may use a stack slot on a
// path after its llvm.lifetime.end without a new llvm.lifetime.start.
#pragma once

#include <string>
#include <vector>

namespace llvm {
class Function;
class Module;
} // namespace llvm

namespace bt {

struct LifetimeViolation {
  std::string function;
  std::string slot;       // the alloca's name: "$key", "key.@t", ...
  unsigned useLine = 0;   // script (debug-info) line of the use; 0 if unknown
  unsigned endLine = 0;   // line of the lifetime.end that reaches it
  std::string message() const;
};

// A forward "may have ended" data-flow analysis over each function's CFG.
std::vector<LifetimeViolation> checkLifetimes(const llvm::Function &f);
std::vector<LifetimeViolation> checkLifetimes(const llvm::Module &m);

constexpr unsigned kLifetimeCheckerVersion = 1;

} // namespace bt
