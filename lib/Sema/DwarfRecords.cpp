// Structs and unions of a probed binary's DWARF, as uprobe args reach them
// (`args.p->field`, `args.p->inner.arr[1]`, `print(*args.p)`): C-layout records, read
// without relocation as the script's C structs are, whose members are DWARF's at the
// offsets DWARF gives (DwarfParams::typeRecord tells them from the script's). A member
// whose place DWARF does not give plainly is refused where it is used.
#include "DwarfParams.h"
#include "Typer.h"

namespace bt::sema {

using namespace ast;

std::optional<TypeId> Typer::dwarfType(const DwarfType &t, std::string &why) {
  switch (t.kind) {
  case DwarfType::Kind::Int:
    return R.types.integer(t.size, t.isSigned);
  case DwarfType::Kind::Pointer: {
    const DwarfType &p = *t.pointee;
    std::optional<TypeId> pointee = R.types.none(); // void, a function, a float
    if (p.kind == DwarfType::Kind::Record)
      pointee = dwarfRecord(p, why);
    else if (p.kind != DwarfType::Kind::Void && p.kind != DwarfType::Kind::Other)
      pointee = dwarfType(p, why);
    if (!pointee)
      return std::nullopt;
    return R.types.pointer(*pointee, AddressSpace::User);
  }
  case DwarfType::Kind::Record:
    return dwarfRecord(t, why);
  case DwarfType::Kind::Array: {
    const DwarfType &e = *t.pointee;
    // char arrays are strings, as bpftrace reads them (and BTF's, and the script's C).
    if (e.kind == DwarfType::Kind::Int && e.isChar)
      return R.types.string(t.count);
    auto element = dwarfType(e, why);
    if (!element)
      return std::nullopt;
    return R.types.array(*element, t.count);
  }
  default:
    why = (t.spelling.empty() ? std::string("its type") : "'" + t.spelling + "'") +
          " is no type btc can hold yet";
    return std::nullopt;
  }
}

namespace {

// Whether two DWARF definitions lay out the same members at the same places.
bool sameLayout(DwarfParams &dwarf, const DwarfType &a, const DwarfType &b) {
  if (a.path == b.path && a.die == b.die)
    return true;
  const DwarfRecord &x = dwarf.record(a), &y = dwarf.record(b);
  if (a.size != b.size || !x.error.empty() || !y.error.empty() ||
      x.members.size() != y.members.size())
    return false;
  for (size_t i = 0; i < x.members.size(); ++i) {
    const DwarfMember &m = x.members[i], &n = y.members[i];
    if (m.name != n.name || m.bitOffset != n.bitOffset || m.bitfieldSize != n.bitfieldSize ||
        m.type.kind != n.type.kind || m.type.size != n.type.size ||
        m.type.isSigned != n.type.isSigned || m.type.record != n.type.record)
      return false;
  }
  return true;
}

} // namespace

// The record as its DWARF lays it out; or the script's C definition of the same name
// where that agrees with DWARF in size and in every member's place and size (so a cast
// to it and the arg are one type), and an error where it does not. The type table
// knows a record by name and size, so two DWARF definitions of one name (two binaries)
// are one type where their layouts agree and an error where they do not.
std::optional<TypeId> Typer::dwarfRecord(const DwarfType &t, std::string &why) {
  std::string tag = t.record.substr(t.record.find(' ') + 1);
  bool isUnion = t.record.compare(0, 6, "union ") == 0;
  auto script = tag.empty() ? std::nullopt : cType(t.record, false);
  if (script && ty(*script).origin == RecordOrigin::C && !isDwarfRecord(*script))
    return scriptRecord(t, *script, why);
  TypeId id = R.types.record(RecordOrigin::C, tag, {}, t.size,
                             t.die ? R.dwarf->alignOf(t) : 1, isUnion);
  const DwarfType *known = R.dwarf->typeRecord(id.index());
  if (!known) {
    R.dwarf->setTypeRecord(id.index(), t);
    return id;
  }
  if (!sameLayout(*R.dwarf, *known, t)) {
    why = t.record + " of '" + t.path + "' differs from " + known->record + " of '" +
          known->path + "', and btc holds one definition of a name per script";
    return std::nullopt;
  }
  return id;
}

std::optional<TypeId> Typer::scriptRecord(const DwarfType &t, TypeId script,
                                          std::string &why) {
  const Type &c = ty(script);
  const DwarfRecord &d = R.dwarf->record(t);
  auto differs = [&](const std::string &what) -> std::optional<TypeId> {
    why = t.record + " as the script defines it differs from the DWARF of '" + t.path +
          "': " + what + " (without the script's definition, DWARF's is used)";
    return std::nullopt;
  };
  if (!d.error.empty()) {
    why = d.error;
    return std::nullopt;
  }
  if (c.size != t.size)
    return differs(std::to_string(c.size) + " bytes, not " + std::to_string(t.size));
  for (const std::string &name : R.cdefs->memberNames(c)) {
    std::string unsupported;
    auto cm = R.cdefs->member(R.types, c, name, unsupported);
    const DwarfMember *dm = nullptr;
    for (const DwarfMember &m : d.members)
      if (m.name == name)
        dm = &m;
    if (!dm)
      return differs("DWARF has no member '" + name + "'");
    if (!cm)
      continue; // a member btc cannot type: refused where it is used
    unsigned cBytes = cm->bitfieldSize ? 0 : ty(cm->type).size;
    unsigned dBytes = dm->bitfieldSize ? 0 : dm->type.size;
    if (cm->bitOffset != dm->bitOffset || cm->bitfieldSize != dm->bitfieldSize ||
        cBytes != dBytes)
      return differs("member '" + name + "' is at bit " + std::to_string(dm->bitOffset) +
                     " there (" + std::to_string(dBytes) + " bytes), at bit " +
                     std::to_string(cm->bitOffset) + " here (" + std::to_string(cBytes) +
                     " bytes)");
  }
  return script;
}

std::optional<CDefinitions::Member> Typer::dwarfMemberOf(TypeId recordId, const std::string &name,
                                                         SourceRange r) {
  const Type &record = ty(recordId);
  const DwarfType &t = *R.dwarf->typeRecord(recordId.index());
  const DwarfRecord &d = R.dwarf->record(t);
  if (!d.error.empty()) {
    err(r, "member '" + name + "' of " + record.str() + " cannot be read: " + d.error);
    return std::nullopt;
  }
  const DwarfMember *m = nullptr;
  for (const DwarfMember &candidate : d.members)
    if (candidate.name == name)
      m = &candidate;
  if (!m) {
    err(r, record.str() + " has no member '" + name + "' in the DWARF of '" + t.path + "'");
    return std::nullopt;
  }
  std::string why = m->unreadable.empty() ? "" : "it has " + m->unreadable;
  std::optional<TypeId> type;
  if (why.empty())
    type = dwarfType(m->type, why);
  if (!type) {
    err(r, "member '" + name + "' of " + record.str() + " cannot be read: " + why);
    return std::nullopt;
  }
  if (m->bitfieldSize && (!ty(*type).isInt() || m->bitOffset % 8 + m->bitfieldSize > 64)) {
    // Its bytes are read into one u64 and shifted out: a bitfield of a packed struct
    // whose bits spill into a ninth byte would not fit.
    err(r, "bitfield '" + name + "' of " + ty(*type).str() + " is not supported yet" +
               (ty(*type).isInt() ? " (its bits span more than 8 bytes)" : ""));
    return std::nullopt;
  }
  return CDefinitions::Member{m->bitOffset, m->bitfieldSize, *type};
}

std::vector<std::string> Typer::dwarfMemberNames(TypeId record) {
  std::vector<std::string> names;
  for (const DwarfMember &m : R.dwarf->record(*R.dwarf->typeRecord(record.index())).members)
    names.push_back(m.name);
  return names;
}

TypeId Typer::dwarfMember(const FieldExpr *f, TypeId record) {
  auto m = dwarfMemberOf(record, f->field, f->fieldRange);
  if (!m)
    return R.types.none();
  R.members[f] = {record, f->field, m->bitOffset, m->bitfieldSize, m->type};
  return m->type;
}

} // namespace bt::sema
