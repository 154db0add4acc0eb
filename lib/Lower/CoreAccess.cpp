// Kernel memory through kernel types, all CO-RE: every member access is an
// llvm.preserve.{struct,union}.access.index call whose debug-info type names the
// kernel's struct and member, which the BPF backend turns into a relocation that
// libbpf patches to the running kernel's offset. Memory is read with one
// bpf_probe_read_kernel per pointer hop, as BPF_CORE_READ does. A value of a
// struct, union or (non-char) array type is its kernel address: `.`, `[i]` and
// `&` compute on it, and nothing is read until a scalar is.
#include "CoreTypes.h"
#include "KernelBytesRoom.h"
#include "ProbeLowering.h"

#include "llvm/IR/IntrinsicsBPF.h"

namespace bt::lower {

using namespace llvm;

llvm::Value *ProbeLowering::recordAddress(const ast::FieldExpr *f) {
  // `->`, or `.` on a pointer (Sema lets it read through, as upstream bpftrace does).
  Value base = expr(f->base.get());
  if (!lc.type(base.type).isPointer())
    return base.v;
  // `$pp->x` on a `struct s **`: each pointer but the last is read, one probe read a
  // level, from the process's memory once one pointer points there (Typer::member).
  bool user = lc.type(base.type).addressSpace == AddressSpace::User;
  while (lc.type(lc.type(base.type).pointee).isPointer()) {
    TypeId inner = lc.type(base.type).pointee;
    base = readKernel(inner, B.CreateIntToPtr(base.v, lc.ptr()), f->field, user);
    user = user || lc.type(inner).addressSpace == AddressSpace::User;
  }
  return B.CreateIntToPtr(base.v, lc.ptr());
}

llvm::Value *ProbeLowering::memberAddress(const ast::FieldExpr *f, llvm::Value *record) {
  const MemberAccess &m = lc.sema.members.at(f);
  // A record the script's C defines: clang's layout is the truth, no relocation.
  if (lc.type(m.record).origin == RecordOrigin::C)
    return B.CreateGEP(lc.i8(), record, B.getInt64(m.bitOffset / 8));
  CoreTypes::Access a = lc.core.access(lc.sema.members.at(f));
  if (a.isUnion)
    return B.CreatePreserveUnionAccessIndex(record, a.index, a.di);
  return B.CreatePreserveStructAccessIndex(a.ir, record, a.index, a.index, a.di);
}

llvm::Value *ProbeLowering::kernelAddress(const ast::Expr *e) {
  if (auto *f = ast::as<ast::FieldExpr>(e))
    return memberAddress(f, recordAddress(f));
  if (auto *i = ast::as<ast::IndexExpr>(e))
    return elementAddress(i, expr(i->base.get()));
  if (auto *v = ast::as<ast::VariableRef>(e)) { // `&$x`: where the probe holds its bytes
    TypeId t = lc.sema.declarationOf(v).type;
    // An array variable's slot holds its bytes' address (slotSize).
    if (lc.type(t).isArray() && !copiedAsRecord(t) && !kernelCopy(t))
      return B.CreateIntToPtr(B.CreateLoad(lc.i64(), varSlot(v)), lc.ptr());
    return varSlot(v);
  }
  auto *u = ast::as<ast::UnaryExpr>(e);
  return B.CreateIntToPtr(expr(u->operand.get()).v, lc.ptr());
}

llvm::Value *ProbeLowering::elementAddress(const ast::IndexExpr *i, const Value &base) {
  const Type &bt = lc.type(base.type);
  TypeId element = bt.isArray() ? bt.element : bt.pointee;
  // A pointer's index, a flexible array's, or a literal (Sema checked it) is not bounded.
  bool bounded = bt.isArray() && bt.count && !ast::as<ast::IntegerLit>(i->index.get());
  unsigned count = bt.count;
  // An array held in a variable is its address there, as an integer.
  llvm::Value *at =
      base.v->getType()->isPointerTy() ? base.v : B.CreateIntToPtr(base.v, lc.ptr());
  Value idx = expr(i->index.get());
  llvm::Value *index = idx.v;
  // In a copy of the kernel's bytes (a map value) the verifier takes no unbounded offset
  // (past the end, the address is null below anyway): the index as checked, kept so
  // through an empty asm, which LLVM would otherwise fold back into the unchecked one.
  if (bounded && inKernelCopy(i->base.get()))
    index = opaque(B.CreateSelect(B.CreateICmpULT(idx.v, B.getInt64(count)), idx.v,
                                  B.getInt64(0)));
  llvm::Value *offset = B.CreateMul(index, stride(element));
  llvm::Value *elementAt = B.CreateGEP(lc.i8(), at, offset);
  if (!bounded)
    return elementAt;
  // An element of a struct, union or array past the end is the null address: what is
  // read through it (`.x`, `[j]`) the helper fails to read, and reads as zero; `&` of
  // it is 0. (A scalar element past the end is not read at all: element().)
  llvm::Value *below = B.CreateICmpULT(idx.v, B.getInt64(count));
  llvm::Value *null = ConstantPointerNull::get(lc.ptr());
  return B.CreateSelect(below, elementAt, null, "elem.at");
}

bool ProbeLowering::userMemory(const ast::Expr *e) {
  auto userPointer = [&](const ast::Expr *p) {
    const Type &t = lc.type(lc.sema.typeOf(p));
    return t.isPointer() && t.addressSpace == AddressSpace::User;
  };
  if (auto *f = ast::as<ast::FieldExpr>(e)) {
    if (!lc.type(lc.sema.typeOf(f->base.get())).isPointer())
      return userMemory(f->base.get());
    // The last pointer's space, as recordAddress reads through them.
    bool user = false;
    for (TypeId p = lc.sema.typeOf(f->base.get()); lc.type(p).isPointer(); p = lc.type(p).pointee)
      user = user || lc.type(p).addressSpace == AddressSpace::User;
    return user;
  }
  if (auto *i = ast::as<ast::IndexExpr>(e))
    return userPointer(i->base.get()) || userMemory(i->base.get());
  if (auto *u = ast::as<ast::UnaryExpr>(e); u && u->op == ast::UnaryOp::Deref)
    return userPointer(u->operand.get());
  return false;
}

Value ProbeLowering::readKernel(TypeId t, llvm::Value *at, const std::string &name,
                                bool user) {
  const Type &type = lc.type(t);
  if (type.isRecord() || type.isArray())
    return {t, at};
  Helper read = user ? ProbeReadUser : ProbeReadKernel;
  if (type.isString()) {
    auto *buf = temp(type.size, name);
    lc.callHelper(read, lc.i64(), {buf, B.getInt32(type.size), at});
    return {t, buf};
  }
  auto *slot = temp(8, name);
  lc.callHelper(read, lc.i64(), {slot, B.getInt32(type.size), at});
  llvm::Value *raw = B.CreateLoad(B.getIntNTy(type.size * 8), slot, name);
  if (type.size == 8)
    return {t, raw};
  return {t, type.isSigned ? B.CreateSExt(raw, lc.i64()) : B.CreateZExt(raw, lc.i64())};
}

Value ProbeLowering::member(const ast::FieldExpr *f) {
  const MemberAccess &m = lc.sema.members.at(f);
  // Sema's type of the read, not the member's: a pointer read out of a process's memory
  // points into it (Typer::readIn).
  if (!m.bitfieldSize)
    return readKernel(lc.sema.typeOf(f), kernelAddress(f), f->field, userMemory(f));
  if (lc.type(m.record).origin == RecordOrigin::C)
    return scriptBitfield(f, m);
  llvm::Value *record = recordAddress(f);
  return kernelBitfield(record, memberAddress(f, record), m.type, userMemory(f), f->field);
}

// A bitfield, as BPF_CORE_READ_BITFIELD_PROBED reads it: the bytes that hold it
// into a u64, then two shifts; offset, size and shifts are all relocated
// (bpf_core_relo_kind's FIELD_BYTE_OFFSET, FIELD_BYTE_SIZE, FIELD_LSHIFT_U64,
// FIELD_RSHIFT_U64). `at` is the member's preserve.access.index in `record`.
Value ProbeLowering::kernelBitfield(llvm::Value *record, llvm::Value *at, TypeId type,
                                   bool user, const std::string &name) {
  enum { ByteOffset = 0, ByteSize = 1, LShift = 4, RShift = 5 };
  auto *fn = Intrinsic::getDeclaration(lc.module.get(), Intrinsic::bpf_preserve_field_info,
                                       {lc.ptr()});
  auto info = [&](int kind) {
    return B.CreateZExt(B.CreateCall(fn, {at, B.getInt64(kind)}), lc.i64());
  };
  auto *slot = temp(8, name);
  auto *size = B.CreateTrunc(info(ByteSize), B.getInt32Ty());
  lc.callHelper(user ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                {slot, size, B.CreateGEP(lc.i8(), record, info(ByteOffset))});
  llvm::Value *loaded = B.CreateLoad(lc.i64(), slot);
  llvm::Value *v = B.CreateShl(loaded, info(LShift));
  v = lc.type(type).isSigned ? B.CreateAShr(v, info(RShift)) : B.CreateLShr(v, info(RShift));
  return {type, v};
}

// A bitfield of the script's own struct, at clang's place: the bytes that hold it
// into a zeroed u64 (never past them), shifted down and masked or sign-extended.
Value ProbeLowering::scriptBitfield(const ast::FieldExpr *f, const MemberAccess &m) {
  unsigned shift = m.bitOffset % 8, bytes = (shift + m.bitfieldSize + 7) / 8;
  auto *slot = temp(8, f->field);
  B.CreateStore(B.getInt64(0), slot);
  llvm::Value *at = B.CreateGEP(lc.i8(), recordAddress(f), B.getInt64(m.bitOffset / 8));
  lc.callHelper(userMemory(f) ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                {slot, B.getInt32(bytes), at});
  llvm::Value *v = B.CreateShl(B.CreateLoad(lc.i64(), slot), 64 - shift - m.bitfieldSize);
  v = lc.type(m.type).isSigned ? B.CreateAShr(v, 64 - m.bitfieldSize)
                               : B.CreateLShr(v, 64 - m.bitfieldSize);
  return {m.type, v};
}

bool ProbeLowering::copiedAsRecord(TypeId t) const {
  while (lc.type(t).isArray())
    t = lc.type(t).element;
  return lc.type(t).isRecord() && lc.sema.recordMembers.count(lc.types().declared(t).index());
}

void ProbeLowering::copyRecord(llvm::Value *dst, TypeId recordId, llvm::Value *src, bool user) {
  const Type &r = lc.type(recordId);
  // The script's own struct: its bytes as clang laid them out.
  if (r.origin == RecordOrigin::C) {
    lc.callHelper(user ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                  {dst, B.getInt32(r.size), src});
    return;
  }
  const std::vector<MemberAccess> &members =
      lc.sema.recordMembers.at(lc.types().declared(recordId).index());
  clearBitfieldBytes(dst, members);
  for (const MemberAccess &m : members) {
    CoreTypes::Access a = lc.core.access(m);
    llvm::Value *at = a.isUnion ? B.CreatePreserveUnionAccessIndex(src, a.index, a.di)
                                : B.CreatePreserveStructAccessIndex(a.ir, src, a.index,
                                                                    a.index, a.di);
    if (m.bitfieldSize)
      storeBitfield(dst, m, kernelBitfield(src, at, m.type, user, m.name).v);
    else
      copyMember(B.CreateConstGEP1_32(lc.i8(), dst, m.bitOffset / 8), m.type, at, user);
  }
}

void ProbeLowering::copyMember(llvm::Value *dst, TypeId type, llvm::Value *src, bool user) {
  const Type &t = lc.type(type);
  if (t.isRecord())
    return copyRecord(dst, type, src, user);
  const Type *element = t.isArray() ? &lc.type(t.element) : nullptr;
  while (element && element->isArray())
    element = &lc.type(element->element);
  // An array of records: each element's members relocated, laid out at the
  // compile-time stride, read at the running kernel's.
  if (element && element->isRecord()) {
    unsigned size = lc.type(t.element).size;
    llvm::Value *step = stride(t.element);
    for (unsigned i = 0; i < t.count; ++i) {
      llvm::Value *to = B.CreateConstGEP1_32(lc.i8(), dst, i * size);
      llvm::Value *from = B.CreateGEP(lc.i8(), src, B.CreateMul(B.getInt64(i), step));
      copyMember(to, t.element, from, user);
    }
    return;
  }
  if (t.size == 0) // a flexible array
    return;
  lc.callHelper(user ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                {dst, B.getInt32(t.size), src});
}

llvm::Value *ProbeLowering::constant(const ast::Expr *e) {
  int64_t value = lc.sema.constants.at(e);
  Module *module = lc.module.get();
  // bpf_core_relo_kind's FIELD_BYTE_OFFSET, TYPE_SIZE and ENUMVAL_VALUE.
  enum { FieldByteOffset = 0, EnumValue = 1 };
  // An array of records: its count of the record's size (stride); a tuple: bpftrace's
  // size of it with the compiled-against BTF's structs, and what the running kernel's add.
  if (auto *s = ast::as<ast::SizeofExpr>(e); s && lc.sema.kernelSizes.count(s)) {
    TypeId sized = lc.sema.kernelSizes.at(s);
    if (lc.type(sized).isRecord() && lc.type(sized).origin == RecordOrigin::Tuple)
      return B.CreateAdd(B.getInt64(value), kernelGrowth(sized));
    return stride(sized);
  }
  if (auto *o = ast::as<ast::OffsetofExpr>(e); o && lc.sema.kernelOffsets.count(o)) {
    // As libbpf's bpf_core_field_offset: the member's place in a struct at address 0.
    llvm::Value *at = ConstantPointerNull::get(lc.ptr());
    for (const MemberAccess &m : lc.sema.kernelOffsets.at(o)) {
      CoreTypes::Access a = lc.core.access(m);
      at = a.isUnion ? B.CreatePreserveUnionAccessIndex(at, a.index, a.di)
                     : B.CreatePreserveStructAccessIndex(a.ir, at, a.index, a.index, a.di);
    }
    auto *fn =
        Intrinsic::getDeclaration(module, Intrinsic::bpf_preserve_field_info, {lc.ptr()});
    return B.CreateZExt(B.CreateCall(fn, {at, B.getInt64(FieldByteOffset)}), lc.i64());
  }
  // A kernel enum's enumerator (an anonymous enum cannot be found by name: constant; the
  // script's own enum's is its C's value, no kernel's).
  const Type &t = lc.type(lc.sema.typeOf(e));
  auto *id = ast::as<ast::IdentifierRef>(e);
  if (!id || t.name.size() <= 5 || t.name.compare(0, 5, "enum ") != 0 ||
      lc.sema.scriptEnums.count(t.name))
    return B.getInt64(value);
  auto *di = lc.DI->createEnumerationType(
      lc.cu, t.name.substr(5), lc.file, 0, t.size * 8, t.size * 8,
      lc.DI->getOrCreateArray({lc.DI->createEnumerator(id->name, value, !t.isSigned)}),
      lc.diInt(t.size * 8, t.isSigned));
  // clang's form of the enumerator: "NAME:VALUE".
  auto *text = B.CreateGlobalStringPtr(id->name + ":" + std::to_string(value));
  auto *fn = Intrinsic::getDeclaration(module, Intrinsic::bpf_preserve_enum_value);
  auto *call =
      B.CreateCall(fn, {B.getInt32(lc.core.nextSequence()), text, B.getInt64(EnumValue)});
  call->setMetadata(LLVMContext::MD_preserve_access_index, di);
  return call;
}

// A size relocated as libbpf's bpf_core_type_size: found by name on the running
// kernel, so only a named kernel struct or union has one.
bool ProbeLowering::hasRelocatedSize(TypeId t) const {
  return lower::hasRelocatedSize(lc.type(t));
}

llvm::Value *ProbeLowering::kernelRecordSize(TypeId record) {
  enum { TypeSize = 1 }; // bpf_core_relo_kind's TYPE_SIZE
  auto *fn = Intrinsic::getDeclaration(lc.module.get(), Intrinsic::bpf_preserve_type_info);
  auto *call = B.CreateCall(fn, {B.getInt32(lc.core.nextSequence()), B.getInt64(TypeSize)});
  call->setMetadata(LLVMContext::MD_preserve_access_index, lc.core.recordDi(lc, record));
  return B.CreateZExt(call, lc.i64());
}

// How many bytes more than the compiled-against BTF's the running kernel's structs in
// a value take (less where they shrank): each relocated size less the compile-time one.
llvm::Value *ProbeLowering::kernelGrowth(TypeId t) {
  const Type &type = lc.type(t);
  if (!type.isRecord() || type.origin != RecordOrigin::Tuple) {
    llvm::Value *running = stride(t);
    return B.CreateSub(running, B.getInt64(std::max(type.size, 1u)));
  }
  llvm::Value *growth = B.getInt64(0);
  for (const RecordField &f : type.fields) {
    llvm::Value *field = kernelGrowth(f.type);
    growth = B.CreateAdd(growth, field);
  }
  return growth;
}

// How far apart elements lie in memory: a kernel record's size where it has a
// relocated one, so `p->arr[i]`, `p[i]` and `p + n` step by the running kernel's
// size, not the compile-time BTF's; bytes for `void *`, as GNU C. An array of such
// records (`struct s grid[2][3]`'s rows) spans its count of the running kernel's size.
llvm::Value *ProbeLowering::stride(TypeId element) {
  const Type &t = lc.type(element);
  if (t.isArray() && t.count) {
    llvm::Value *inner = stride(t.element);
    return B.CreateMul(inner, B.getInt64(t.count));
  }
  if (hasRelocatedSize(element))
    return kernelRecordSize(element);
  // A tuple ending in the running kernel's bytes (Sema's kernelTuple): up to its end.
  if (isTuple(element) && kernelCopy(element))
    return B.CreateAdd(B.getInt64(t.fields.back().offset), stride(t.fields.back().type));
  return B.getInt64(std::max(t.size, 1u));
}

Value ProbeLowering::derefOrAddress(const ast::UnaryExpr *u) {
  TypeId t = lc.sema.typeOf(u);
  if (u->op == ast::UnaryOp::AddressOf)
    return {t, B.CreatePtrToInt(kernelAddress(u->operand.get()), lc.i64())};
  return readKernel(t, kernelAddress(u), "deref", userMemory(u));
}

// Whether an array's bytes are the program's own (a variable's, a map value's, and on the
// stack an array cast's, pton()'s, an element of such an array of arrays), where past
// the end lie the probe's other values, rather than the memory a pointer says.
bool ProbeLowering::arrayHeldByProgram(const ast::Expr *e) const {
  if (auto *i = ast::as<ast::IndexExpr>(e)) // not an element a held pointer points to
    return lc.type(lc.sema.typeOf(i->base.get())).isArray() && arrayHeldByProgram(i->base.get());
  // A copy of the kernel's bytes (KernelCopies.cpp) lies at the kernel's layout.
  if ((ast::as<ast::VariableRef>(e) || ast::as<ast::MapRef>(e)) && kernelCopy(lc.sema.typeOf(e)))
    return false;
  return heldRecord(e) || ast::as<ast::CastExpr>(e) || ast::as<ast::CallExpr>(e);
}

Value ProbeLowering::element(const ast::IndexExpr *i) {
  const Type &array = lc.type(lc.sema.typeOf(i->base.get()));
  if (array.isString())
    return stringByte(i);
  TypeId t = lc.sema.typeOf(i);
  if (!array.isArray() || !array.count || ast::as<ast::IntegerLit>(i->index.get()))
    return readKernel(t, kernelAddress(i), "elem", userMemory(i));
  // An index known at run time reads below the array's count only, in a copy the
  // program holds (a variable's array of integers, strings or pointers) and in the
  // memory an array lies in alike: past the end lie other bytes.
  bool aggregate = lc.type(t).isRecord() || lc.type(t).isArray();
  bool held = arrayHeldByProgram(i->base.get());
  if (!held && aggregate)
    return {t, kernelAddress(i)}; // its address, or null past the end
  Value base = expr(i->base.get());
  // A variable's array is its address there, as an integer.
  llvm::Value *at =
      base.v->getType()->isPointerTy() ? base.v : B.CreateIntToPtr(base.v, lc.ptr());
  llvm::Value *index = expr(i->index.get()).v;
  return boundedElement(t, at, array.count, index, !held && userMemory(i));
}

// `p += n`, `p -= n`, `p++`: the pointer moved n elements of its pointee, as p + n.
llvm::Value *ProbeLowering::pointerStep(ast::BinaryOp op, llvm::Value *pointer, TypeId pointee,
                                        llvm::Value *count) {
  llvm::Value *offset = B.CreateMul(count, stride(pointee));
  return op == ast::BinaryOp::Add ? B.CreateAdd(pointer, offset) : B.CreateSub(pointer, offset);
}

// As in C: p + n moves n elements of the pointee; p - q counts elements.
Value ProbeLowering::pointerArithmetic(const ast::BinaryExpr *b) {
  TypeId t = lc.sema.typeOf(b);
  Value l = expr(b->lhs.get()), r = expr(b->rhs.get());
  const Type &lt = lc.type(l.type), &rt = lc.type(r.type);
  if (lt.isPointer() && rt.isPointer()) {
    llvm::Value *bytes = B.CreateSub(l.v, r.v);
    uint64_t size = std::max(lc.type(lt.pointee).size, 1u);
    if (!hasRelocatedSize(lt.pointee) && (size & (size - 1)) == 0)
      return {t, B.CreateAShr(bytes, B.getInt64(llvm::Log2_64(size)))};
    // BPF v3 divides unsigned only: the magnitude, then the sign back.
    llvm::Value *negative = B.CreateICmpSLT(bytes, B.getInt64(0));
    llvm::Value *magnitude = B.CreateSelect(negative, B.CreateNeg(bytes), bytes);
    llvm::Value *count = B.CreateUDiv(magnitude, stride(lt.pointee));
    return {t, B.CreateSelect(negative, B.CreateNeg(count), count)};
  }
  if (!lt.isPointer())
    std::swap(l, r);
  return {t, pointerStep(b->op, l.v, lc.type(l.type).pointee, r.v)};
}

} // namespace bt::lower
