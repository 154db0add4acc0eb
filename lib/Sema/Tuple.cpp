// Tuples as values: `(a, b, ...)` literals, `$t.N` element access, and the widening
// of two types (tuples' element by element) that share a variable or a map value. A
// tuple is a Record of origin Tuple laid out by layoutOf, so it is stored, sent and
// printed by layout.
// Records, `(a=1, b=2)` (upstream bpftrace 0.24+), are tuples whose fields have names:
// read as `$r.a`, and matched by name, so a record given its fields in another order
// keeps the order it was first given.
#include "StoredInteger.h"
#include "Typer.h"

#include <algorithm>
#include <cctype>

namespace bt::sema {

using namespace ast;

bool unify(TypeTable &types, TypeId &slot, TypeId t) {
  const Type &n = types.get(t), &s = types.get(slot);
  if (n.isNone())
    return true;
  if (s.isNone()) {
    slot = n.isInt() ? storedInteger(types, n) : t;
    return true;
  }
  if (s.kind != n.kind)
    return false;
  if (s.isString()) {
    if (slot == t) // macaddr()'s text stays itself, its bpftrace size with it
      return true;
    // macaddr()'s text is bpftrace's mac_address, no string: 0.17 refuses the mix.
    if (s.bpftraceSize || n.bpftraceSize)
      return false;
    slot = types.string(std::max(s.size, n.size));
    return true;
  }
  if (s.isBuffer()) { // the larger capacity holds either (its length says what is used)
    slot = s.size >= n.size ? slot : t;
    return true;
  }
  if (s.kind == TypeKind::Aggregation)
    return s.agg == n.agg;
  if (s.isStack())
    return s.frames == n.frames && s.stackMode == n.stackMode;
  if (s.kind == TypeKind::Timestamp)
    return s.timeFormat == n.timeFormat;
  if (s.isRecord())
    return unifyTuple(types, slot, t);
  // Tuple integers of two widths are held alike; the wider is the width of both.
  if (s.isInt() && s.tupleWidth && n.tupleWidth > s.tupleWidth)
    slot = types.tupleInteger(slot, n.tupleWidth);
  // An array's bytes are read as its element type: another element or count is another
  // type, as in bpftrace (uint16[4] into a uint8[8] variable would print other numbers).
  if (s.isArray())
    return slot == t;
  // A pointer's reads take their offsets from its pointee's type: a pointer to another
  // type is no value for it. A void pointer (none) mixes with any, as in C. Its reads
  // take their helper from where it points: a kernel pointer held where a process's was
  // (or the reverse) would be read with the other memory's helper.
  if (s.isPointer())
    return s.addressSpace == n.addressSpace &&
           (s.pointee == n.pointee || types.get(s.pointee).isNone() ||
            types.get(n.pointee).isNone());
  return true;
}

bool unifyTuple(TypeTable &types, TypeId &slot, TypeId t) {
  const Type &s = types.get(slot), &n = types.get(t);
  if (s.origin != RecordOrigin::Tuple || n.origin != RecordOrigin::Tuple)
    return slot == t;
  if (s.fields.size() != n.fields.size() || s.isNamedTuple() != n.isNamedTuple())
    return false;
  std::vector<TypeId> elements;
  std::vector<std::string> names;
  for (size_t i = 0; i < s.fields.size(); ++i) {
    std::optional<size_t> j = tupleFieldIndex(n, s.fields[i].name, i);
    TypeId e = s.fields[i].type;
    if (!j || !unify(types, e, n.fields[*j].type))
      return false;
    elements.push_back(e);
    names.push_back(s.fields[i].name);
  }
  slot = types.tuple(elements, s.isNamedTuple() ? names : std::vector<std::string>{});
  return true;
}

TypeId Typer::tuple(const TupleExpr *t) {
  std::vector<TypeId> elements;
  bool known = true;
  for (const auto &e : t->elems) {
    TypeId id = expr(e.get());
    const Type &et = ty(id);
    if (et.isNone()) {
      known = false;
      continue;
    }
    if (kernelCopied(id) || kernelTuple(id)) {
      if (!kernelTupleElement(t, e.get(), id)) {
        known = false;
        continue;
      }
    } else if (et.isInt()) {
      // Stored as 8 bytes like every integer; the sign is kept for printing, the
      // width for sizeof.
      TypeId stored = storedInteger(R.types, et);
      id = R.types.tupleInteger(stored, et.tupleWidth ? et.tupleWidth : et.size);
    } else if (et.isRecord() && et.origin != RecordOrigin::Tuple) {
      if (!recordValue(id, e->range, t->names.empty() ? "a tuple element" : "a record field")) {
        known = false;
        continue;
      }
    } else if (et.isArray()) {
      // An array's bytes are the element, as upstream bpftrace holds it.
      if (!arrayValue(id, e->range, t->names.empty() ? "a tuple element" : "a record field")) {
        known = false;
        continue;
      }
    } else if (!et.isString() && !et.isBuffer() && !et.isRecord() && !et.isArray() &&
               !et.isHostText() && !et.isPointer()) {
      err(e->range, std::string(t->names.empty() ? "a tuple element" : "a record field") +
                        " of type " + et.str() + " is not supported yet");
      known = false;
      continue;
    }
    elements.push_back(id);
  }
  return known ? R.types.tuple(elements, t->names) : R.types.none();
}

// `(pid, *curtask)`: a kernel struct over 512 bytes is held as the running kernel's
// bytes, as a variable holds one, in a tuple's last element (kernelTuple): the elements
// before it keep their compile-time offsets, its own size is the running kernel's. One
// elsewhere would move the elements after it by that size, which btc lays out before
// the kernel is known.
bool Typer::kernelTupleElement(const TupleExpr *t, const Expr *e, TypeId id) {
  const Type &et = ty(id);
  std::string why = et.isArray()                 ? "an array of them"
                    : kernelTuple(id)              ? "a tuple holding one"
                    : !t->names.empty()            ? "a named field"
                    : e != t->elems.back().get()   ? "an element but the last"
                                                   : "";
  if (!why.empty()) {
    std::string held = kernelTuple(id) ? ty(ty(id).fields.back().type).str() : et.str();
    err(e->range, "a tuple element of " + et.str() + " is not supported yet: a tuple holds " +
                      held + " as the running kernel lays it out (over 512 bytes) as its " +
                      "last element only, not " + why);
    return false;
  }
  return kernelCopyFits(et, e->range, "a tuple element");
}

TypeId Typer::tupleField(const FieldExpr *f, TypeId base) {
  const Type &t = ty(base);
  // A record's `->` is its `.`, as upstream's one field access; a tuple's elements
  // have no names for it (upstream's `$t->0` does not parse).
  if (f->arrow && !t.isNamedTuple()) {
    err(f->range, "'->' on " + t.str() + ": a tuple's elements are read with '.'");
    return R.types.none();
  }
  const std::string &name = f->field;
  if (t.isNamedTuple()) {
    std::optional<size_t> i = tupleFieldIndex(t, name, 0);
    if (!i) {
      std::string fields;
      for (const RecordField &rf : t.fields)
        fields += (fields.empty() ? "" : ", ") + rf.name;
      err(f->fieldRange, "the record has no field '" + name + "' (its fields: " + fields + ")");
      return R.types.none();
    }
    return t.fields[*i].type;
  }
  bool digits = !name.empty() && name.size() < 10 &&
                std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit((unsigned char)c); });
  if (!digits) {
    err(f->fieldRange, "a tuple has no field '" + name + "'; its elements are .0 to ." +
                           std::to_string(t.fields.size() - 1));
    return R.types.none();
  }
  size_t index = std::stoul(name);
  if (index >= t.fields.size()) {
    err(f->fieldRange, "tuple index " + name + " is out of range for " + t.str() + " (" +
                           std::to_string(t.fields.size()) + " elements)");
    return R.types.none();
  }
  return t.fields[index].type;
}

namespace {
// A compile-time integer: literals and + - * of them, as upstream bpftrace folds `[1 - 1]`.
std::optional<int64_t> foldedIndex(const Expr *e) {
  if (auto *i = as<IntegerLit>(e))
    return (int64_t)i->value;
  if (auto *u = as<UnaryExpr>(e); u && u->op == UnaryOp::Neg)
    if (std::optional<int64_t> v = foldedIndex(u->operand.get()))
      return -*v;
  auto *b = as<BinaryExpr>(e);
  if (!b || (b->op != BinaryOp::Add && b->op != BinaryOp::Sub && b->op != BinaryOp::Mul))
    return std::nullopt;
  std::optional<int64_t> l = foldedIndex(b->lhs.get()), r = foldedIndex(b->rhs.get());
  if (!l || !r)
    return std::nullopt;
  return b->op == BinaryOp::Add ? *l + *r : b->op == BinaryOp::Sub ? *l - *r : *l * *r;
}
} // namespace

// `$t[N]` is `$t.N` when N is known at compile time (upstream bpftrace's tuples).
TypeId Typer::tupleIndex(const IndexExpr *i, TypeId base) {
  const Type &t = ty(base);
  std::optional<int64_t> n = foldedIndex(i->index.get());
  if (!n) {
    err(i->index->range, "a tuple's index must be known at compile time (an integer literal)");
    return R.types.none();
  }
  if (*n < 0 || size_t(*n) >= t.fields.size()) {
    err(i->index->range, "tuple index " + std::to_string(*n) + " is out of range for " + t.str() +
                             " (" + std::to_string(t.fields.size()) + " elements)");
    return R.types.none();
  }
  R.tupleIndices[i] = size_t(*n);
  return t.fields[size_t(*n)].type;
}

} // namespace bt::sema
