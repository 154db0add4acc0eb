// usdt arguments (arg0..argN). Where and how wide each argument is differs per site and
// is known only from the binary's notes on the run host, so the program reads it through
// libbpf's USDT support: btrun attaches with bpf_program__attach_usdt, which parses each
// site's argument spec ("-4@%edi", "8@-8(%rbp)", "-4@$5"), stores it in the object's
// __bpf_usdt_specs array and gives the site the spec's index as its attach cookie. The
// maps and the read below follow libbpf's BPF side (usdt.bpf.h): a constant, a register
// of pt_regs, or memory at a register plus an offset, cut to its size and sign-extended
// when the spec says signed. An argument the site does not have reads as 0, as there.
#include "ProbeLowering.h"
#include "bt/Object/Layout.h"

namespace bt::lower {

using namespace llvm;

namespace {

// libbpf 1.x's layout of struct __bpf_usdt_spec and its struct __bpf_usdt_arg_spec.
constexpr unsigned kArgSpecSize = 16;
constexpr unsigned kValOffset = 0, kArgType = 8, kRegOffset = 12, kArgSigned = 14,
                   kArgBitshift = 15;
constexpr unsigned kArgCountOffset = 200, kSpecSize = 208;
constexpr unsigned kMaxSpecs = 256; // libbpf's BPF_USDT_MAX_SPEC_CNT
enum UsdtArgType : uint32_t { kArgConst = 0, kArgReg = 1, kArgRegDeref = 2 };
constexpr unsigned kBpfMapTypeArray = 2;

} // namespace

GlobalVariable *LowerContext::usdtSpecMap() {
  if (!usdtSpecs) {
    usdtSpecs = defineBtfMap(*this, obj::kUsdtSpecMapName,
                             {{"type", uintAttr(*this, kBpfMapTypeArray)},
                              {"max_entries", uintAttr(*this, kMaxSpecs)},
                              {"key", diInt(32, true)},
                              {"value", diBytes(kSpecSize)}});
    // libbpf wants this map too; it fills it only on kernels without attach cookies
    // (before 5.15), where btrun refuses usdt arguments (AttachCookies.cpp): one entry.
    defineBtfMap(*this, "__bpf_usdt_ip_to_spec_id",
                 {{"type", uintAttr(*this, uint32_t(obj::MapType::Hash))},
                  {"max_entries", uintAttr(*this, 1)},
                  {"key", diInt(64, true)},
                  {"value", diInt(32, false)}});
  }
  return usdtSpecs;
}

Value ProbeLowering::usdtArgument(TypeId t, unsigned index) {
  std::string name = "arg" + std::to_string(index);
  auto *result = temp(8, name); // zeroed: what a missing spec or argument reads as
  auto *specId = temp(4, "usdt.spec_id");
  auto *cookie = lc.callHelper(GetAttachCookie, lc.i64(), {ctxArg});
  B.CreateStore(B.CreateTrunc(cookie, B.getInt32Ty()), specId);
  auto *spec = lc.callHelper(MapLookupElem, lc.ptr(), {lc.usdtSpecMap(), specId});

  auto *hasSpec = BasicBlock::Create(lc.ctx, "usdt.spec", fn);
  auto *read = BasicBlock::Create(lc.ctx, "usdt.read", fn);
  auto *fromRegister = BasicBlock::Create(lc.ctx, "usdt.register", fn);
  auto *deref = BasicBlock::Create(lc.ctx, "usdt.deref", fn);
  auto *cut = BasicBlock::Create(lc.ctx, "usdt.cut", fn);
  auto *done = BasicBlock::Create(lc.ctx, "usdt.end", fn);
  B.CreateCondBr(B.CreateICmpEQ(spec, ConstantPointerNull::get(lc.ptr())), done, hasSpec);

  B.SetInsertPoint(hasSpec);
  auto *count = B.CreateLoad(B.getInt16Ty(), B.CreateConstGEP1_32(lc.i8(), spec, kArgCountOffset));
  B.CreateCondBr(B.CreateICmpSGT(count, B.getInt16(index)), read, done);

  B.SetInsertPoint(read);
  auto *arg = B.CreateConstGEP1_32(lc.i8(), spec, kArgSpecSize * index);
  auto *valOffset = B.CreateLoad(lc.i64(), B.CreateConstGEP1_32(lc.i8(), arg, kValOffset));
  auto *argType = B.CreateLoad(B.getInt32Ty(), B.CreateConstGEP1_32(lc.i8(), arg, kArgType));
  auto *regOffset = B.CreateSExt(
      B.CreateLoad(B.getInt16Ty(), B.CreateConstGEP1_32(lc.i8(), arg, kRegOffset)), lc.i64());
  auto *isSigned = B.CreateICmpNE(
      B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), arg, kArgSigned)), B.getInt8(0));
  auto *shift = B.CreateZExt(
      B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), arg, kArgBitshift)), lc.i64());
  B.CreateStore(valOffset, result); // a constant is the offset itself
  B.CreateCondBr(B.CreateICmpEQ(argType, B.getInt32(kArgConst)), cut, fromRegister);

  // The register, from pt_regs at an offset only known at run time: the verifier
  // allows no variable-offset context load, so through probe_read_kernel as libbpf.
  B.SetInsertPoint(fromRegister);
  lc.callHelper(ProbeReadKernel, lc.i64(),
                {result, B.getInt32(8), B.CreateGEP(lc.i8(), ctxArg, regOffset)});
  B.CreateCondBr(B.CreateICmpEQ(argType, B.getInt32(kArgRegDeref)), deref, cut);

  B.SetInsertPoint(deref);
  auto *address = B.CreateAdd(B.CreateLoad(lc.i64(), result), valOffset);
  lc.callHelper(ProbeReadUser, lc.i64(),
                {result, B.getInt32(8), B.CreateIntToPtr(address, lc.ptr())});
  B.CreateBr(cut);

  // A failed read left zeros. The spec's size: shift the value's bytes to the top, back.
  B.SetInsertPoint(cut);
  auto *high = B.CreateShl(B.CreateLoad(lc.i64(), result), shift);
  // In sequence: as call arguments, the order would be the C++ compiler's.
  auto *extended = B.CreateAShr(high, shift);
  auto *zeroed = B.CreateLShr(high, shift);
  B.CreateStore(B.CreateSelect(isSigned, extended, zeroed), result);
  B.CreateBr(done);

  B.SetInsertPoint(done);
  return {t, B.CreateLoad(lc.i64(), result, name)};
}

} // namespace bt::lower
