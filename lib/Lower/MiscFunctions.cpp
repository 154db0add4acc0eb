// Upstream's task helpers and assertions: ppid(task) and pcomm(task) are the member
// reads Sema built; static_assert, fail and assert_str were decided by Sema and leave
// no code; memcmp is unrolled over its literal count (a loop over a long one:
// StringLoops.cpp); assert(cond, msg) reports as upstream's errorf and exits btrun
// with code 1.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

Value ProbeLowering::miscCall(const ast::CallExpr *c) {
  Value none{lc.types().none(), nullptr};
  switch (lc.sema.functionOf(c)) {
  case FunctionId::PpidCall:
  case FunctionId::PcommCall:
    return expr(lc.sema.expansions.at(c).get());
  case FunctionId::Assert: {
    auto *failed = BasicBlock::Create(lc.ctx, "assert_failed", fn);
    auto *done = BasicBlock::Create(lc.ctx, "assert_ok", fn);
    B.CreateCondBr(condition(c->args[0].get()), done, failed);
    B.SetInsertPoint(failed);
    EventRecord report;
    report.spec.kind = obj::EventKind::Errorf;
    report.spec.line = c->range.begin.line;
    report.spec.col = c->range.begin.col;
    report.spec.file = int(c->range.begin.file);
    report.spec.endCol = c->range.end.col + 1;
    report.spec.format = "assert failed: %s";
    emitEventOfExprs(std::move(report), {c->args[1].get()});
    EventRecord stop;
    stop.spec.kind = obj::EventKind::Exit;
    stop.spec.line = c->range.begin.line;
    stop.spec.col = c->range.begin.col;
    stop.spec.file = int(c->range.begin.file);
    stop.spec.exitCode = 1;
    emitEvent(std::move(stop), {});
    // As exit(): this run of the probe ends here.
    returnFromProbe();
    B.SetInsertPoint(done);
    return none;
  }
  case FunctionId::Memcmp: {
    // From the last byte back, so the first difference is the one kept: no branches.
    // An array is its address: its bytes are read into the program's memory first; a
    // struct value (or an array of them) is copied as a variable holds it.
    auto bytesOf = [&](const ast::Expr *e) -> Value {
      TypeId t = lc.sema.typeOf(e);
      if (copiedAsRecord(t)) {
        llvm::Value *copy = temp(lc.type(t).size, "memcmp.record");
        recordInto(e, copy);
        return {t, copy};
      }
      return lc.type(t).isArray() ? Value{t, arrayBytes(e)} : expr(e);
    };
    Value a = bytesOf(c->args[0].get());
    Value b = bytesOf(c->args[1].get());
    uint64_t n = ast::as<ast::IntegerLit>(c->args[2].get())->value;
    if (loopsOverString(n))
      return {lc.sema.typeOf(c), memcmpLoop(a, b, n)};
    llvm::Value *result = B.getInt64(0);
    for (uint64_t i = n; i-- > 0;) {
      auto byteAt = [&](const Value &s) {
        return B.CreateZExt(B.CreateLoad(lc.i8(), B.CreateConstGEP1_64(lc.i8(), s.v, i)),
                            lc.i64());
      };
      llvm::Value *fromA = byteAt(a);
      llvm::Value *fromB = byteAt(b);
      auto *diff = B.CreateSub(fromA, fromB);
      result = B.CreateSelect(B.CreateICmpNE(diff, B.getInt64(0)), diff, result);
    }
    return {lc.sema.typeOf(c), result};
  }
  default: // static_assert, fail, assert_str: compile time only
    return none;
  }
}

} // namespace bt::lower
