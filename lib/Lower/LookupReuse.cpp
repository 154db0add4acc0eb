// A map element read twice in one run of a program (`/@start[tid]/` then
// `nsecs - @start[tid]`) is looked up once when nothing this program does in
// between can change the map: the second lookup's result is the first's.
//
// While lowering, every read whose key is stable (literals and builtins that
// cannot change during a run: pid, tid, comm, ...) is recorded with the map's
// write generation, which a store, delete or aggregation of that map bumps,
// and so does entering or leaving a while loop (a back edge would run a later
// write before an earlier read). Structured code runs in lowering order, so two
// reads of one generation have no write of that map between them on any path.
// At the end, a read is folded into an earlier one of the same map, key and
// generation that dominates it. Other CPUs may change the element at any time
// either way; bpftrace's separate lookups give no stronger guarantee.
#include "ProbeLowering.h"

#include "llvm/IR/Dominators.h"

namespace bt::lower {

using namespace llvm;

namespace {
bool isRunConstant(BuiltinId id) {
  switch (id) {
  case BuiltinId::Pid: case BuiltinId::Tid: case BuiltinId::Uid: case BuiltinId::Gid:
  case BuiltinId::Cpu: case BuiltinId::Cgroup: case BuiltinId::Comm:
    return true;
  default:
    return false;
  }
}
} // namespace

std::optional<std::string> ProbeLowering::stableKey(const ast::MapRef *m) const {
  std::string key;
  for (const auto &k : m->keys) {
    if (auto *i = ast::as<ast::IntegerLit>(k.get()))
      key += "i" + std::to_string(i->value);
    else if (auto *s = ast::as<ast::StringLit>(k.get()))
      key += "s" + std::to_string(s->value.size()) + ":" + s->value;
    else if (auto *b = ast::as<ast::BuiltinRef>(k.get()); b && isRunConstant(lc.sema.builtinOf(b).id))
      key += "b" + b->name;
    else
      return std::nullopt;
    key += ",";
  }
  return key;
}

void ProbeLowering::recordLookup(const ast::MapRef *m, llvm::Value *call) {
  if (auto key = stableKey(m))
    lookups.push_back({m->name, *key, mapGenerations[m->name], llvm::cast<CallInst>(call)});
}

void ProbeLowering::mapWritten(const std::string &map) { ++mapGenerations[map]; }

void ProbeLowering::loopBoundary() {
  // Every map read so far has an entry (recordLookup made it).
  for (auto &[map, generation] : mapGenerations)
    ++generation;
}

void ProbeLowering::foldRepeatedLookups() {
  if (lookups.size() < 2)
    return;
  DominatorTree dt(*fn);
  std::vector<bool> folded(lookups.size(), false);
  for (size_t later = 1; later < lookups.size(); ++later) {
    const RecordedLookup &l = lookups[later];
    for (size_t earlier = 0; earlier < later; ++earlier) {
      const RecordedLookup &e = lookups[earlier];
      if (folded[earlier] || e.map != l.map || e.key != l.key || e.generation != l.generation ||
          !dt.dominates(e.call, l.call))
        continue;
      l.call->replaceAllUsesWith(e.call);
      l.call->eraseFromParent();
      folded[later] = true;
      break;
    }
  }
}

} // namespace bt::lower
