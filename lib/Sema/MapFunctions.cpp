// Typing of the map functions: delete(@m[key]), delete(@m, key), has_key(@m, key) and
// len(@m) and len(kstack). delete() is 1 when it removed the key, 0 when the key was not
// there. A key given apart from the map is one expression, or a tuple of one
// expression per key of a multi-key map, as in delete(@m, (1, "a")).
#include "Typer.h"

namespace bt::sema {

using namespace ast;

MapInfo &Typer::mapKeysApart(const MapRef *m, const Expr *key) {
  std::vector<const Expr *> keys;
  if (auto *t = as<TupleExpr>(key); t && t->names.empty())
    for (const auto &e : t->elems)
      keys.push_back(e.get());
  else
    keys.push_back(key);
  return mapKeys(m, keys);
}

// Upstream's len(kstack), len(ustack): the frames the stack would hold, up to its limit.
// Of kstack or ustack itself they are counted where the stack is taken; of a stack held
// in a variable or map (keyed, or a keyless one's: len(@s)) btc keeps the count in every
// stack value of the script (SemaResult::stackFrameCounts).
namespace {

// delete() and has_key() of one key of a hist() or lhist() map: at most these bytes of
// key (Lower's HistKeyFunctions.cpp copies it onto the stack).
constexpr uint64_t kMaxHistKeyOnStack = 256;

// A map without keys that holds a stack (@s = kstack); Lower's lenCall asks the same.
bool holdsOneStack(const SemaResult &R, const MapInfo &mi) {
  return mi.keysKnown && mi.keys.empty() && R.types.get(mi.value).isStack();
}

} // namespace

bool Typer::stackLength(const CallExpr *c) {
  const Expr *a = c->args[0].get();
  // len(@m): its elements, or when it is a map without keys that holds a stack
  // (@s = kstack), the stack's frames, as of a variable. A keyed map of stacks
  // (@k[tid] = kstack) still counts its elements.
  if (auto *m = as<MapRef>(a); m && m->keys.empty() && !holdsOneStack(R, mapInfo(m)))
    return false;
  bool stack = ty(expr(a)).isStack();
  if (stack && !R.takesStack(a))
    R.stackFrameCounts = true;
  return stack;
}

TypeId Typer::mapFunctionCall(const CallExpr *c, FunctionId id) {
  const FunctionInfo &info = functionInfo(id);
  if (id == FunctionId::Len && stackLength(c))
    return s64();
  auto *m = as<MapRef>(c->args[0].get());
  bool separate = c->args.size() == 2;
  if (!m || (separate && !m->keys.empty()) || (id != FunctionId::Delete && !m->keys.empty())) {
    err(c->range, info.usage);
    return R.types.none();
  }
  if (id == FunctionId::Len) {
    MapInfo &mi = mapInfo(m);
    if (mi.keysKnown && mi.keys.empty())
      err(c->args[0]->range, "len() needs a map with keys; " + m->name + " has none");
    return s64();
  }
  MapInfo &mi = separate ? mapKeysApart(m, c->args[1].get()) : mapKeys(m);
  bool keyed = separate || !m->keys.empty();
  // A hist()'s or lhist()'s key is one hash element per bucket: Lower's
  // HistKeyFunctions.cpp visits them with the key copied onto the BPF stack.
  if (keyed && (mi.agg == AggKind::Hist || mi.agg == AggKind::Lhist)) {
    uint64_t keyBytes = 8; // the bucket index
    for (TypeId k : mi.keys)
      keyBytes += ty(k).size;
    if (keyBytes > kMaxHistKeyOnStack)
      err(c->range, c->callee + "() of one key of a " + std::string(aggName(mi.agg)) +
                        "() map whose key is over " + std::to_string(kMaxHistKeyOnStack) +
                        " bytes (with its bucket index) is not supported yet: the key is " +
                        "copied onto the 512-byte BPF stack");
  }
  return u64(); // has_key: found; delete: deleted (upstream's bool)
}

} // namespace bt::sema
