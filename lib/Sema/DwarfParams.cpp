#include "DwarfParams.h"
#include "DwarfLibrary.h"

#include "bt/Sema/ProbeListing.h"

#include <dwarf.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bt::sema {

namespace {

// The DIE an attribute of `die` refers to (through abstract origins and specifications).
bool typeOf(const DwarfLibrary &L, Dwarf_Die *die, Dwarf_Die *out) {
  Dwarf_Attribute attr;
  return L.dwarf_attr_integrate(die, DW_AT_type, &attr) && L.dwarf_formref_die(&attr, out);
}

std::string nameOf(const DwarfLibrary &L, Dwarf_Die *die) {
  const char *n = L.dwarf_diename(die);
  return n ? n : "";
}

// As bpftrace -lv spells a parameter's type: C's words, `*` against the pointee.
std::string spell(const DwarfLibrary &L, Dwarf_Die *die, int depth = 0) {
  if (!die || depth > 16)
    return "void";
  Dwarf_Die inner;
  bool hasInner = typeOf(L, die, &inner);
  switch (L.dwarf_tag(die)) {
  case DW_TAG_pointer_type:
    return (hasInner ? spell(L, &inner, depth + 1) : "void") + "*";
  case DW_TAG_reference_type:
    return (hasInner ? spell(L, &inner, depth + 1) : "void") + "&";
  case DW_TAG_const_type:
    return "const " + (hasInner ? spell(L, &inner, depth + 1) : "void");
  case DW_TAG_volatile_type:
    return "volatile " + (hasInner ? spell(L, &inner, depth + 1) : "void");
  case DW_TAG_restrict_type:
    return hasInner ? spell(L, &inner, depth + 1) : "void";
  case DW_TAG_structure_type:
  case DW_TAG_class_type:
    return "struct " + nameOf(L, die);
  case DW_TAG_union_type:
    return "union " + nameOf(L, die);
  case DW_TAG_enumeration_type:
    return "enum " + nameOf(L, die);
  case DW_TAG_subroutine_type:
    return "function";
  default:
    return nameOf(L, die);
  }
}

DwarfType convert(const DwarfLibrary &L, Dwarf_Die *die, int depth = 0) {
  DwarfType t;
  Dwarf_Die peeled;
  if (!die || depth > 16)
    return t;
  if (L.dwarf_peel_type(die, &peeled) != 0)
    return t;
  int size = L.dwarf_bytesize(&peeled);
  switch (L.dwarf_tag(&peeled)) {
  case DW_TAG_base_type: {
    Dwarf_Attribute attr;
    Dwarf_Word enc = 0;
    if (!L.dwarf_attr(&peeled, DW_AT_encoding, &attr) || L.dwarf_formudata(&attr, &enc) != 0)
      return t;
    bool integer = enc == DW_ATE_signed || enc == DW_ATE_unsigned || enc == DW_ATE_signed_char ||
                   enc == DW_ATE_unsigned_char || enc == DW_ATE_boolean || enc == DW_ATE_UTF;
    if (integer && (size == 1 || size == 2 || size == 4 || size == 8)) {
      t.kind = DwarfType::Kind::Int;
      t.size = unsigned(size);
      t.isSigned = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
    }
    return t;
  }
  case DW_TAG_enumeration_type: {
    if (size != 1 && size != 2 && size != 4 && size != 8)
      return t;
    t.kind = DwarfType::Kind::Int;
    t.size = unsigned(size);
    Dwarf_Die base;
    if (typeOf(L, &peeled, &base)) // the enum's underlying type, where DWARF names it
      t.isSigned = convert(L, &base, depth + 1).isSigned;
    return t;
  }
  case DW_TAG_pointer_type:
  case DW_TAG_reference_type:
  case DW_TAG_rvalue_reference_type: {
    t.kind = DwarfType::Kind::Pointer;
    Dwarf_Die inner;
    t.pointee = std::make_shared<DwarfType>();
    if (!typeOf(L, &peeled, &inner))
      t.pointee->kind = DwarfType::Kind::Void;
    else
      *t.pointee = convert(L, &inner, depth + 1);
    return t;
  }
  case DW_TAG_structure_type:
  case DW_TAG_class_type:
  case DW_TAG_union_type:
    t.kind = DwarfType::Kind::Record;
    t.size = size > 0 ? unsigned(size) : 0;
    t.record =
        (L.dwarf_tag(&peeled) == DW_TAG_union_type ? "union " : "struct ") + nameOf(L, &peeled);
    return t;
  default:
    return t;
  }
}

bool isFloat(const DwarfLibrary &L, Dwarf_Die *die, unsigned &size) {
  Dwarf_Die peeled;
  Dwarf_Attribute attr;
  Dwarf_Word enc = 0;
  if (L.dwarf_peel_type(die, &peeled) != 0 || L.dwarf_tag(&peeled) != DW_TAG_base_type ||
      !L.dwarf_attr(&peeled, DW_AT_encoding, &attr) || L.dwarf_formudata(&attr, &enc) != 0)
    return false;
  size = unsigned(std::max(L.dwarf_bytesize(&peeled), 0));
  return enc == DW_ATE_float;
}

// The definition of `symbol` in the DIEs under `parent` (a unit, or a namespace in it).
bool findFunction(const DwarfLibrary &L, Dwarf_Die *parent, const std::string &symbol,
                  Dwarf_Die *out) {
  Dwarf_Die child;
  if (L.dwarf_child(parent, &child) != 0)
    return false;
  do {
    int tag = L.dwarf_tag(&child);
    if (tag == DW_TAG_namespace && findFunction(L, &child, symbol, out))
      return true;
    if (tag != DW_TAG_subprogram || L.dwarf_hasattr(&child, DW_AT_declaration) ||
        !(L.dwarf_hasattr(&child, DW_AT_low_pc) || L.dwarf_hasattr(&child, DW_AT_ranges)))
      continue;
    Dwarf_Attribute attr;
    const char *linkage = nullptr;
    if (L.dwarf_attr_integrate(&child, DW_AT_linkage_name, &attr) ||
        L.dwarf_attr_integrate(&child, DW_AT_MIPS_linkage_name, &attr))
      linkage = L.dwarf_formstring(&attr);
    if ((linkage && symbol == linkage) || (!linkage && nameOf(L, &child) == symbol)) {
      *out = child;
      return true;
    }
  } while (L.dwarf_siblingof(&child, &child) == 0);
  return false;
}

// Where each parameter is at entry: integers and pointers take the next integer
// register, then the next stack word; a float takes one of 8 vector registers, then a
// stack word. A struct, union, long double or wider integer is passed in ways btc does
// not work out (by parts, by reference, in memory), so it and every later parameter are
// left unread, never read from a wrong place.
void assignPlaces(const DwarfLibrary &L, std::vector<DwarfParam> &params,
                  const std::vector<Dwarf_Die> &dies, unsigned registers) {
  unsigned ints = 0, floats = 0, stackWords = 0;
  std::string lost;
  for (size_t i = 0; i < params.size(); ++i) {
    DwarfParam &p = params[i];
    Dwarf_Die die = dies[i], type;
    unsigned floatSize = 0;
    bool hasType = typeOf(L, &die, &type);
    bool integer = p.type.kind == DwarfType::Kind::Int || p.type.kind == DwarfType::Kind::Pointer;
    if (!lost.empty()) {
      p.unreadable = lost;
      continue;
    }
    if (integer) {
      p.argIndex = ints < registers ? ints++ : registers + stackWords++;
      continue;
    }
    if (hasType && isFloat(L, &type, floatSize) && floatSize <= 8) {
      p.unreadable = "a floating-point value, which is passed in a vector register";
      if (floats < 8)
        ++floats;
      else
        ++stackWords;
      continue;
    }
    p.unreadable = p.type.kind == DwarfType::Kind::Record
                       ? "a " + p.type.record.substr(0, p.type.record.find(' ')) +
                             " passed by value, which the calling convention passes in parts "
                             "or in memory"
                       : "'" + p.spelling + "', which is in no integer register";
    lost = "after '" + (p.name.empty() ? p.spelling : p.name) + "' (" + p.spelling +
           "), whose place btc does not work out, so its own is unknown";
  }
}

} // namespace

const DwarfFunction &DwarfParams::function(const std::string &path, const std::string &symbol,
                                           unsigned registers) {
  auto key = std::make_pair(path, symbol);
  if (auto it = cache_.find(key); it != cache_.end())
    return it->second;
  DwarfFunction &f = cache_[key];
  const DwarfLibrary *dw = DwarfLibrary::get(f.error);
  if (!dw)
    return f;
  const DwarfLibrary &L = *dw;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    f.error = "cannot open '" + path + "': " + std::strerror(errno);
    return f;
  }
  Dwarf *dbg = L.dwarf_begin(fd, DWARF_C_READ);
  if (!dbg) {
    ::close(fd);
    f.error = "'" + path + "' has no DWARF debug information (compile it with -g)";
    return f;
  }
  Dwarf_Off off = 0, next = 0;
  size_t headerSize = 0;
  Dwarf_Die fn;
  bool found = false;
  while (!found && L.dwarf_nextcu(dbg, off, &next, &headerSize, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die unit;
    if (L.dwarf_offdie(dbg, off + headerSize, &unit))
      found = findFunction(L, &unit, symbol, &fn);
    off = next;
  }
  if (!found) {
    f.error = "the DWARF of '" + path + "' has no function '" + symbol + "'";
  } else {
    Dwarf_Attribute attr;
    Dwarf_Word cc = DW_CC_normal;
    if (L.dwarf_attr_integrate(&fn, DW_AT_calling_convention, &attr))
      L.dwarf_formudata(&attr, &cc);
    std::vector<Dwarf_Die> dies;
    Dwarf_Die child;
    if (L.dwarf_child(&fn, &child) == 0) {
      do {
        if (L.dwarf_tag(&child) != DW_TAG_formal_parameter)
          continue;
        DwarfParam p;
        p.name = nameOf(L, &child);
        Dwarf_Die type;
        bool hasType = typeOf(L, &child, &type);
        p.spelling = hasType ? spell(L, &type) : "void";
        p.type = convert(L, hasType ? &type : nullptr);
        f.params.push_back(std::move(p));
        dies.push_back(child);
      } while (L.dwarf_siblingof(&child, &child) == 0);
    }
    if (cc == DW_CC_nocall) // the compiler changed how it is called (a local function)
      for (DwarfParam &p : f.params)
        p.unreadable = "a parameter of a function the compiler calls in a way of its own "
                       "(DW_CC_nocall), not by the calling convention";
    else
      assignPlaces(L, f.params, dies, registers);
  }
  L.dwarf_end(dbg);
  ::close(fd);
  return f;
}

} // namespace bt::sema

namespace bt {

std::vector<std::string> uprobeParameters(const std::string &path, const std::string &symbol) {
  sema::DwarfParams dwarf;
  std::vector<std::string> lines;
  for (const sema::DwarfParam &p : dwarf.function(path, symbol, 0).params)
    lines.push_back(p.spelling + (p.name.empty() ? "" : " " + p.name));
  return lines;
}

} // namespace bt
