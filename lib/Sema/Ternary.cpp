// The conditional operator: `c ? a : b` and `c ?: b`. As a statement its branches may be
// calls without a value (`$a == 1 ? print("y") : print("n");`), as bpftrace has it; both
// branches then have no value, and the ternary none.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

// A call of a function that has no value (print, printf, exit, ...), or a ternary whose
// branches are such calls: what may stand in a statement ternary's branch.
bool Typer::noValue(const Expr *e) {
  if (auto *c = as<CallExpr>(e)) {
    auto id = resolve(c);
    return id && functionInfo(*id).kind == FunctionKind::Statement;
  }
  if (auto *t = as<TernaryExpr>(e))
    return t->thenExpr && noValue(t->thenExpr.get()) && noValue(t->elseExpr.get());
  return false;
}

TypeId Typer::ternary(const TernaryExpr *t, bool statement) {
  condition(t->cond.get());
  if (statement && t->thenExpr) {
    bool thenVoid = noValue(t->thenExpr.get()), elseVoid = noValue(t->elseExpr.get());
    if (thenVoid || elseVoid) {
      const Type &a = ty(expr(t->thenExpr.get(), thenVoid));
      const Type &b = ty(expr(t->elseExpr.get(), elseVoid));
      if (thenVoid != elseVoid && !(thenVoid ? b : a).isNone())
        err(t->range, "ternary branches have different types: " +
                          (thenVoid ? std::string("no value") : a.str()) + " and " +
                          (elseVoid ? std::string("no value") : b.str()));
      return R.types.none();
    }
  }
  // `c ?: b`: the condition is the value when it is non-zero.
  TypeId thenType = t->thenExpr ? expr(t->thenExpr.get()) : R.exprTypes[t->cond.get()];
  TypeId elseType = expr(t->elseExpr.get());
  const Type a = ty(thenType), b = ty(elseType);
  if (a.isNone() || b.isNone())
    return R.types.none();
  if (a.isInt() && b.isInt())
    return R.types.integer(8, a.isSigned && b.isSigned);
  if (a.kind != b.kind) {
    err(t->range, "ternary branches have different types: " + a.str() + " and " + b.str());
    return R.types.none();
  }
  // Strings and buffers widen to the larger branch, tuples element by element, as upstream
  // bpftrace has it; other values (stacks, symbols, pointers, ...) must be of one type.
  TypeId result = thenType;
  if (!unify(R.types, result, elseType)) {
    // One struct (or a tuple of them) copied out of kernel memory in one branch and a
    // process's in the other spells alike: say what differs.
    err(t->range, "ternary branches have different types: " +
                      (a.str() == b.str() ? "both are " + a.str() + ", but one is read from "
                                            "kernel memory and the other from the process's"
                                          : a.str() + " and " + b.str()));
    return R.types.none();
  }
  // One of the running kernel's bytes (over 512 bytes) is not copied: the ternary is the
  // taken branch's bytes where they lie (kernel memory, a variable's or a map value's
  // copy), read at the relocated offsets as each branch's are (Lower: a pointer).
  if (t->thenExpr && kernelTuple(result)) {
    err(t->range, "a ternary of " + ty(result).str() + " is not supported yet: its " +
                      "branches' tuples are too big for the stack; assign each in an " +
                      "if/else instead");
    return R.types.none();
  }
  if (t->thenExpr && kernelCopied(result)) {
    for (const Expr *branch : {t->thenExpr.get(), t->elseExpr.get()})
      if (!kernelCopyFits(ty(R.exprTypes[branch]), branch->range, "a ternary branch"))
        return R.types.none();
    return result;
  }
  // A struct value (or an array of them) may be bytes in kernel memory: the branch taken
  // copies it into the ternary's own bytes, at the compile-time layout, as a variable
  // holds one (so members are read from the copy, not through CO-RE again). Other arrays
  // are their address, each branch's in memory the program reads as the kernel's (a
  // copy of the process's).
  if (t->thenExpr && copiedAsRecord(result)) {
    for (const Expr *branch : {t->thenExpr.get(), t->elseExpr.get()})
      if (!(a.isArray() ? arrayValue(R.exprTypes[branch], branch->range, "a ternary branch")
                        : recordValue(R.exprTypes[branch], branch->range, "a ternary branch")))
        return R.types.none();
    R.heldReads.insert(t);
  }
  return result;
}

} // namespace bt::sema
