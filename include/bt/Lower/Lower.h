// The door into lib/Lower: a checked script in, LLVM IR, BPF assembly and a
// BPF ELF object carrying its manifest out.
#pragma once

#include "bt/Parse/AST.h"
#include "bt/Object/Manifest.h"
#include "bt/Sema/Sema.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bt {

// A script with at most this many syscall tracepoint attachments keeps perf-event
// tracepoints by default: a raw_syscalls dispatcher runs on every syscall of the
// machine, which costs more than their slower detach (bench/ANALYSIS.md).
constexpr unsigned kMaxPerfSyscallTracepoints = 2;

struct CompileOptions {
  std::string sourceName = "stdin";
  std::string sourceText;
  // The scripts it imports, as {name, text}: locations in file N (N >= 1) are in
  // importedSources[N - 1]. Their names go into the manifest beside the script's.
  std::vector<std::pair<std::string, std::string>> importedSources;
  bool syncStart = true; // the implicit arming predicate (two-phase start)
  bool warnings = true;
  bool helperErrors = false; // -k: report failing helper calls at run time
  unsigned optLevel = 2; // 0..3
  // syscalls:sys_enter_*/sys_exit_* served through raw_syscalls programs, which the
  // kernel detaches in microseconds (docs/DESIGN-NOTES.md); false: perf-event tracepoints;
  // unset: raw_syscalls for scripts with more than kMaxPerfSyscallTracepoints of them.
  std::optional<bool> rawSyscalls;
  std::string signingKeyPem; // --sign: an Ed25519 private key (PEM) to sign with
  std::vector<obj::TargetRecord> targets; // what it is compiled for (the manifest's targets)
  // Test only (btc --test-end-lifetime-early): the stack slot of this name ($var
  // or a scratch slot such as key.@m) gets a lifetime.end right after it is
  // written, so the lifetime check must stop the compilation.
  std::string endLifetimeEarly;
};

// One compiled script. Lowering, optimisation and the lifetime check run in
// create(); the outputs are produced from the checked module.
class Compilation {
public:
  static llvm::Expected<std::unique_ptr<Compilation>>
  create(const ast::Program &program, const SemaResult &sema, const CompileOptions &options);
  ~Compilation();

  std::string llvmIR() const;
  llvm::Expected<std::string> assembly() const;
  // The relocatable BPF ELF with `.bt.manifest` (digests filled in).
  llvm::Expected<std::vector<char>> object() const;
  // The manifest JSON as it is in object(), pretty-printed.
  llvm::Expected<std::string> manifest() const;

  struct Impl;

private:
  explicit Compilation(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace bt
