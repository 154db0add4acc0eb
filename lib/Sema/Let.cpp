// `let $x [: type] [= e];` (bpftrace 0.22+): a variable declared in the block
// the statement is in, visible from there to the end of that block; without a
// value it starts as zero (an empty string). Declaring a name that an
// enclosing block already has, or that this one has, is an error: bpftrace
// allows no shadowing.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

std::optional<TypeId> Typer::declaredType(const TypeName &t) {
  static const std::map<std::string, std::pair<unsigned, bool>> ints = {
      {"int8", {1, true}},    {"int16", {2, true}},   {"int32", {4, true}},
      {"int64", {8, true}},   {"uint8", {1, false}},  {"uint16", {2, false}},
      {"uint32", {4, false}}, {"uint64", {8, false}}, {"bool", {1, false}},
  };
  if (t.pointerDepth == 0 && t.arraySize < 0) {
    if (auto it = ints.find(t.name); it != ints.end())
      return R.types.integer(it->second.first, it->second.second);
    if (t.name == "string")
      return R.types.string(R.options.strlen);
  }
  err(t.range, "variables of type '" + spelling(t) + "' are not supported yet");
  return std::nullopt;
}

void Typer::varDecl(const VarDeclStmt *s) {
  const std::string &name = s->var->name;
  std::optional<TypeId> declared;
  if (s->hasType) {
    declared = declaredType(s->type);
    if (!declared)
      return;
  }
  TypeId value = s->value ? expr(s->value.get()) : R.types.none();
  const Type &vt = ty(value);
  if (vt.kind == TypeKind::Aggregation || vt.kind == TypeKind::TracepointArgs ||
      (vt.isRecord() && vt.origin != RecordOrigin::Tuple)) {
    err(s->value->range, "cannot assign " + vt.str() + " to a variable" +
                             (vt.isRecord() ? " yet" : ""));
    return;
  }
  auto [it, added] = R.letDeclarations.try_emplace(s, 0);
  if (added) {
    // An earlier declaration of the name, in this block or one around it.
    if (std::optional<DeclId> earlier = R.scopes.lookup(scope_, name)) {
      const Declaration &d = R.scopes.declaration(*earlier);
      err(s->var->range, "variable " + name + " is already declared" +
                             (d.scope == scope_ ? "" : " in an enclosing block") +
                             " (bpftrace allows no shadowing)");
      if (report_)
        D.note(d.defined, "declared here");
      R.letDeclarations.erase(it);
      return;
    }
    it->second = R.scopes.declare(scope_, name, declared.value_or(R.types.none()), s->var->range);
    changed = true;
  } else if (report_) {
    // The fixed point's passes met it before; a declaration written after this
    // one in the same or an enclosing block may have taken the name since.
    std::optional<DeclId> found = R.scopes.lookup(scope_, name);
    if (found && *found != it->second && assigned_.count(*found)) {
      err(s->var->range, "variable " + name + " is already declared (bpftrace allows no shadowing)");
      D.note(R.scopes.declaration(*found).defined, "declared here");
      return;
    }
  }
  DeclId d = it->second;
  R.bindings[s->var.get()] = d;
  if (s->value) {
    if (declared && ty(*declared).isInt() && !vt.isNone() && !vt.isInt())
      err(s->value->range, "cannot assign " + vt.str() + " to " + name + ", declared " +
                               spelling(s->type));
    else if (!declared || !ty(*declared).isInt())
      unifyTracked(R.scopes.declaration(d).type, value, s->range, "variable " + name);
  }
  assigned_.insert(d);
  record(s->var.get(), R.scopes.declaration(d).type);
  // Every pass before this one has seen the assignments after it.
  if (ty(R.scopes.declaration(d).type).isNone())
    err(s->range, "the type of " + name + " is unknown: give it a type (let " + name +
                      ": int64) or a value");
}

} // namespace bt::sema
