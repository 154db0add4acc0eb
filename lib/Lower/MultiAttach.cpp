// One program for all attach points of a uprobe/uretprobe/kprobe/kretprobe probe, so
// that btrun attaches it with one multi link (uprobe_multi, kprobe_multi) where the host
// has them, or with one perf-event link per function, each with a cookie, where it does
// not. The cookie is the attachment's index in the probe: `probe` and `func` read their
// text from a constant table at that index (for syscalls served by raw_syscalls, the
// index comes from the syscall's number: SyscallDispatch.cpp).
#include "ProbeLowering.h"

namespace bt::lower {

bool sharesProgram(const ProbeInfo &pi) {
  if (pi.type != ProbeType::Uprobe && pi.type != ProbeType::Uretprobe &&
      pi.type != ProbeType::Kprobe && pi.type != ProbeType::Kretprobe)
    return false;
  if (pi.attachments.size() < 2)
    return false;
  for (const Attachment &a : pi.attachments) {
    if (a.symbol.empty() || a.address || a.path != pi.attachments[0].path || !a.module.empty())
      return false; // kprobe_multi finds functions by bare name, never "module:fn"
    if (a.path.empty() && pi.type != ProbeType::Kprobe && pi.type != ProbeType::Kretprobe)
      return false; // the -p process's functions, which btrun may find in different files
  }
  return true;
}

std::string sharedSection(const ProbeInfo &pi) {
  // The prefix by which libbpf knows the program's type: "uprobe/", "kretprobe/", ...
  const std::string &first = pi.attachments[0].section;
  std::string section = first.substr(0, first.find('/') + 1);
  const char *separator = "";
  for (const ast::AttachPoint &ap : pi.probe->attachPoints) {
    section += separator + ap.text.substr(ap.text.find(':') + 1);
    separator = ",";
  }
  return section;
}

Value ProbeLowering::attachmentString(bool func, unsigned size) {
  llvm::Module &m = *lc.module;
  std::string name = std::string(func ? "bt_func_names_" : "bt_probe_names_") + fnName;
  llvm::GlobalVariable *table = m.getGlobalVariable(name, true);
  // Rows padded to 8 bytes keep every row 8-aligned, so the copy below moves words: a
  // byte-wise copy of a long path's probe name spills past the 512-byte BPF stack.
  unsigned stride = (size + 7) & ~7u;
  auto *rowTy = llvm::ArrayType::get(lc.i8(), stride);
  size_t n = probe.attachments.size();
  if (!table) {
    std::vector<llvm::Constant *> rows;
    for (const Attachment &a : probe.attachments) {
      std::string text = func ? a.funcName : a.probeName;
      text.resize(stride, '\0'); // Sema sized the string for the longest
      rows.push_back(llvm::ConstantDataArray::getString(lc.ctx, text, false));
    }
    auto *tableTy = llvm::ArrayType::get(rowTy, n);
    table = new llvm::GlobalVariable(m, tableTy, true, llvm::GlobalValue::InternalLinkage,
                                     llvm::ConstantArray::get(tableTy, rows), name);
    table->setSection(".rodata");
    table->setAlignment(llvm::Align(8));
  }
  llvm::Value *cookie = dispatchGroup.empty() ? lc.callHelper(GetAttachCookie, lc.i64(), {ctxArg})
                                              : dispatchedAttachmentIndex();
  // A cookie past the table cannot come from btrun; the bound is for the verifier.
  llvm::Value *index =
      B.CreateSelect(B.CreateICmpULT(cookie, B.getInt64(n)), cookie, B.getInt64(0), "cookie");
  llvm::Value *row = B.CreateInBoundsGEP(table->getValueType(), table, {B.getInt64(0), index});
  auto *buf = temp(size, func ? "func" : "probe");
  B.CreateMemCpy(buf, llvm::MaybeAlign(8), row, llvm::MaybeAlign(8), size);
  return {lc.types().string(size), buf};
}

} // namespace bt::lower
