#include "Callback.h"

namespace bt::lower {

using namespace llvm;

Function *createCallback(LowerContext &lc, const std::string &name,
                         ArrayRef<CallbackParam> params, SourceRange at) {
  std::vector<llvm::Type *> types;
  for (const CallbackParam &p : params)
    types.push_back(p.isPointer ? lc.ptr() : lc.i64());
  auto *fn = Function::Create(FunctionType::get(lc.i64(), types, false),
                              GlobalValue::InternalLinkage, name, *lc.module);
  fn->addFnAttr(Attribute::NoUnwind);
  auto &DI = *lc.DI;
  unsigned line = at.begin.line;
  auto *voidPtr = DI.createPointerType(nullptr, 64);
  std::vector<Metadata *> diTypes = {lc.diInt(64, true)};
  for (const CallbackParam &p : params)
    diTypes.push_back(p.isPointer ? static_cast<DIType *>(voidPtr) : lc.diInt(64, false));
  auto *sp = DI.createFunction(lc.cu, name, name, lc.diFile(at.begin.file), line,
                               DI.createSubroutineType(DI.getOrCreateTypeArray(diTypes)), line,
                               DINode::FlagPrototyped,
                               DISubprogram::SPFlagDefinition | DISubprogram::SPFlagLocalToUnit);
  fn->setSubprogram(sp);
  for (unsigned i = 0; i < params.size(); ++i) {
    fn->getArg(i)->setName(params[i].name);
    // AlwaysPreserve: the kernel rejects BTF whose FUNC lost a parameter (TOOLCHAIN-NOTES).
    DI.createParameterVariable(sp, params[i].name, i + 1, sp->getFile(), line,
                               static_cast<DIType *>(diTypes[i + 1]), true);
  }
  return fn;
}

void enterCallback(IRBuilderBase &B, LowerContext &lc, Function *fn, SourceRange at) {
  B.SetInsertPoint(BasicBlock::Create(lc.ctx, "entry", fn));
  B.SetCurrentDebugLocation(
      DILocation::get(lc.ctx, at.begin.line, at.begin.col, fn->getSubprogram()));
}

} // namespace bt::lower
