// The script's C types as the language's: clang's types converted when a script
// names them, C records as shells whose members are looked up on use.
#include "BtfTypes.h"
#include "CDefinitionsState.h"
#include "Typer.h"

namespace bt::sema {

namespace {

std::optional<TypeId> integer(TypeTable &types, long long size, bool isSigned) {
  if (size == 1 || size == 2 || size == 4 || size == 8)
    return types.integer(unsigned(size), isSigned);
  return std::nullopt;
}

} // namespace

std::optional<TypeId> CDefinitions::State::convert(TypeTable &types, CXType t,
                                                   std::string &unsupported) {
  const ClangLibrary &L = *clang;
  const CXType written = t;
  t = L.clang_getCanonicalType(t);
  long long size = L.clang_Type_getSizeOf(t);
  std::optional<TypeId> result;
  switch (t.kind) {
  case CXType_Void:
    return types.none();
  case CXType_Bool: case CXType_Char_U: case CXType_UChar: case CXType_UShort:
  case CXType_UInt: case CXType_ULong: case CXType_ULongLong:
    result = integer(types, size, false);
    break;
  case CXType_Enum: {
    // A named enum keeps its name, so that printf's %s prints its enumerators' names
    // (Symbolic.cpp); clang spells an anonymous one "enum (unnamed at ...)".
    std::string spelling = text(L.clang_getTypeSpelling(t));
    bool named = spelling.compare(0, 5, "enum ") == 0 && spelling.find('(') == std::string::npos;
    if (named && (size == 1 || size == 2 || size == 4 || size == 8))
      return types.enumeration(spelling, unsigned(size), false);
    result = integer(types, size, false);
    break;
  }
  case CXType_Char_S: case CXType_SChar: case CXType_Short: case CXType_Int:
  case CXType_Long: case CXType_LongLong:
    result = integer(types, size, true);
    break;
  case CXType_Pointer: {
    std::string ignored;
    CXType pointee = L.clang_getCanonicalType(L.clang_getPointeeType(t));
    std::optional<TypeId> p =
        pointee.kind == CXType_FunctionProto || pointee.kind == CXType_FunctionNoProto
            ? types.none()
            : convert(types, pointee, ignored);
    return types.pointer(p.value_or(types.none()), AddressSpace::Kernel);
  }
  case CXType_ConstantArray: {
    CXType element = L.clang_getCanonicalType(L.clang_getArrayElementType(t));
    long long count = L.clang_getArraySize(t);
    // Arrays of plain `char`, as written, are strings, as bpftrace's clang parser reads
    // them; `unsigned char`, `signed char` and typedefs (uint8_t) are integer arrays
    // (bpftrace prints them as [2,1,0,0]). A typedef of the array is read through.
    CXType asWritten = written.kind == CXType_ConstantArray
                           ? L.clang_getArrayElementType(written)
                           : element;
    if ((asWritten.kind == CXType_Char_S || asWritten.kind == CXType_Char_U) && count > 0)
      return types.string(unsigned(count));
    if (auto e = convert(types, element, unsupported); e && !types.get(*e).isNone())
      return types.array(*e, unsigned(count));
    return std::nullopt;
  }
  case CXType_IncompleteArray: {
    // A flexible array member (`int y[];`), as upstream's clang parser takes it: an
    // array of 0 elements to the type table, as the kernel's BTF gives one, so that
    // indexing it reads past the struct's end and holding it whole is refused.
    CXType element = L.clang_getCanonicalType(L.clang_getArrayElementType(t));
    if (auto e = convert(types, element, unsupported); e && !types.get(*e).isNone())
      return types.array(*e, 0);
    return std::nullopt;
  }
  case CXType_Record: {
    std::string spelling = text(L.clang_getTypeSpelling(t));
    CXCursor decl = L.clang_getTypeDeclaration(t);
    bool fromScript = L.clang_Location_isFromMainFile(L.clang_getCursorLocation(decl)) != 0;
    bool isUnion = L.clang_getCursorKind(decl) == CXCursor_UnionDecl;
    // clang spells an anonymous struct by its typedef's name: "pair_t".
    std::string keyword = isUnion ? "union " : "struct ";
    std::string tag = spelling.compare(0, keyword.size(), keyword) == 0
                          ? spelling.substr(keyword.size())
                          : spelling;
    // A kernel type from a header: the target's BTF has the truth, relocated by CO-RE.
    if (!fromScript && btf && btf->load())
      if (auto k = btf->named(types, spelling))
        return k;
    if (size < 0) {
      unsupported = "incomplete type '" + spelling + "'";
      return std::nullopt;
    }
    records.emplace(keyword + tag, Decl{decl, fromScript});
    return types.record(RecordOrigin::C, tag, {}, unsigned(size),
                        unsigned(L.clang_Type_getAlignOf(t)), isUnion);
  }
  default:
    break;
  }
  if (!result && unsupported.empty())
    unsupported = "type '" + text(L.clang_getTypeSpelling(t)) + "'";
  return result;
}

std::optional<TypeId> CDefinitions::named(TypeTable &types, const std::string &spelling,
                                          bool scriptOnly) {
  const ClangLibrary &L = *s_->clang;
  State::Decl *d = nullptr;
  for (auto *table : {&s_->records, &s_->enums, &s_->typedefs})
    if (auto it = table->find(spelling); it != table->end()) {
      d = &it->second;
      break;
    }
  // A bare record name, as in bpftrace's `(nameidata *)arg0`.
  for (const char *kw : {"struct ", "union "})
    if (!d && spelling.find(' ') == std::string::npos)
      if (auto it = s_->records.find(kw + spelling); it != s_->records.end())
        d = &it->second;
  if (!d || (scriptOnly && !d->fromScript))
    return std::nullopt;
  std::string unsupported;
  return s_->convert(types, L.clang_getCursorType(d->cursor), unsupported);
}

// The enumerators' values as the language's 64-bit enum values hold them (clang's value:
// -2 is 0xff..fe, an unsigned enum's 0xffffffff stays 4294967295); a field narrower than
// 64 bits masks them to its width (lib/Lower/ManifestWriter.cpp).
std::optional<std::vector<std::pair<uint64_t, std::string>>>
CDefinitions::enumerators(const std::string &spelling) {
  const ClangLibrary &L = *s_->clang;
  auto it = s_->enums.find(spelling);
  if (it == s_->enums.end())
    return std::nullopt;
  struct Collect {
    State *s;
    std::vector<std::pair<uint64_t, std::string>> out;
  } collect{s_.get(), {}};
  L.clang_visitChildren(
      it->second.cursor,
      [](CXCursor c, CXCursor, CXClientData data) {
        auto &q = *static_cast<Collect *>(data);
        const ClangLibrary &L = *q.s->clang;
        if (L.clang_getCursorKind(c) == CXCursor_EnumConstantDecl)
          q.out.emplace_back(uint64_t(L.clang_getEnumConstantDeclValue(c)),
                             q.s->text(L.clang_getCursorSpelling(c)));
        return CXChildVisit_Continue;
      },
      &collect);
  return collect.out;
}

std::optional<CDefinitions::Member> CDefinitions::member(TypeTable &types, const Type &record,
                                                         const std::string &name,
                                                         std::string &unsupported) {
  const ClangLibrary &L = *s_->clang;
  auto it = s_->records.find((record.isUnion ? "union " : "struct ") + record.name);
  if (it == s_->records.end())
    return std::nullopt;
  // The member's declaration, through anonymous structs and unions.
  struct Search {
    const ClangLibrary *L;
    State *s;
    const std::string *name;
    std::optional<CXCursor> found;
  } search{&L, s_.get(), &name, std::nullopt};
  L.clang_visitChildren(
      it->second.cursor,
      [](CXCursor c, CXCursor, CXClientData data) {
        auto &q = *static_cast<Search *>(data);
        CXCursorKind kind = q.L->clang_getCursorKind(c);
        if ((kind == CXCursor_StructDecl || kind == CXCursor_UnionDecl) &&
            q.L->clang_Cursor_isAnonymousRecordDecl(c))
          return CXChildVisit_Recurse;
        if (kind == CXCursor_FieldDecl && q.s->text(q.L->clang_getCursorSpelling(c)) == *q.name) {
          q.found = c;
          return CXChildVisit_Break;
        }
        return CXChildVisit_Continue;
      },
      &search);
  if (!search.found)
    return std::nullopt;
  CXCursor field = *search.found;
  CXType recordType = L.clang_getCursorType(it->second.cursor);
  long long bits = L.clang_Type_getOffsetOf(recordType, name.c_str());
  if (bits < 0)
    return std::nullopt;
  auto type = s_->convert(types, L.clang_getCursorType(field), unsupported);
  if (!type)
    return std::nullopt;
  Member m;
  m.bitOffset = unsigned(bits);
  m.type = *type;
  if (L.clang_Cursor_isBitField(field))
    m.bitfieldSize = unsigned(L.clang_getFieldDeclBitWidth(field));
  return m;
}

std::vector<std::string> CDefinitions::memberNames(const Type &record) {
  const ClangLibrary &L = *s_->clang;
  struct Names {
    const ClangLibrary *L;
    State *s;
    std::vector<std::string> names;
  } names{&L, s_.get(), {}};
  auto it = s_->records.find((record.isUnion ? "union " : "struct ") + record.name);
  if (it == s_->records.end())
    return {};
  L.clang_visitChildren(
      it->second.cursor,
      [](CXCursor c, CXCursor, CXClientData data) {
        auto &q = *static_cast<Names *>(data);
        CXCursorKind kind = q.L->clang_getCursorKind(c);
        if ((kind == CXCursor_StructDecl || kind == CXCursor_UnionDecl) &&
            q.L->clang_Cursor_isAnonymousRecordDecl(c))
          return CXChildVisit_Recurse;
        if (kind == CXCursor_FieldDecl) {
          std::string name = q.s->text(q.L->clang_getCursorSpelling(c));
          if (!name.empty())
            q.names.push_back(std::move(name));
        }
        return CXChildVisit_Continue;
      },
      &names);
  return names.names;
}

} // namespace bt::sema

namespace bt::sema {

std::optional<TypeId> Typer::cType(const std::string &spelling, bool scriptOnly) {
  if (!R.cdefs)
    return std::nullopt;
  return R.cdefs->named(R.types, spelling, scriptOnly);
}

std::optional<CDefinitions::Member> Typer::cMemberOf(TypeId record, const std::string &name,
                                                    SourceRange r) {
  if (isDwarfRecord(record))
    return dwarfMemberOf(record, name, r);
  const Type &t = ty(record);
  std::string unsupported;
  auto m = R.cdefs->member(R.types, t, name, unsupported);
  if (!m) {
    if (!unsupported.empty())
      err(r, "member '" + name + "' of " + t.str() + " has " + unsupported +
                 ", which is not supported yet");
    else
      err(r, t.str() + " has no member '" + name + "'");
    return std::nullopt;
  }
  if (m->bitfieldSize && (!ty(m->type).isInt() || m->bitOffset % 8 + m->bitfieldSize > 64)) {
    // Its bytes are read into one u64 and shifted out: a bitfield of a packed struct
    // whose bits spill into a ninth byte would not fit.
    err(r, "bitfield '" + name + "' of " + ty(m->type).str() + " is not supported yet" +
               (ty(m->type).isInt() ? " (its bits span more than 8 bytes)" : ""));
    return std::nullopt;
  }
  return m;
}

TypeId Typer::cMember(const ast::FieldExpr *f, TypeId record) {
  auto m = cMemberOf(record, f->field, f->fieldRange);
  if (!m)
    return R.types.none();
  R.members[f] = {record, f->field, m->bitOffset, m->bitfieldSize, m->type};
  return m->type;
}

std::optional<TypeId> Typer::cConstant(const ast::IdentifierRef *id) {
  if (!R.cdefs)
    return std::nullopt;
  auto value = R.cdefs->constant(id->name);
  if (!value)
    return std::nullopt;
  R.constants[id] = *value;
  // An enumerator of the script's own enum is a value of that enum, as upstream types
  // it: print() and maps name it (scriptEnumNames); arithmetic makes a plain integer.
  // Unsigned 64-bit, as bpftrace (0.17 and upstream) types every enum value: `E - 0` of
  // an enumerator -2 prints 18446744073709551614, `sizeof(E)` is 8.
  if (auto e = R.cdefs->scriptEnumOf(id->name))
    return R.types.enumeration(*e, 8, false);
  return s64();
}

} // namespace bt::sema
