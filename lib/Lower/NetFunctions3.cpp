// percpu_kaddr(name [, cpu]): bpf_this_cpu_ptr or bpf_per_cpu_ptr of the variable as a
// typed __ksym: an extern in .ksyms whose BTF type repeats the kernel variable's, level
// by level (Sema's KsymShape), which libbpf matches against the run host's vmlinux BTF
// and turns into the variable's BTF id; the verifier then takes it as a per-CPU pointer.
// A typeless __ksym (kaddr's) would be a plain address, which these helpers refuse.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

namespace {

DIType *shapeType(LowerContext &lc, const std::vector<KsymShape> &shape, size_t level) {
  DIBuilder &DI = *lc.DI;
  const KsymShape &s = shape[level];
  switch (s.kind) {
  case KsymShape::Kind::Void:
    return nullptr;
  case KsymShape::Kind::Int: // libbpf matches integers of any width
    return DI.createBasicType("long unsigned int", 64, dwarf::DW_ATE_unsigned);
  case KsymShape::Kind::Struct:
    return DI.createStructType(lc.cu, s.name, lc.file, 0, s.size * 8, 0, DINode::FlagZero,
                               nullptr, DI.getOrCreateArray({}));
  case KsymShape::Kind::Union:
    return DI.createUnionType(lc.cu, s.name, lc.file, 0, s.size * 8, 0, DINode::FlagZero,
                              DI.getOrCreateArray({}));
  case KsymShape::Kind::Enum:
    return DI.createEnumerationType(
        lc.cu, s.name, lc.file, 0, s.size * 8, 0, DI.getOrCreateArray({}),
        DI.createBasicType("unsigned int", s.size * 8, dwarf::DW_ATE_unsigned));
  case KsymShape::Kind::Pointer:
    return DI.createPointerType(shapeType(lc, shape, level + 1), 64);
  case KsymShape::Kind::Array:
    return DI.createArrayType(0, 0, shapeType(lc, shape, level + 1),
                              DI.getOrCreateArray({DI.getOrCreateSubrange(0, s.size)}));
  }
  return nullptr;
}

} // namespace

GlobalVariable *LowerContext::percpuSymbol(const std::string &name) {
  if (GlobalVariable *gv = module->getNamedGlobal(name))
    return gv;
  auto *gv =
      new GlobalVariable(*module, B.getInt8Ty(), true, GlobalValue::ExternalLinkage, nullptr, name);
  gv->setSection(".ksyms");
  DIType *type = shapeType(*this, sema.percpuVariables.at(name), 0);
  gv->addDebugInfo(DI->createGlobalVariableExpression(cu, name, name, file, 0, type,
                                                      /*isLocalToUnit=*/false,
                                                      /*isDefined=*/false));
  return gv;
}

Value ProbeLowering::percpuKaddrCall(const ast::CallExpr *c) {
  const std::string &name = ast::as<ast::StringLit>(c->args[0].get())->value;
  GlobalVariable *var = lc.percpuSymbol(name);
  llvm::Value *address;
  if (c->args.size() == 2) {
    // NULL for a CPU past the last, as in the kernel and upstream.
    llvm::Value *cpu = B.CreateTrunc(expr(c->args[1].get()).v, B.getInt32Ty());
    address = lc.callHelper(PerCpuPtr, lc.i64(), {var, cpu});
  } else {
    address = lc.callHelper(ThisCpuPtr, lc.i64(), {var});
  }
  return {lc.sema.typeOf(c), address};
}

} // namespace bt::lower
