// Struct and union values copied whole (print(), a variable, a map value): every
// member is listed (SemaResult::recordMembers) so that Lower reads each one with its own CO-RE
// relocation into the value's bytes, laid out as the compile-time BTF (or clang) lays
// the record out, and the manifest can name each for btrun to print.
#include "Typer.h"

namespace bt::sema {

namespace {

// A bigger record is copied through a per-CPU scratch array, not the stack, but the
// kernel takes no map key over 512 bytes, and bpftrace 0.17 copies none bigger
// member by member.
constexpr unsigned kMaxRecordValue = 512;

// A variable holding a bigger kernel struct holds the running kernel's bytes, read
// at once into a per-CPU array of its own (Lower's KernelCopies.cpp), whose value the
// kernel caps at 32 KiB.
constexpr unsigned kMaxKernelCopy = 32768;

// Why a value over kMaxRecordValue is refused for `use`: a map key never will be (the
// kernel's hash maps take keys the size of the BPF stack at most, htab_map_alloc_check).
std::string overCopyLimit(const std::string &use) {
  if (use == "a map key")
    return "is not supported: the kernel takes no map key over " +
           std::to_string(kMaxRecordValue) + " bytes";
  return "is not supported yet: at most " + std::to_string(kMaxRecordValue) + " bytes are";
}

} // namespace

bool Typer::recordValue(TypeId value, SourceRange r, const std::string &use) {
  // A copy out of a process's memory has the members and layout of the struct as declared.
  TypeId recordId = R.types.declared(value);
  const Type &record = ty(recordId);
  if (R.recordMembers.count(recordId.index()))
    return true;
  if (record.size > kMaxRecordValue && kernelCopy(record, use))
    return kernelCopyFits(record, r, use);
  if (record.size > kMaxRecordValue) {
    err(r, use + " of " + record.str() + " (" + std::to_string(record.size) + " bytes) " +
               overCopyLimit(use));
    return false;
  }
  bool isDwarf = isDwarfRecord(recordId), isC = record.origin == RecordOrigin::C && !isDwarf;
  std::vector<std::string> names = isC       ? R.cdefs->memberNames(record)
                                   : isDwarf ? dwarfMemberNames(recordId)
                                             : R.btf->memberNames(record);
  if (isDwarf && names.empty()) {
    err(r, use + " of " + record.str() + " is not supported: " +
               R.dwarf->record(*R.dwarf->typeRecord(recordId.index())).error);
    return false;
  }
  std::vector<MemberAccess> members;
  for (const std::string &name : names) {
    std::string unsupported;
    MemberAccess m{recordId, name, 0, 0, R.types.none()};
    if (isDwarf) {
      // Its own error, located at the copy, says why a member cannot be read.
      auto d = dwarfMemberOf(recordId, name, r);
      if (!d)
        return false;
      m = {recordId, name, d->bitOffset, d->bitfieldSize, d->type};
    } else if (isC) {
      auto c = R.cdefs->member(R.types, record, name, unsupported);
      if (c)
        m = {recordId, name, c->bitOffset, c->bitfieldSize, c->type};
    } else if (auto b = R.btf->member(R.types, recordId, name, unsupported)) {
      m = {recordId, name, b->bitOffset, b->bitfieldSize, b->type};
    }
    // A bitfield is copied in the bytes that hold it: at most 8 (the manifest's int).
    std::string why = !unsupported.empty()     ? unsupported
                      : m.type == R.types.none() ? "no type btc reads"
                      : m.bitfieldSize && !ty(m.type).isInt() ? "a bitfield of " + ty(m.type).str()
                      : m.bitfieldSize && m.bitOffset % 8 + m.bitfieldSize > 64
                          ? "a bitfield over 8 bytes"
                          : "";
    // An element type of any depth: a record's members are listed too.
    TypeId element = m.type;
    while (why.empty() && ty(element).isArray())
      element = ty(element).element;
    const Type &et = ty(element);
    if (why.empty() && !et.isInt() && !et.isPointer() && !et.isString() && !et.isRecord())
      why = et.str();
    if (why.empty() && et.isRecord() && !recordValue(element, r, use))
      return false;
    if (!why.empty()) {
      err(r, use + " of " + record.str() + ": member '" + name + "' has " + why +
                 ", which is not supported yet");
      return false;
    }
    members.push_back(std::move(m));
  }
  R.recordMembers[recordId.index()] = std::move(members);
  R.recordCopySites.emplace(recordId.index(), r);
  return true;
}

// `$t = *curtask`, `@s = *curtask`: a named kernel struct or union over 512 bytes held
// by a variable or as a map value is one copy of the running kernel's bytes (its size
// relocated), whose members are read at their relocated offsets as they are in the
// kernel's memory: no member list, no compile-time layout. print() of one and printf()'s
// `%s` (its family's: errorf, ...) send those bytes, which btrun prints by the running
// kernel's BTF (lib/Runtime/KernelRecords.cpp). Anywhere else (a tuple, a map key) it
// is not held so.
bool Typer::kernelCopy(const Type &record, const std::string &use) const {
  static const std::set<std::string> uses = {"a variable", "a map value", "print()",
                                             "printf()",   "errorf()",    "warnf()",
                                             "cat()",      "system()"};
  return uses.count(use) && record.origin == RecordOrigin::Btf && !record.name.empty();
}

bool Typer::kernelCopyFits(const Type &value, SourceRange r, const std::string &use) {
  if (value.size <= kMaxKernelCopy)
    return true;
  // print() and printf() send it in one ring buffer record: as a copy's, the bound keeps
  // it within the default ring buffer (a smaller one loses it, counted as any lost record).
  bool variable = use == "a variable" || use == "a map value" || use == "a tuple element" ||
                  use == "a ternary branch";
  err(r, use + " of " + value.str() + " (" + std::to_string(value.size) +
             " bytes) is not supported: " +
             (variable ? "the per-CPU map value its copy is held in holds" : "btc prints") +
             " at most " + std::to_string(kMaxKernelCopy) + " bytes");
  return false;
}

bool Typer::inKernelCopy(const ast::Expr *e) const {
  auto typeOf = [&](const ast::Expr *x) {
    auto t = R.exprTypes.find(x);
    return t == R.exprTypes.end() ? R.types.none() : t->second;
  };
  // `.` and `[i]` within the copy, down to the variable that holds it.
  e = ast::valueRoot(e, [&](const ast::Expr *base) { return ty(typeOf(base)).isPointer(); });
  return (ast::as<ast::VariableRef>(e) || ast::as<ast::MapRef>(e) ||
          ast::as<ast::TernaryExpr>(e)) &&
         (kernelCopied(typeOf(e)) || kernelTuple(typeOf(e)));
}

bool Typer::kernelCopied(TypeId t) const {
  TypeId element = R.types.declared(t);
  while (ty(element).isArray())
    element = R.types.declared(ty(element).element);
  return ty(element).isRecord() && ty(t).size > kMaxRecordValue &&
         kernelCopy(ty(element), "a variable");
}

bool Typer::kernelTuple(TypeId t) const {
  const Type &tuple = ty(t);
  // A loop's element over a map of such tuples ends in one in turn.
  return tuple.isRecord() && tuple.origin == RecordOrigin::Tuple && !tuple.fields.empty() &&
         (kernelCopied(tuple.fields.back().type) || kernelTuple(tuple.fields.back().type));
}

bool Typer::arrayValue(TypeId arrayId, SourceRange r, const std::string &use) {
  const Type &array = ty(arrayId);
  TypeId element = arrayId;
  while (ty(element).isArray())
    element = ty(element).element;
  const Type &et = ty(element);
  if (!array.count) {
    err(r, use + " of " + array.str() + " is not supported: a flexible array member " +
               "has no element count to copy; index it (`p->arr[i]`) instead");
    return false;
  }
  if (et.isInt() || et.isPointer() || et.isString())
    return true;
  if (!et.isRecord() || et.origin == RecordOrigin::Tuple) {
    err(r, use + " of " + array.str() + " is not supported yet: btc holds arrays of " +
               "integers, pointers, strings and structs, not of " + et.str());
    return false;
  }
  // An array of kernel structs over 512 bytes in a variable: as one such struct is (a
  // map value holds no such array yet).
  if (array.size > kMaxRecordValue && use == "a variable" && kernelCopy(et, use))
    return kernelCopyFits(array, r, use);
  // Copied element by element into one value, as a struct is: the same bound.
  if (array.size > kMaxRecordValue) {
    err(r, use + " of " + array.str() + " (" + std::to_string(array.size) + " bytes) " +
               overCopyLimit(use));
    return false;
  }
  return recordValue(element, r, use);
}

bool Typer::copiedAsRecord(TypeId t) const {
  while (ty(t).isArray())
    t = ty(t).element;
  return ty(t).isRecord() && ty(t).origin != RecordOrigin::Tuple;
}

bool Typer::heldValue(const ast::Expr *e) const {
  // A variable or a map holds its own copy of a struct (or an array of them), laid out
  // at compile time: reads out of it are no kernel reads.
  if (ast::as<ast::VariableRef>(e) || ast::as<ast::MapRef>(e)) {
    auto t = R.exprTypes.find(e);
    return t != R.exprTypes.end() && copiedAsRecord(t->second) && !inKernelCopy(e);
  }
  // A tuple's element (a for loop's value of a map of structs) is in the tuple's bytes,
  // at the compile-time layout unless it is a copy of the running kernel's bytes.
  if (auto *f = ast::as<ast::FieldExpr>(e)) {
    auto base = R.exprTypes.find(f->base.get());
    if (base != R.exprTypes.end() && ty(base->second).isRecord() &&
        ty(base->second).origin == RecordOrigin::Tuple)
      return !kernelCopied(R.typeOf(e));
  }
  // A struct passed by value to a BTF-typed probe: Lower copies its context slots out.
  if (R.contextSlots.count(e))
    return true;
  // A struct a uprobe's function takes by value: Lower copies its argument words out.
  if (R.uprobeArgs.count(e))
    return ty(R.exprTypes.at(e)).isRecord();
  return R.heldReads.count(e) != 0;
}

} // namespace bt::sema
