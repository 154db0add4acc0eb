// `probe` and `func` of fentry:bpf / fexit:bpf programs. Which running programs match is
// known only on the run host, so btrun loads one copy of the program per match and
// attaches each with a cookie; the texts are row `cookie` of an array map btrun fills
// (docs/OBJECT.md, bpf_match_names). `probe` of a watchpoint on a pattern's functions
// likewise: btrun attaches each match's uprobe and breakpoint with the match's row as
// cookie (watch_match_names).
#include "ProbeLowering.h"

#include "bt/Basic/Glob.h"
#include "bt/Object/Layout.h"

namespace bt::lower {

using namespace llvm;

namespace {
constexpr unsigned kBpfMapTypeArray = 2;
} // namespace

llvm::GlobalVariable *LowerContext::bpfMatchNamesMap() {
  // One row until btrun sizes it to the matches at load.
  if (!bpfMatchNames)
    bpfMatchNames = defineBtfMap(*this, obj::kBpfMatchNamesMap,
                                 {{"type", uintAttr(*this, kBpfMapTypeArray)},
                                  {"max_entries", uintAttr(*this, 1)},
                                  {"key", diInt(32, false)},
                                  {"value", diBytes(obj::kBpfMatchProbeSize + obj::kBpfMatchFuncSize)}});
  return bpfMatchNames;
}

llvm::GlobalVariable *LowerContext::watchMatchNamesMap() {
  if (!watchMatchNames)
    watchMatchNames = defineBtfMap(*this, obj::kWatchMatchNamesMap,
                                   {{"type", uintAttr(*this, kBpfMapTypeArray)},
                                    {"max_entries", uintAttr(*this, 1)},
                                    {"key", diInt(32, false)},
                                    {"value", diBytes(obj::kWatchMatchProbeSize)}});
  return watchMatchNames;
}

bool armsPerMatch(const LowerContext &lc, const ProbeInfo &pi, const Attachment &a) {
  return a.watchArgument && hasGlob(a.symbol) && lc.sema.watchMatchProbes.count(pi.probe);
}

Value ProbeLowering::bpfMatchString(bool func, unsigned size) {
  unsigned offset = func ? obj::kBpfMatchProbeSize : 0;
  unsigned capacity = func ? obj::kBpfMatchFuncSize : obj::kBpfMatchProbeSize;
  return cookieRowString(lc.bpfMatchNamesMap(), offset, capacity, size, func ? "func" : "probe");
}

Value ProbeLowering::watchMatchString(unsigned size) {
  return cookieRowString(lc.watchMatchNamesMap(), 0, obj::kWatchMatchProbeSize, size, "probe");
}

Value ProbeLowering::cookieRowString(llvm::GlobalVariable *table, unsigned offset,
                                     unsigned capacity, unsigned size, const char *name) {
  auto *buf = temp(size, name); // zeroed: what a missing row reads as
  auto *key = temp(4, "match");
  auto *cookie = lc.callHelper(GetAttachCookie, lc.i64(), {ctxArg});
  auto *row32 = B.CreateTrunc(cookie, B.getInt32Ty());
  B.CreateStore(row32, key);
  auto *row = lc.callHelper(MapLookupElem, lc.ptr(), {table, key});
  auto *found = BasicBlock::Create(lc.ctx, "match.found", fn);
  auto *done = BasicBlock::Create(lc.ctx, "match.end", fn);
  auto *missing = B.CreateICmpEQ(row, ConstantPointerNull::get(lc.ptr()));
  B.CreateCondBr(missing, done, found);
  B.SetInsertPoint(found);
  auto *text = B.CreateConstGEP1_32(lc.i8(), row, offset);
  // Sema sized the string at least to the row's text (more when the probe has other
  // attach points with longer texts): the rest stays zero.
  B.CreateMemCpy(buf, Align(8), text, Align(8), std::min(size, capacity));
  B.CreateBr(done);
  B.SetInsertPoint(done);
  return {lc.types().string(size), buf};
}

} // namespace bt::lower
