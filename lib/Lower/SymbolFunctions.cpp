// kaddr("name"): a kernel symbol's address on the host that runs the object. btc
// compiles offline, so the name becomes a typeless `__ksym` extern (a `.ksyms`
// variable of type `const void`, as libbpf's `extern const void name __ksym;`), read
// with a 64-bit load-immediate that libbpf patches from the run host's /proc/kallsyms
// when btrun loads the object. A host without the symbol fails the load, naming it.
#include "ProbeLowering.h"

#include "bt/Sema/PositionalText.h"

namespace bt::lower {

using namespace llvm;

llvm::GlobalVariable *LowerContext::kernelSymbol(const std::string &name) {
  auto [it, added] = kernelSymbols.emplace(name, nullptr);
  if (!added)
    return it->second;
  auto *gv = new GlobalVariable(*module, B.getInt8Ty(), true, GlobalValue::ExternalLinkage,
                                nullptr, name);
  gv->setSection(".ksyms");
  // The backend writes the extern into BTF's .ksyms DATASEC from this debug info;
  // libbpf takes a variable whose type is void for a kallsyms lookup.
  auto *constVoid = DI->createQualifiedType(dwarf::DW_TAG_const_type, nullptr);
  gv->addDebugInfo(DI->createGlobalVariableExpression(cu, name, name, file, 0, constVoid,
                                                      /*isLocalToUnit=*/false,
                                                      /*isDefined=*/false));
  it->second = gv;
  return gv;
}

Value ProbeLowering::kaddrCall(const ast::CallExpr *c) {
  // A literal, or str($N) of an argument given to btc (Sema checked it is one).
  const ast::Expr *arg = c->args[0].get();
  auto *lit = ast::as<ast::StringLit>(arg);
  std::string name =
      lit ? lit->value : sema::fixedPositionalText(arg, lc.sema.options.positionalArgs).value();
  if (lc.sema.percpuVariables.count(name)) {
    // percpu_kaddr() of the name too: its typed extern is the name's one (libbpf resolves
    // a name once, and would load both as the variable's BTF id), which the verifier takes
    // for a per-CPU pointer, refusing most arithmetic on it. Copied through the stack by
    // bpf_probe_read_kernel, the same address is a plain integer.
    llvm::Value *slot = temp(8, "percpu_address"), *copy = temp(8, "kaddr");
    B.CreateStore(B.CreatePtrToInt(lc.percpuSymbol(name), lc.i64()), slot);
    lc.callHelper(ProbeReadKernel, lc.i64(), {copy, B.getInt32(8), slot});
    return {lc.sema.typeOf(c), B.CreateLoad(lc.i64(), copy)};
  }
  // Through an empty asm: LLVM takes two distinct globals for distinct addresses and would
  // fold kaddr("_text") == kaddr("_stext") to false, where the kernel may alias them.
  llvm::Value *address = B.CreatePtrToInt(lc.kernelSymbol(name), lc.i64());
  return {lc.sema.typeOf(c), opaque(address)};
}

} // namespace bt::lower
