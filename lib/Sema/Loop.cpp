// for loops: `for ($kv : @map) { ... }` gives $kv = (key, value) for each element of a
// map (the keys as a tuple when the map has several, as upstream bpftrace), and
// `for ($i : start..end) { ... }` each integer from start up to end, excluded; both
// bounds are read once, before the first iteration. The loop variable lives in the
// body's scope; the body reads and writes the probe's other variables. Over a count(),
// sum(), avg(), min() or max() map the value is the key's CPUs combined.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

TypeId Typer::forElement(const ForStmt *s) {
  if (s->rangeEnd) {
    for (const Expr *bound : {s->iterable.get(), s->rangeEnd.get()}) {
      const Type &t = ty(expr(bound));
      if (!t.isNone() && !t.isInt())
        err(bound->range, "a for loop's range bounds must be integers, got " + t.str());
    }
    return s64();
  }
  auto *m = as<MapRef>(s->iterable.get());
  if (!m || m->hasKeys) {
    if (!m)
      expr(s->iterable.get());
    err(s->iterable->range, "a for loop iterates over a map (for ($kv : @m)) or a range "
                            "(for ($i : 0..N))");
    return R.types.none();
  }
  MapInfo &mi = mapInfo(m);
  if (mi.keysKnown && mi.keys.empty()) {
    err(m->range, "map " + m->name + " has no keys: a for loop needs a map with keys");
    return R.types.none();
  }
  // An aggregation's element value is its CPUs' slots combined, as a read of it gives
  // (upstream bpftrace's); one that has no one value (hist, stats, ...) is refused there.
  TypeId value = mi.value;
  if (mi.agg != AggKind::None) {
    value = aggregationValue(m, mi.agg);
    if (ty(value).isNone())
      return value;
  }
  if (!mi.keysKnown || ty(value).isNone())
    return R.types.none();
  // A value of the running kernel's bytes (`@s[k] = *curtask`) comes last in the
  // element, which holds it so too (kernelTuple), as a tuple built of one does.
  for (TypeId k : mi.keys)
    if (ty(k).isNone())
      return R.types.none();
  TypeId key = mi.keys.size() == 1 ? mi.keys[0] : R.types.tuple(mi.keys);
  return R.types.tuple({key, value});
}

void Typer::forLoop(const ForStmt *s) {
  TypeId element = forElement(s);
  auto [it, added] = R.blockScopes.try_emplace(&s->body, 0);
  if (added)
    it->second = R.scopes.add(Scope::Kind::Block, scope_);
  ScopeId body = it->second;
  const std::string &name = s->var->name;
  // A variable the probe has before the loop keeps its name: upstream bpftrace refuses a
  // loop variable that would hide it (one assigned only after the loop is another).
  if (std::optional<DeclId> outer = R.scopes.lookup(scope_, name);
      outer && assigned_.count(*outer)) {
    err(s->var->range, "loop variable " + name +
                           " shadows an existing variable (bpftrace allows no shadowing)");
    if (report_)
      D.note(R.scopes.declaration(*outer).defined, "declared here");
  }
  auto known = R.scopes.scope(body).names.find(name);
  DeclId d = known != R.scopes.scope(body).names.end()
                 ? known->second
                 : R.scopes.declare(body, name, R.types.none(), s->var->range);
  unifyTracked(R.scopes.declaration(d).type, element, s->var->range, "variable " + name);
  R.bindings[s->var.get()] = d;
  assigned_.insert(d);
  record(s->var.get(), R.scopes.declaration(d).type);
  ScopeId outer = scope_;
  scope_ = body;
  ++loopDepth_;
  statements(s->body);
  --loopDepth_;
  scope_ = outer;
}

} // namespace bt::sema
