// The map functions: delete(@m[key]) and delete(@m, key), has_key(@m, key), len(@m)
// (of a hist() or lhist() map's key: HistKeyFunctions.cpp).
#include "ProbeLowering.h"
#include "bt/Object/StackValue.h"

namespace bt::lower {

using namespace llvm;

// A key given apart from the map: one expression (a record is one), or a tuple of one
// per key.
std::vector<const ast::Expr *> ProbeLowering::keysOf(const ast::CallExpr *c) const {
  auto *m = ast::as<ast::MapRef>(c->args[0].get());
  std::vector<const ast::Expr *> keys;
  if (c->args.size() < 2) {
    for (const auto &k : m->keys)
      keys.push_back(k.get());
  } else if (auto *t = ast::as<ast::TupleExpr>(c->args[1].get()); t && t->names.empty()) {
    for (const auto &e : t->elems)
      keys.push_back(e.get());
  } else {
    keys.push_back(c->args[1].get());
  }
  return keys;
}

// The value is whether the key was there (upstream's bool).
Value ProbeLowering::deleteCall(const ast::CallExpr *c) {
  auto *m = ast::as<ast::MapRef>(c->args[0].get());
  const MapLayout &ml = lc.mapLayout(m->name);
  if (ml.bucketOffset >= 0 && !ml.info->keys.empty())
    return histKeyCall(c, /*remove=*/true);
  mapWritten(m->name);
  if (ml.bucketOffset >= 0 || ml.perCpuArray) {
    // A keyless hist/lhist has one key per bucket, and an array's elements
    // cannot be deleted (nor can one program reach the other CPUs' slots):
    // btrun clears the map instead, which does not fail.
    mapEvent(obj::EventKind::Clear, m);
    return {lc.sema.typeOf(c), B.getInt64(1)};
  }
  // With -k, a key that is not there is reported (-ENOENT), as bpftrace 0.17's -k
  // reports it; the value (whether the key was there) is the same either way.
  auto *rc = lc.callHelper(MapDeleteElem, lc.i64(), {ml.global, buildKey(ml, keysOf(c))});
  checkHelperError(rc, "map_delete_elem");
  return {lc.sema.typeOf(c), B.CreateZExt(B.CreateICmpEQ(rc, B.getInt64(0)), lc.i64())};
}

Value ProbeLowering::hasKeyCall(const ast::CallExpr *c) {
  auto *m = ast::as<ast::MapRef>(c->args[0].get());
  const MapLayout &ml = lc.mapLayout(m->name);
  if (ml.bucketOffset >= 0)
    return histKeyCall(c, /*remove=*/false);
  auto *p = lookup(ml, buildKey(ml, keysOf(c)));
  auto *found = B.CreateICmpNE(p, ConstantPointerNull::get(lc.ptr()));
  return {lc.sema.typeOf(c), B.CreateZExt(found, lc.i64())};
}

// bpf_for_each_map_elem visits every element (this CPU's slot of a per-CPU map) and
// calls the counter, which adds one to the stack slot it is given.
Value ProbeLowering::lenCall(const ast::CallExpr *c) {
  auto *m = ast::as<ast::MapRef>(c->args[0].get());
  // len(@s) of a map without keys that holds a stack: its frames (Sema's stackLength).
  const MapInfo *info = m && m->keys.empty() ? lc.mapLayout(m->name).info : nullptr;
  if (!info || (info->keys.empty() && lc.type(info->value).isStack()))
    return stackLength(c);
  const MapLayout &ml = lc.mapLayout(m->name);
  // On the stack whatever on_stack_limit says: the helper takes its context only there.
  auto *counter = stackTemp(8, "len." + m->name);
  lc.callHelper(ForEachMapElem, lc.i64(),
                {ml.global, lc.elementCounter(), counter, B.getInt64(0)});
  // A comparison of the count (`len(@m) > 0`) would make the verifier follow it exactly
  // through the callback's rounds, as a for loop's variables (Loop.cpp).
  forgetExactValue(counter);
  return {lc.sema.typeOf(c), B.CreateLoad(lc.i64(), counter)};
}

// len(kstack), len(ustack): the frames counted where the stack is taken (Stack.cpp).
// A stack held in a variable or map carries its count in its top bits (Stack.cpp).
Value ProbeLowering::stackLength(const ast::CallExpr *c) {
  const ast::Expr *arg = c->args[0].get();
  if (!lc.sema.takesStack(arg))
    return {lc.sema.typeOf(c), B.CreateLShr(expr(arg).v, obj::kStackFrameCountShift)};
  return {lc.sema.typeOf(c), frameCount(lc.type(lc.sema.typeOf(arg)))};
}

Function *LowerContext::elementCounter() {
  if (countingCallback)
    return countingCallback;
  auto *fty = FunctionType::get(i64(), {ptr(), ptr(), ptr(), ptr()}, false);
  auto *f = Function::Create(fty, GlobalValue::InternalLinkage, "bt_count_element", *module);
  // A callback is a subprogram: libbpf takes it from .text.
  f->setSection(".text");
  f->addFnAttr(Attribute::NoUnwind);
  auto *voidPtr = DI->createPointerType(nullptr, 64);
  auto *diTy = DI->createSubroutineType(
      DI->getOrCreateTypeArray({diInt(64, true), voidPtr, voidPtr, voidPtr, voidPtr}));
  auto *sp = DI->createFunction(cu, f->getName(), f->getName(), file, 0, diTy, 0,
                                DINode::FlagPrototyped,
                                DISubprogram::SPFlagDefinition | DISubprogram::SPFlagLocalToUnit);
  f->setSubprogram(sp);
  const char *names[] = {"map", "key", "value", "ctx"};
  for (unsigned i = 0; i < 4; ++i) {
    DI->createParameterVariable(sp, names[i], i + 1, file, 0, voidPtr, true);
    f->getArg(i)->setName(names[i]);
  }
  IRBuilder<> b(BasicBlock::Create(ctx, "entry", f));
  b.SetCurrentDebugLocation(DILocation::get(ctx, 0, 0, sp));
  auto *count = f->getArg(3);
  b.CreateStore(b.CreateAdd(b.CreateLoad(i64(), count), b.getInt64(1)), count);
  b.CreateRet(b.getInt64(0));
  countingCallback = f;
  return f;
}

} // namespace bt::lower
