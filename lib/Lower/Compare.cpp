// `==` and `!=` of values held in memory: tuples element by element (upstream bpftrace's),
// integer arrays byte by byte and buf() values as C strings (bpftrace 0.17's),
// and the casts between integers and integer arrays. Strings are String.cpp's.
#include "ProbeLowering.h"

#include "bt/Object/Layout.h"

namespace bt::lower {

using namespace llvm;

// Two tuples Sema found comparable: same length, elements pairwise comparable (a record's
// matched by name). Each side keeps its own layout (its strings may be longer).
llvm::Value *ProbeLowering::tuplesEqual(const Value &a, const Value &b) {
  const Type &ta = lc.type(a.type), &tb = lc.type(b.type);
  llvm::Value *all = B.getTrue();
  for (size_t i = 0; i < ta.fields.size(); ++i) {
    auto element = [&](const Value &t, const RecordField &f) -> Value {
      auto *at = B.CreateConstGEP1_32(lc.i8(), t.v, f.offset);
      if (inMemory(f.type) || lc.type(f.type).isArray()) // an array: its bytes in the tuple
        return {f.type, at};
      return {f.type, B.CreateLoad(lc.i64(), at)};
    };
    const RecordField &fb = tb.fields[*tupleFieldIndex(tb, ta.fields[i].name, i)];
    Value ea = element(a, ta.fields[i]), eb = element(b, fb);
    llvm::Value *eq;
    if (isTuple(ea.type))
      eq = tuplesEqual(ea, eb);
    else if (lc.type(ea.type).isString())
      eq = stringsEqual(ea, eb);
    else if (lc.type(ea.type).isArray())
      eq = bytesEqual(ea.v, eb.v, lc.type(ea.type).size);
    else
      eq = B.CreateICmpEQ(ea.v, eb.v);
    all = B.CreateAnd(all, eq);
  }
  return all;
}

// An array is its address (the stack's for pton(), the kernel's or the process's for a
// member): both are read into the stack, then compared a byte at a time.
llvm::Value *ProbeLowering::arrayBytes(const ast::Expr *e) {
  auto *buf = temp(lc.type(lc.sema.typeOf(e)).size, "array.bytes");
  arrayBytesInto(e, buf);
  return buf;
}

void ProbeLowering::arrayBytesInto(const ast::Expr *e, llvm::Value *dst) {
  unsigned size = lc.type(lc.sema.typeOf(e)).size;
  Value v = expr(e);
  llvm::Value *from = v.v->getType()->isPointerTy() ? v.v : B.CreateIntToPtr(v.v, lc.ptr());
  lc.callHelper(userMemory(e) ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                {dst, B.getInt32(size), from});
}

llvm::Value *ProbeLowering::heldArray(const ast::Expr *e) {
  bool mapValue = ast::as<ast::MapRef>(e) != nullptr; // in a temporary the statement ends
  if (!userMemory(e) && !mapValue)
    return expr(e).v;
  unsigned size = lc.type(lc.sema.typeOf(e)).size;
  llvm::Value *copy = size > lc.sema.options.onStackLimit
                          ? scratchCopy(e, size)
                          : entryAlloca(ArrayType::get(lc.i8(), size), "array.copy");
  if (mapValue) {
    llvm::Value *read = expr(e).v;
    B.CreateMemCpy(copy, MaybeAlign(8), read, MaybeAlign(8), size);
  } else {
    arrayBytesInto(e, copy);
  }
  return copy;
}

llvm::Value *ProbeLowering::arraysEqual(const ast::Expr *l, const ast::Expr *r) {
  unsigned size = lc.type(lc.sema.typeOf(l)).size;
  llvm::Value *pa = arrayBytes(l);
  llvm::Value *pb = arrayBytes(r);
  return bytesEqual(pa, pb, size);
}

llvm::Value *ProbeLowering::bytesEqual(llvm::Value *pa, llvm::Value *pb, unsigned size) {
  llvm::Value *all = B.getTrue();
  for (unsigned i = 0; i < size; ++i) {
    auto *ca = B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), pa, i));
    auto *cb = B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), pb, i));
    all = B.CreateAnd(all, B.CreateICmpEQ(ca, cb));
  }
  return all;
}

// buf() values, as bpftrace 0.17 compares them: as C strings that start with the
// length, so the lengths must be equal, then the bytes up to the first zero byte (what
// follows one does not count: 0.17's `buf(p, 4) == buf(q, 4)` holds for 01 00 02 03 and
// 01 00 09 09), over the smaller buffer. No branches: `live` says no zero byte came yet.
llvm::Value *ProbeLowering::buffersEqual(const Value &a, const Value &b) {
  unsigned capacity = std::min(lc.type(a.type).size, lc.type(b.type).size) -
                      obj::kBufferDataOffset;
  llvm::Value *length = B.CreateLoad(lc.i64(), a.v);
  llvm::Value *otherLength = B.CreateLoad(lc.i64(), b.v);
  llvm::Value *all = B.CreateICmpEQ(length, otherLength);
  llvm::Value *live = B.CreateICmpNE(length, B.getInt64(0));
  for (unsigned i = 0; i < capacity; ++i) {
    unsigned at = obj::kBufferDataOffset + i;
    auto *ca = B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), a.v, at));
    auto *cb = B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), b.v, at));
    llvm::Value *differ = B.CreateICmpNE(ca, cb);
    llvm::Value *counted = B.CreateAnd(live, differ);
    all = B.CreateAnd(all, B.CreateNot(counted));
    live = B.CreateAnd(live, B.CreateICmpNE(ca, B.getInt8(0)));
  }
  return all;
}

// `(bool[8])x`'s bytes: each byte of x 1 when it is not zero, else 0. Each step ORs a
// byte's upper half into its lower (the masks keep bits within their byte).
llvm::Value *ProbeLowering::eachByteNonZero(llvm::Value *x) {
  static const uint64_t halves[] = {0x0f0f0f0f0f0f0f0fULL, 0x3333333333333333ULL,
                                    0x5555555555555555ULL};
  unsigned shift = 4;
  for (uint64_t mask : halves) {
    llvm::Value *shifted = B.CreateLShr(x, shift);
    llvm::Value *upper = B.CreateAnd(shifted, mask);
    x = B.CreateOr(x, upper);
    shift /= 2;
  }
  return B.CreateAnd(x, 0x0101010101010101ULL);
}

// `(int8[])"abc"`: the string's whole buffer (as large as the array, Sema checked), in a
// place of its own as a held array's (the scratch map's over on_stack_limit), zeros past
// the NUL (as upstream's zeroed buffers hold); a bool array's bytes each made 1 when not
// zero (eight at a time where eight are left).
llvm::Value *ProbeLowering::stringBytesArray(const ast::CastExpr *c, unsigned size) {
  llvm::Value *at = size > lc.sema.options.onStackLimit
                        ? scratchCopy(c, size)
                        : entryAlloca(ArrayType::get(lc.i8(), size), "string.array");
  B.CreateMemSet(at, B.getInt8(0), size, MaybeAlign(8)); // str() reads into zeroed bytes
  stringInto(c->operand.get(), at, size);
  if (c->type.name != "bool")
    return at;
  unsigned off = 0;
  for (; off + 8 <= size; off += 8) {
    auto *word = B.CreateConstGEP1_32(lc.i8(), at, off);
    B.CreateStore(eachByteNonZero(B.CreateLoad(lc.i64(), word)), word);
  }
  for (; off < size; ++off) {
    auto *byte = B.CreateConstGEP1_32(lc.i8(), at, off);
    llvm::Value *set = B.CreateICmpNE(B.CreateLoad(lc.i8(), byte), B.getInt8(0));
    B.CreateStore(B.CreateZExt(set, lc.i8()), byte);
  }
  return at;
}

// `(uint8[8])x`: the integer's bytes in memory order, in a slot that lives as long as the
// probe's run (a variable holds an array's address, as pton()'s). `(uint64)$a`: the array's
// bytes as one integer, extended as the target type's sign says.
Value ProbeLowering::arrayCast(const ast::CastExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  const Type &to = lc.type(t);
  if (to.isArray() && lc.type(lc.sema.typeOf(c->operand.get())).isString())
    return {t, stringBytesArray(c, to.size)};
  if (to.isArray()) {
    Value v = expr(c->operand.get());
    llvm::Value *bytes = c->type.name == "bool" ? eachByteNonZero(v.v) : v.v;
    auto *at = entryAlloca(ArrayType::get(lc.i8(), to.size), "array.cast");
    B.CreateStore(B.CreateTrunc(bytes, B.getIntNTy(to.size * 8)), at);
    return {t, at};
  }
  auto *raw = B.CreateLoad(B.getIntNTy(to.size * 8), arrayBytes(c->operand.get()));
  if (to.size == 8)
    return {t, raw};
  return {t, to.isSigned ? B.CreateSExt(raw, lc.i64()) : B.CreateZExt(raw, lc.i64())};
}

} // namespace bt::lower
