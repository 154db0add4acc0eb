// `==` and `!=` of values held in memory: tuples element by element (upstream bpftrace's),
// integer arrays byte by byte (bpftrace 0.17's). Strings are String.cpp's.
#include "ProbeLowering.h"

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
      if (inMemory(f.type))
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
    else
      eq = B.CreateICmpEQ(ea.v, eb.v);
    all = B.CreateAnd(all, eq);
  }
  return all;
}

// An array is its address (the stack's for pton(), the kernel's or the process's for a
// member): both are read into the stack, then compared a byte at a time.
llvm::Value *ProbeLowering::arraysEqual(const ast::Expr *l, const ast::Expr *r) {
  unsigned size = lc.type(lc.sema.typeOf(l)).size;
  auto bytes = [&](const ast::Expr *e) {
    Value v = expr(e);
    auto *buf = temp(size, "cmp.array");
    llvm::Value *from = v.v->getType()->isPointerTy() ? v.v : B.CreateIntToPtr(v.v, lc.ptr());
    lc.callHelper(userMemory(e) ? ProbeReadUser : ProbeReadKernel, lc.i64(),
                  {buf, B.getInt32(size), from});
    return buf;
  };
  llvm::Value *pa = bytes(l), *pb = bytes(r);
  llvm::Value *all = B.getTrue();
  for (unsigned i = 0; i < size; ++i) {
    auto *ca = B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), pa, i));
    auto *cb = B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), pb, i));
    all = B.CreateAnd(all, B.CreateICmpEQ(ca, cb));
  }
  return all;
}

} // namespace bt::lower
