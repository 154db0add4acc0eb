// A refusal raised while lowering a script (a value lowering cannot hold, a probe whose
// values overflow the scratch map, one whose branches pass the verifier's bound), at a
// place in the script: btc prints it as it prints Sema's errors, the line and a caret
// under the range. Its text alone (llvm::toString) is `FILE:LINE:COL: message`.
#pragma once

#include "bt/Parse/Source.h"

#include "llvm/Support/Error.h"

#include <string>

namespace bt {

class LoweringError : public llvm::ErrorInfo<LoweringError> {
public:
  static char ID;
  // `file` names the range's file (the script or an import) in the text form.
  LoweringError(std::string file, Diagnostic diagnostic)
      : file_(std::move(file)), diagnostic_(std::move(diagnostic)) {}
  const Diagnostic &diagnostic() const { return diagnostic_; }
  const std::string &file() const { return file_; }
  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  std::string file_;
  Diagnostic diagnostic_;
};

} // namespace bt
