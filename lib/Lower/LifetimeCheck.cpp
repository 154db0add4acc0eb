// The lifetime check. For each alloca that has llvm.lifetime.end markers, a
// forward data-flow analysis computes, at every program point, whether some
// path from the entry reaches it through a lifetime.end with no lifetime.start
// after it ("may have ended"). A load, store or call that uses the slot (or a
// pointer derived from it) at such a point is a violation: stack colouring may
// already have given the slot to another variable.
#include "bt/Lower/LifetimeCheck.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"

namespace bt {
namespace {

using namespace llvm;

// Every pointer computed from `root`: GEPs, casts, phis and selects of it.
SmallPtrSet<const Value *, 16> derivedPointers(const AllocaInst *root) {
  SmallPtrSet<const Value *, 16> set;
  SmallVector<const Value *, 16> work{root};
  set.insert(root);
  while (!work.empty()) {
    const Value *v = work.pop_back_val();
    for (const User *u : v->users()) {
      if (isa<GetElementPtrInst>(u) || isa<CastInst>(u) || isa<PHINode>(u) ||
          isa<SelectInst>(u) || isa<AddrSpaceCastInst>(u)) {
        if (set.insert(u).second)
          work.push_back(u);
      }
    }
  }
  return set;
}

enum class Marker { None, Start, End };

Marker markerFor(const Instruction &i, const SmallPtrSet<const Value *, 16> &slot) {
  auto *ii = dyn_cast<IntrinsicInst>(&i);
  if (!ii)
    return Marker::None;
  if (ii->getIntrinsicID() != Intrinsic::lifetime_start &&
      ii->getIntrinsicID() != Intrinsic::lifetime_end)
    return Marker::None;
  if (!slot.count(ii->getArgOperand(ii->arg_size() - 1)))
    return Marker::None;
  return ii->getIntrinsicID() == Intrinsic::lifetime_start ? Marker::Start : Marker::End;
}

bool usesSlot(const Instruction &i, const SmallPtrSet<const Value *, 16> &slot) {
  if (auto *ld = dyn_cast<LoadInst>(&i))
    return slot.count(ld->getPointerOperand());
  if (auto *st = dyn_cast<StoreInst>(&i))
    return slot.count(st->getPointerOperand()) || slot.count(st->getValueOperand());
  if (auto *rmw = dyn_cast<AtomicRMWInst>(&i))
    return slot.count(rmw->getPointerOperand());
  if (auto *cx = dyn_cast<AtomicCmpXchgInst>(&i))
    return slot.count(cx->getPointerOperand());
  if (auto *call = dyn_cast<CallBase>(&i)) {
    if (isa<DbgInfoIntrinsic>(call))
      return false;
    if (auto *ii = dyn_cast<IntrinsicInst>(call))
      if (ii->isLifetimeStartOrEnd())
        return false;
    for (const Value *arg : call->args())
      if (slot.count(arg))
        return true;
  }
  return false;
}

unsigned lineOf(const Instruction *i) {
  if (!i)
    return 0;
  if (const DebugLoc &dl = i->getDebugLoc())
    return dl.getLine();
  return 0;
}

void checkSlot(const Function &f, const AllocaInst *alloca,
               std::vector<LifetimeViolation> &out) {
  auto slot = derivedPointers(alloca);
  bool hasEnd = false;
  for (const Value *v : slot)
    for (const User *u : v->users())
      if (auto *i = dyn_cast<Instruction>(u); i && markerFor(*i, slot) == Marker::End)
        hasEnd = true;
  if (!hasEnd)
    return;

  // State per block: the lifetime.end that may have ended the slot on some
  // path to this point (null: live on every path).
  DenseMap<const BasicBlock *, const Instruction *> in, out_;
  auto transfer = [&](const BasicBlock &bb, const Instruction *state) {
    for (const Instruction &i : bb) {
      switch (markerFor(i, slot)) {
      case Marker::End: state = &i; break;
      case Marker::Start: state = nullptr; break;
      case Marker::None: break;
      }
    }
    return state;
  };
  bool changed = true;
  while (changed) {
    changed = false;
    for (const BasicBlock &bb : f) {
      const Instruction *state = nullptr;
      for (const BasicBlock *pred : predecessors(&bb)) {
        auto it = out_.find(pred);
        if (it != out_.end() && it->second) {
          state = it->second;
          break;
        }
      }
      in[&bb] = state;
      const Instruction *o = transfer(bb, state);
      auto &slotOut = out_[&bb];
      if (slotOut != o) {
        slotOut = o;
        changed = true;
      }
    }
  }

  for (const BasicBlock &bb : f) {
    const Instruction *state = in[&bb];
    for (const Instruction &i : bb) {
      switch (markerFor(i, slot)) {
      case Marker::End: state = &i; continue;
      case Marker::Start: state = nullptr; continue;
      case Marker::None: break;
      }
      if (state && usesSlot(i, slot)) {
        LifetimeViolation v;
        v.function = f.getName().str();
        v.slot = alloca->hasName() ? alloca->getName().str() : "<unnamed>";
        v.useLine = lineOf(&i);
        v.endLine = lineOf(state);
        out.push_back(v);
        return; // one report per slot is enough
      }
    }
  }
}

} // namespace

std::string LifetimeViolation::message() const {
  std::string s = "stack slot '" + slot + "' in " + function + " is used";
  if (useLine)
    s += " at line " + std::to_string(useLine);
  s += " after its lifetime ended";
  if (endLine)
    s += " at line " + std::to_string(endLine);
  return s;
}

std::vector<LifetimeViolation> checkLifetimes(const llvm::Function &f) {
  std::vector<LifetimeViolation> out;
  for (const auto &bb : f)
    for (const auto &i : bb)
      if (auto *a = llvm::dyn_cast<llvm::AllocaInst>(&i))
        checkSlot(f, a, out);
  return out;
}

std::vector<LifetimeViolation> checkLifetimes(const llvm::Module &m) {
  std::vector<LifetimeViolation> out;
  for (const auto &f : m) {
    if (f.isDeclaration())
      continue;
    auto v = checkLifetimes(f);
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

} // namespace bt
