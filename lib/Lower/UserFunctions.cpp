// A call of a user-defined function, inlined where it is made (Sema's
// UserFunctions.cpp types each call's copy of the body): the arguments are
// evaluated in order, stored into the parameters as `let` stores a value, then the
// body runs; `return e` stores e into the call's result and jumps to the end of
// the call, from a for loop's body through its callback's returned slot (Loop.cpp). Inlining needs no BPF-to-BPF call, whose arguments the verifier would
// limit to five scalars, and keeps the calling probe's context for builtins.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;

Value ProbeLowering::userCall(const ast::UserCallExpr *c) {
  std::vector<Value> args;
  for (const ast::ExprPtr &a : c->args)
    args.push_back(expr(a.get()));
  for (size_t i = 0; i < c->params.size(); ++i) {
    const ast::VariableRef *param = c->params[i]->var.get();
    TypeId declared = lc.sema.declarationOf(param).type;
    llvm::Value *slot = varSlot(param);
    if (lc.type(declared).isString())
      copyString(slot, lc.type(declared).size, args[i]);
    else
      B.CreateStore(extendInt(args[i].v, declared), slot);
  }
  const Scope &scope = lc.sema.scopes.scope(lc.sema.blockScopes.at(&c->body));
  FunctionFrame frame{nullptr, TypeId(), BasicBlock::Create(lc.ctx, c->function->name + ".end", fn),
                      std::nullopt, callbacks.size()};
  if (auto r = scope.names.find(kReturnValueName); r != scope.names.end()) {
    frame.result = declSlot(r->second);
    frame.type = lc.sema.scopes.declaration(r->second).type;
    frame.resultDecl = r->second;
  }
  functionFrames.push_back(frame);
  block(c->body);
  functionFrames.pop_back();
  if (!B.GetInsertBlock()->getTerminator())
    B.CreateBr(frame.exit);
  B.SetInsertPoint(frame.exit);
  if (!frame.result)
    return {TypeId(), nullptr};
  if (inMemory(frame.type))
    return {frame.type, frame.result};
  return {frame.type, B.CreateLoad(lc.i64(), frame.result, c->function->name + ".result")};
}

void ProbeLowering::functionResult(const ast::JumpStmt *j) {
  // A copy: the value may call another function, which grows functionFrames.
  const FunctionFrame frame = functionFrames.back();
  if (!j->value || !frame.result)
    return;
  Value v = expr(j->value.get());
  // In a loop's body (a callback of its own), the slot is the caller's, captured.
  llvm::Value *slot = declSlot(*frame.resultDecl);
  if (lc.type(frame.type).isString())
    copyString(slot, lc.type(frame.type).size, v);
  else
    B.CreateStore(extendInt(v.v, frame.type), slot);
}

} // namespace bt::lower
