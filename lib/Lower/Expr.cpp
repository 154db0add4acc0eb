// Expressions: integer arithmetic on i64, comparisons, short-circuit logic,
// ternaries, casts, increments and tracepoint fields.
#include "ProbeLowering.h"

namespace bt::lower {

using namespace llvm;
using ast::BinaryOp;

llvm::Value *ProbeLowering::condition(const ast::Expr *e) {
  size_t mark = temps.size();
  Value v = expr(e);
  auto *c = B.CreateICmpNE(v.v, B.getInt64(0));
  endTemps(mark);
  return c;
}

// Re-applies a narrow integer type's width to an i64 value.
llvm::Value *ProbeLowering::extendInt(llvm::Value *v, TypeId id) {
  const Type &t = lc.type(id);
  if (!t.isInt() || t.size >= 8)
    return v;
  auto *narrow = B.CreateTrunc(v, B.getIntNTy(t.size * 8));
  return t.isSigned ? B.CreateSExt(narrow, lc.i64()) : B.CreateZExt(narrow, lc.i64());
}

Value ProbeLowering::expr(const ast::Expr *e) {
  using namespace ast;
  TypeId t = lc.sema.typeOf(e);
  if (!lc.lowerable(t, e->range))
    return {t, B.getInt64(0)};
  switch (e->kind) {
  case ExprKind::Integer:
    return {t, B.getInt64(static_cast<const IntegerLit *>(e)->value)};
  case ExprKind::String: {
    auto *s = static_cast<const StringLit *>(e);
    return stringLiteral(s->value, lc.type(t).size);
  }
  case ExprKind::PositionalParam: {
    auto *p = static_cast<const PositionalParamRef *>(e);
    bool isString = lc.type(t).isString();
    // Given to btc: the argument itself (a missing one is 0 or "").
    if (const auto &args = lc.sema.options.positionalArgs) {
      if (!isString)
        return {t, B.getInt64(lc.sema.constants.at(p))};
      size_t i = static_cast<size_t>(p->index);
      return stringLiteral(i <= args->size() ? (*args)[i - 1] : "", lc.type(t).size);
    }
    // btrun wrote the argument into .bss before BEGIN.
    const auto &slot = lc.paramSlot(p->isCount ? 0 : p->index, isString);
    auto *at = lc.globalField(slot.field);
    if (isString)
      return {t, at};
    return {t, B.CreateLoad(lc.i64(), at, p->isCount ? "argc" : "arg" + std::to_string(p->index))};
  }
  case ExprKind::Builtin:
    return builtin(static_cast<const BuiltinRef *>(e));
  case ExprKind::Variable: {
    auto *v = static_cast<const VariableRef *>(e);
    TypeId vt = lc.sema.declarationOf(v).type;
    llvm::Value *slot = varSlot(v);
    if (inMemory(vt))
      return {vt, slot};
    return {vt, B.CreateLoad(lc.i64(), slot, v->name)};
  }
  case ExprKind::Map:
    return mapRead(static_cast<const MapRef *>(e));
  case ExprKind::Binary: {
    auto *b = static_cast<const BinaryExpr *>(e);
    if (b->op == BinaryOp::LogicalAnd || b->op == BinaryOp::LogicalOr)
      return logical(b);
    return binary(b);
  }
  case ExprKind::Unary: {
    auto *u = static_cast<const UnaryExpr *>(e);
    if (u->op == UnaryOp::Deref || u->op == UnaryOp::AddressOf)
      return derefOrAddress(u);
    Value v = expr(u->operand.get());
    switch (u->op) {
    case UnaryOp::Neg: return {t, B.CreateNeg(v.v)};
    case UnaryOp::BitNot: return {t, B.CreateNot(v.v)};
    case UnaryOp::Plus: return {t, v.v};
    case UnaryOp::LogicalNot:
      return {t, B.CreateZExt(B.CreateICmpEQ(v.v, B.getInt64(0)), lc.i64())};
    default: llvm_unreachable("lowered above");
    }
  }
  case ExprKind::IncDec:
    return incDec(static_cast<const IncDecExpr *>(e));
  case ExprKind::Ternary:
    return ternary(static_cast<const TernaryExpr *>(e));
  case ExprKind::Call:
    return call(static_cast<const CallExpr *>(e));
  case ExprKind::Field: {
    auto *f = static_cast<const FieldExpr *>(e);
    if (lc.sema.heldReads.count(f))
      return heldMember(f);
    return isTuple(lc.sema.typeOf(f->base.get())) ? tupleField(f) : field(f);
  }
  case ExprKind::Tuple:
    return tupleExpr(static_cast<const TupleExpr *>(e));
  case ExprKind::Cast:
    return cast(static_cast<const CastExpr *>(e));
  case ExprKind::Index:
    if (auto it = lc.sema.tupleIndices.find(static_cast<const IndexExpr *>(e));
        it != lc.sema.tupleIndices.end())
      return tupleElement(it->first, it->second);
    if (lc.sema.heldReads.count(e))
      return heldElement(static_cast<const IndexExpr *>(e));
    return element(static_cast<const IndexExpr *>(e));
  case ExprKind::Block: {
    auto *b = static_cast<const BlockExpr *>(e);
    block(b->stmts);
    return expr(b->value.get());
  }
  case ExprKind::UserCall:
    return userCall(static_cast<const UserCallExpr *>(e));
  case ExprKind::Identifier:
  case ExprKind::Sizeof:
  case ExprKind::Offsetof:
    return {t, constant(e)};
  default:
    llvm_unreachable("rejected by Sema");
  }
}

Value ProbeLowering::binary(const ast::BinaryExpr *b) {
  TypeId t = lc.sema.typeOf(b);
  TypeId lt = lc.sema.typeOf(b->lhs.get());
  // `==` / `!=` of values held in memory: an i1 of whether they are equal.
  auto equality = [&](llvm::Value *eq) -> Value {
    if (b->op == BinaryOp::Ne)
      eq = B.CreateNot(eq);
    return {t, B.CreateZExt(eq, lc.i64())};
  };
  if (isTuple(lt) || lc.type(lt).isBuffer()) {
    Value l = expr(b->lhs.get());
    Value r = expr(b->rhs.get());
    return equality(isTuple(lt) ? tuplesEqual(l, r) : buffersEqual(l, r));
  }
  if (lc.type(lt).isArray())
    return equality(arraysEqual(b->lhs.get(), b->rhs.get()));
  if (lc.type(lt).isString()) {
    // Against a literal the comparison is a few word compares (comm == "bash").
    auto *litL = ast::as<ast::StringLit>(b->lhs.get());
    auto *litR = ast::as<ast::StringLit>(b->rhs.get());
    if (litR && !litL)
      return equality(stringEqualsLiteral(expr(b->lhs.get()), litR->value));
    if (litL && !litR)
      return equality(stringEqualsLiteral(expr(b->rhs.get()), litL->value));
    Value l = expr(b->lhs.get());
    Value r = expr(b->rhs.get());
    return equality(stringsEqual(l, r));
  }
  if ((b->op == BinaryOp::Add || b->op == BinaryOp::Sub) &&
      (lc.type(lc.sema.typeOf(b->lhs.get())).isPointer() ||
       lc.type(lc.sema.typeOf(b->rhs.get())).isPointer()))
    return pointerArithmetic(b);
  Value l = expr(b->lhs.get()), r = expr(b->rhs.get());
  bool isSigned = lc.type(l.type).isSigned && lc.type(r.type).isSigned;
  auto cmp = [&](CmpInst::Predicate s, CmpInst::Predicate u) -> Value {
    return {t, B.CreateZExt(B.CreateICmp(isSigned ? s : u, l.v, r.v), lc.i64())};
  };
  switch (b->op) {
  case BinaryOp::Add: return {t, B.CreateAdd(l.v, r.v)};
  case BinaryOp::Sub: return {t, B.CreateSub(l.v, r.v)};
  case BinaryOp::Mul: return {t, B.CreateMul(l.v, r.v)};
  // BPF v3 has no signed division; bpftrace divides unsigned as well.
  case BinaryOp::Div: return {t, B.CreateUDiv(l.v, r.v)};
  case BinaryOp::Mod: return {t, B.CreateURem(l.v, r.v)};
  case BinaryOp::BitAnd: return {t, B.CreateAnd(l.v, r.v)};
  case BinaryOp::BitOr: return {t, B.CreateOr(l.v, r.v)};
  case BinaryOp::BitXor: return {t, B.CreateXor(l.v, r.v)};
  case BinaryOp::Shl: return {t, B.CreateShl(l.v, r.v)};
  case BinaryOp::Shr: return {t, isSigned ? B.CreateAShr(l.v, r.v) : B.CreateLShr(l.v, r.v)};
  case BinaryOp::Eq: return {t, B.CreateZExt(B.CreateICmpEQ(l.v, r.v), lc.i64())};
  case BinaryOp::Ne: return {t, B.CreateZExt(B.CreateICmpNE(l.v, r.v), lc.i64())};
  case BinaryOp::Lt: return cmp(CmpInst::ICMP_SLT, CmpInst::ICMP_ULT);
  case BinaryOp::Le: return cmp(CmpInst::ICMP_SLE, CmpInst::ICMP_ULE);
  case BinaryOp::Gt: return cmp(CmpInst::ICMP_SGT, CmpInst::ICMP_UGT);
  case BinaryOp::Ge: return cmp(CmpInst::ICMP_SGE, CmpInst::ICMP_UGE);
  default: llvm_unreachable("logical operators are lowered by logical()");
  }
}

Value ProbeLowering::logical(const ast::BinaryExpr *b) {
  bool isAnd = b->op == BinaryOp::LogicalAnd;
  auto *lhs = condition(b->lhs.get());
  auto *lhsBB = B.GetInsertBlock();
  auto *rhsBB = BasicBlock::Create(lc.ctx, isAnd ? "and_rhs" : "or_rhs", fn);
  auto *done = BasicBlock::Create(lc.ctx, isAnd ? "and_end" : "or_end", fn);
  if (isAnd)
    B.CreateCondBr(lhs, rhsBB, done);
  else
    B.CreateCondBr(lhs, done, rhsBB);
  B.SetInsertPoint(rhsBB);
  auto *rhs = condition(b->rhs.get());
  auto *rhsEnd = B.GetInsertBlock();
  B.CreateBr(done);
  B.SetInsertPoint(done);
  auto *phi = B.CreatePHI(B.getInt1Ty(), 2);
  phi->addIncoming(B.getInt1(!isAnd), lhsBB);
  phi->addIncoming(rhs, rhsEnd);
  return {lc.sema.typeOf(b), B.CreateZExt(phi, lc.i64())};
}

Value ProbeLowering::ternary(const ast::TernaryExpr *t) {
  const Type &ty = lc.type(lc.sema.typeOf(t));
  if (!t->thenExpr)
    return elvis(t);
  auto *c = condition(t->cond.get());
  if (kernelCopy(lc.sema.typeOf(t)))
    return kernelBytesTernary(t, c);
  auto *thenBB = BasicBlock::Create(lc.ctx, "tern_then", fn);
  auto *elseBB = BasicBlock::Create(lc.ctx, "tern_else", fn);
  auto *done = BasicBlock::Create(lc.ctx, "tern_end", fn);
  // A value in memory (a string, buffer or tuple) is copied into one of the result's
  // type: a branch's may be smaller (Sema widened the result).
  TypeId type = lc.sema.typeOf(t);
  llvm::Value *buf = !ty.isNone() && inMemory(type) ? temp(ty.size, "tern") : nullptr;
  B.CreateCondBr(c, thenBB, elseBB);
  auto arm = [&](const ast::Expr *e, BasicBlock *bb) -> std::pair<llvm::Value *, BasicBlock *> {
    B.SetInsertPoint(bb);
    if (buf && copiedAsRecord(type)) { // a struct value: copied as a variable holds it
      recordInto(e, buf);
      B.CreateBr(done);
      return {buf, B.GetInsertBlock()};
    }
    Value v = ty.isArray() ? Value{type, heldArray(e)} : expr(e);
    if (ty.isArray() && v.v->getType()->isPointerTy()) // its address, as a variable holds it
      v.v = B.CreatePtrToInt(v.v, lc.i64());
    if (buf)
      storeValue(buf, type, v);
    B.CreateBr(done);
    return {v.v, B.GetInsertBlock()};
  };
  auto [tv, tbb] = arm(t->thenExpr.get(), thenBB);
  auto [ev, ebb] = arm(t->elseExpr.get(), elseBB);
  B.SetInsertPoint(done);
  if (buf)
    return {type, buf};
  if (!tv || !ev) // a statement whose branches have no value (`c ? print(a) : print(b);`)
    return {lc.sema.typeOf(t), B.getInt64(0)};
  auto *phi = B.CreatePHI(lc.i64(), 2);
  phi->addIncoming(tv, tbb);
  phi->addIncoming(ev, ebb);
  return {lc.sema.typeOf(t), phi};
}

// `c ?: e`: c, evaluated once, when it is non-zero; else e (integers only).
Value ProbeLowering::elvis(const ast::TernaryExpr *t) {
  Value c = expr(t->cond.get());
  auto *entry = B.GetInsertBlock();
  auto *elseBB = BasicBlock::Create(lc.ctx, "elvis_else", fn);
  auto *done = BasicBlock::Create(lc.ctx, "elvis_end", fn);
  B.CreateCondBr(B.CreateICmpNE(c.v, B.getInt64(0)), done, elseBB);
  B.SetInsertPoint(elseBB);
  Value e = expr(t->elseExpr.get());
  auto *elseEnd = B.GetInsertBlock();
  B.CreateBr(done);
  B.SetInsertPoint(done);
  auto *phi = B.CreatePHI(lc.i64(), 2);
  phi->addIncoming(c.v, entry);
  phi->addIncoming(e.v, elseEnd);
  return {lc.sema.typeOf(t), phi};
}

Value ProbeLowering::incDec(const ast::IncDecExpr *i) {
  TypeId t = lc.sema.typeOf(i);
  auto step = B.getInt64(i->increment ? 1 : uint64_t(-1));
  if (auto *v = ast::as<ast::VariableRef>(i->target.get())) {
    llvm::Value *slot = varSlot(v);
    auto *old = B.CreateLoad(lc.i64(), slot);
    llvm::Value *nv;
    if (lc.type(t).isPointer()) {
      nv = pointerStep(i->increment ? ast::BinaryOp::Add : ast::BinaryOp::Sub, old,
                       lc.type(t).pointee, B.getInt64(1));
    } else {
      nv = extendInt(B.CreateAdd(old, step), t); // wraps at the variable's width
    }
    B.CreateStore(nv, slot);
    return {t, i->prefix ? nv : old};
  }
  auto *m = ast::as<ast::MapRef>(i->target.get());
  const MapLayout &ml = lc.mapLayout(m->name);
  Value old = mapRead(m);
  Value nv{t, lc.type(t).isPointer()
                  ? pointerStep(i->increment ? ast::BinaryOp::Add : ast::BinaryOp::Sub, old.v,
                                lc.type(t).pointee, B.getInt64(1))
                  : B.CreateAdd(old.v, step)};
  mapWrite(ml, buildKey(ml, m), nv);
  return i->prefix ? nv : old;
}

Value ProbeLowering::cast(const ast::CastExpr *c) {
  TypeId t = lc.sema.typeOf(c);
  const Type &to = lc.type(t);
  if (to.isArray() || lc.type(lc.sema.typeOf(c->operand.get())).isArray())
    return arrayCast(c);
  Value v = expr(c->operand.get());
  if (to.isString()) { // `(string[N])s`: the string, NUL-padded to N bytes
    auto *buf = temp(to.size, "string.cast");
    copyString(buf, to.size, v);
    return {t, buf};
  }
  if (c->type.name == "bool" && !c->type.pointerDepth && lc.type(v.type).isString()) {
    llvm::Value *empty = stringEqualsLiteral(v, "");
    llvm::Value *nonEmpty = B.CreateNot(empty);
    return {t, B.CreateZExt(nonEmpty, lc.i64())};
  }
  if (c->type.name == "bool" && !c->type.pointerDepth)
    return {t, B.CreateZExt(B.CreateICmpNE(v.v, B.getInt64(0)), lc.i64())};
  if (to.isPointer() && lc.type(v.type).isString()) {
    // `(T *)s` points at a variable's own slot, else at a copy of the string that lives
    // as long as the probe's run (a temporary ends with its statement; `$p = (int32
    // *)"abc"` reads it in the next), NUL-padded to whole words: `*(int64 *)"abc"` reads
    // the string and zeros, not the stack beyond.
    llvm::Value *at = v.v;
    if (!ast::as<ast::VariableRef>(c->operand.get())) {
      unsigned size = (lc.type(v.type).size + 7) / 8 * 8;
      at = entryAlloca(ArrayType::get(lc.i8(), size), "string.bytes");
      copyString(at, size, v);
    }
    return {t, B.CreatePtrToInt(at, lc.i64())};
  }
  // A narrower integer widens by the sign of the type cast to, as bpftrace 0.17's cast
  // extends it (and upstream's): (uint64)(int8)-1 is 255, (int64)(uint8)255 is -1.
  const Type &from = lc.type(v.type);
  if (to.isInt() && from.isInt() && from.size < to.size && from.isSigned != to.isSigned) {
    auto *narrow = B.CreateTrunc(v.v, B.getIntNTy(from.size * 8));
    v.v = to.isSigned ? B.CreateSExt(narrow, lc.i64()) : B.CreateZExt(narrow, lc.i64());
  }
  return {t, extendInt(v.v, t)};
}

Value ProbeLowering::field(const ast::FieldExpr *f) {
  if (lc.sema.members.count(f))
    return member(f);
  if (lc.sema.contextSlots.count(f))
    return contextSlot(f, f->field);
  if (auto it = lc.sema.uprobeArgs.find(f); it != lc.sema.uprobeArgs.end()) {
    TypeId t = lc.sema.typeOf(f);
    unsigned place = it->second[&att - probe.attachments.data()];
    // A struct passed by value: its bytes are its words, in consecutive places from
    // `place` (registers, or stack words), copied out into a held copy.
    if (lc.type(t).isRecord()) {
      unsigned words = (lc.type(t).size + 7) / 8;
      llvm::Value *copy = temp(words * 8, f->field);
      for (unsigned i = 0; i < words; ++i) {
        llvm::Value *word = argRegister(place + i).v;
        B.CreateStore(word, B.CreateConstGEP1_32(lc.i8(), copy, 8 * i));
      }
      return {t, copy};
    }
    // The register holds the parameter in its low bytes; the ABI leaves the rest undefined.
    return {t, extendInt(argRegister(place).v, t)};
  }
  TypeId t = lc.sema.typeOf(f);
  unsigned size = lc.type(t).size;
  const TracepointField &tf = lc.sema.fieldOf(f, probe, &att - probe.attachments.data());
  if (dispatch)
    return dispatchedField(f, tf, t);
  auto *at = B.CreateConstGEP1_32(lc.i8(), ctxArg, tf.offset);
  if (lc.type(t).isArray()) // its place in the record, read by `[i]`, ntop(), buf()
    return {t, at};
  if (tf.isCharArray) {
    // Tracepoint records may be read directly, byte by byte.
    auto *buf = temp(size, "field." + f->field);
    for (unsigned i = 0; i < tf.size && i < size; ++i) {
      auto *b = B.CreateLoad(lc.i8(), B.CreateConstGEP1_32(lc.i8(), at, i));
      B.CreateStore(b, B.CreateConstGEP1_32(lc.i8(), buf, i));
    }
    return {t, buf};
  }
  if (tf.isDataLoc) {
    // __data_loc: the low 16 bits are the data's offset in the record.
    auto *loc = B.CreateLoad(B.getInt32Ty(), at);
    auto *off = B.CreateZExt(B.CreateAnd(loc, B.getInt32(0xffff)), lc.i64());
    auto *src = B.CreateGEP(lc.i8(), ctxArg, off);
    if (lc.type(t).isInt()) // an array of non-chars: its data's address (Typer::field)
      return {t, B.CreatePtrToInt(src, lc.i64())};
    auto *buf = temp(size, "field." + f->field);
    lc.callHelper(ProbeReadKernelStr, lc.i64(), {buf, B.getInt32(size), src});
    return {t, buf};
  }
  auto *ity = B.getIntNTy(tf.size * 8);
  auto *raw = B.CreateLoad(ity, at, f->field);
  llvm::Value *v = tf.size == 8 ? (llvm::Value *)raw
                   : lc.type(t).isSigned ? B.CreateSExt(raw, lc.i64())
                                 : B.CreateZExt(raw, lc.i64());
  return {t, v};
}

} // namespace bt::lower
