// A static function the kernel calls back (bpf_loop, bpf_for_each_map_elem): long
// name(params...), with the debug info whose BTF the kernel checks before loading.
#ifndef BT_LOWER_CALLBACK_H
#define BT_LOWER_CALLBACK_H

#include "LowerContext.h"

namespace bt::lower {

struct CallbackParam {
  const char *name;
  bool isPointer; // void *, else u64
};

llvm::Function *createCallback(LowerContext &lc, const std::string &name,
                               llvm::ArrayRef<CallbackParam> params, SourceRange at);

/// Puts B at the start of a new "entry" block of callback `fn`, its debug location `at`
/// in fn's subprogram (the caller keeps its own insert point with an InsertPointGuard).
void enterCallback(llvm::IRBuilderBase &B, LowerContext &lc, llvm::Function *fn, SourceRange at);

} // namespace bt::lower

#endif
