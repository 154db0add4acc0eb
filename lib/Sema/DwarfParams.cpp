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

// The length of an array's dimension: DW_AT_count, or DW_AT_upper_bound + 1 (C's lower bound
// is 0); none for a flexible array member.
std::optional<unsigned> dimension(const DwarfLibrary &L, Dwarf_Die *subrange) {
  Dwarf_Attribute attr;
  Dwarf_Word n = 0;
  if (L.dwarf_attr(subrange, DW_AT_count, &attr) && L.dwarf_formudata(&attr, &n) == 0)
    return unsigned(n);
  if (L.dwarf_attr(subrange, DW_AT_upper_bound, &attr) && L.dwarf_formudata(&attr, &n) == 0)
    return unsigned(n + 1);
  return std::nullopt;
}

DwarfType other(std::string spelling) {
  DwarfType t;
  t.spelling = std::move(spelling);
  return t;
}

DwarfType convert(const DwarfLibrary &L, const std::string &path, Dwarf_Die *die,
                  int depth = 0);

// The members of the struct or union `record` (those of its anonymous members too), each
// `base` bits further in.
void readMembers(const DwarfLibrary &L, const std::string &path, Dwarf_Die *record,
                 bool isUnion, unsigned base, unsigned recordSize,
                 std::vector<DwarfMember> &out, int depth) {
  Dwarf_Die child;
  if (depth > 16 || L.dwarf_child(record, &child) != 0)
    return;
  do {
    // Static members (C++) are declarations in the record, not bytes of it.
    if (L.dwarf_tag(&child) != DW_TAG_member || L.dwarf_hasattr(&child, DW_AT_declaration) ||
        L.dwarf_hasattr(&child, DW_AT_external))
      continue;
    DwarfMember m;
    m.name = nameOf(L, &child);
    Dwarf_Die type;
    m.type = typeOf(L, &child, &type) ? convert(L, path, &type, depth + 1) : other("void");
    Dwarf_Attribute attr;
    Dwarf_Word loc = 0, bits = 0;
    int bitSize = L.dwarf_hasattr(&child, DW_AT_bit_size) ? L.dwarf_bitsize(&child) : 0;
    if (L.dwarf_attr(&child, DW_AT_data_bit_offset, &attr) &&
        L.dwarf_formudata(&attr, &bits) == 0) {
      m.bitOffset = base + unsigned(bits);
    } else if (L.dwarf_attr(&child, DW_AT_data_member_location, &attr)) {
      if (L.dwarf_formudata(&attr, &loc) != 0)
        m.unreadable = "an offset that DWARF gives as an expression, which btc does not "
                       "evaluate";
      m.bitOffset = base + unsigned(loc) * 8;
      // DWARF 2's bitfield: DW_AT_bit_offset counts from the storage unit's most
      // significant bit; on these little-endian targets the member's lowest bit is
      // that many bits below the unit's top.
      if (bitSize > 0 && L.dwarf_attr(&child, DW_AT_bit_offset, &attr) &&
          L.dwarf_formudata(&attr, &bits) == 0) {
        int unit = L.dwarf_bytesize(&child);
        if (unit <= 0)
          unit = int(m.type.size);
        m.bitOffset += unsigned(unit * 8 - int(bits) - bitSize);
      }
    } else if (isUnion) {
      m.bitOffset = base;
    } else {
      m.unreadable = "no offset in the DWARF";
    }
    if (bitSize > 0)
      m.bitfieldSize = unsigned(bitSize);
    unsigned bytes = m.bitfieldSize ? (m.bitOffset % 8 + m.bitfieldSize + 7) / 8 : m.type.size;
    if (m.unreadable.empty() && m.bitOffset / 8 + bytes > recordSize)
      m.unreadable = "an offset past the end of its record in the DWARF";
    if (m.name.empty() && m.type.kind == DwarfType::Kind::Record && m.unreadable.empty()) {
      Dwarf_Die peeled;
      if (L.dwarf_peel_type(&type, &peeled) == 0)
        readMembers(L, path, &peeled, L.dwarf_tag(&peeled) == DW_TAG_union_type, m.bitOffset,
                    recordSize, out, depth + 1);
      continue;
    }
    if (!m.name.empty())
      out.push_back(std::move(m));
  } while (L.dwarf_siblingof(&child, &child) == 0);
}

DwarfType convert(const DwarfLibrary &L, const std::string &path, Dwarf_Die *die, int depth) {
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
      t.isChar = size == 1 && (enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char);
      return t;
    }
    return other(spell(L, &peeled));
  }
  case DW_TAG_enumeration_type: {
    if (size != 1 && size != 2 && size != 4 && size != 8)
      return other(spell(L, &peeled));
    t.kind = DwarfType::Kind::Int;
    t.size = unsigned(size);
    Dwarf_Die base;
    if (typeOf(L, &peeled, &base)) // the enum's underlying type, where DWARF names it
      t.isSigned = convert(L, path, &base, depth + 1).isSigned;
    return t;
  }
  case DW_TAG_pointer_type:
  case DW_TAG_reference_type:
  case DW_TAG_rvalue_reference_type: {
    t.kind = DwarfType::Kind::Pointer;
    t.size = 8;
    Dwarf_Die inner;
    t.pointee = std::make_shared<DwarfType>();
    if (!typeOf(L, &peeled, &inner))
      t.pointee->kind = DwarfType::Kind::Void;
    else
      *t.pointee = convert(L, path, &inner, depth + 1);
    return t;
  }
  case DW_TAG_array_type: {
    Dwarf_Die element, child;
    if (!typeOf(L, &peeled, &element))
      return other("an array of no type");
    std::vector<unsigned> dims;
    if (L.dwarf_child(&peeled, &child) == 0) {
      do {
        if (L.dwarf_tag(&child) != DW_TAG_subrange_type)
          continue;
        auto n = dimension(L, &child);
        if (!n || *n == 0)
          return other("a flexible array");
        dims.push_back(*n);
      } while (L.dwarf_siblingof(&child, &child) == 0);
    }
    if (dims.empty())
      return other("a flexible array");
    DwarfType e = convert(L, path, &element, depth + 1);
    if (e.kind == DwarfType::Kind::Other || e.kind == DwarfType::Kind::Void)
      return other("an array of " + (e.spelling.empty() ? spell(L, &element) : e.spelling));
    for (auto d = dims.rbegin(); d != dims.rend(); ++d) {
      DwarfType a;
      a.kind = DwarfType::Kind::Array;
      a.count = *d;
      a.size = e.size * *d;
      a.pointee = std::make_shared<DwarfType>(std::move(e));
      e = std::move(a);
    }
    return e;
  }
  case DW_TAG_structure_type:
  case DW_TAG_class_type:
  case DW_TAG_union_type: {
    bool isUnion = L.dwarf_tag(&peeled) == DW_TAG_union_type;
    t.kind = DwarfType::Kind::Record;
    t.size = size > 0 ? unsigned(size) : 0;
    t.record = (isUnion ? "union " : "struct ") + nameOf(L, &peeled);
    t.path = path;
    if (L.dwarf_hasattr(&peeled, DW_AT_declaration))
      return t; // opaque here: no die, no members
    t.die = L.dwarf_dieoffset(&peeled);
    Dwarf_Attribute attr;
    Dwarf_Word cc = 0;
    t.byReference = L.dwarf_attr(&peeled, DW_AT_calling_convention, &attr) &&
                    L.dwarf_formudata(&attr, &cc) == 0 && cc == DW_CC_pass_by_reference;
    // alignas gives DWARF an alignment; otherwise DwarfParams::alignOf works it out
    // from the members when the record is used.
    Dwarf_Word explicitAlign = 0;
    if (L.dwarf_attr(&peeled, DW_AT_alignment, &attr) &&
        L.dwarf_formudata(&attr, &explicitAlign) == 0)
      t.align = unsigned(explicitAlign);
    return t;
  }
  default:
    return other(spell(L, &peeled));
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

} // namespace

struct DwarfParams::File {
  const DwarfLibrary *L = nullptr;
  Dwfl *dwfl = nullptr;
  Dwarf *dbg = nullptr; // dwfl's: in the file, or in its separate debug file
  std::string error;
  char *debugInfoPath = nullptr; // libdwfl's default: the file's directory, .debug/, /usr/lib/debug
  Dwfl_Callbacks callbacks{};
};

DwarfParams::DwarfParams() = default;

DwarfParams::~DwarfParams() {
  for (auto &[path, file] : files_)
    if (file->dwfl)
      file->L->dwfl_end(file->dwfl);
}

// The file's DWARF as elfutils' tools find it: its own sections, else the debug file its
// build id names (/usr/lib/debug/.build-id/xx/rest.debug) or its .gnu_debuglink names
// (beside it, in .debug/ there, or under /usr/lib/debug), which libdwfl takes only when
// its build id (or CRC) is the file's.
DwarfParams::File &DwarfParams::open(const std::string &path) {
  std::unique_ptr<File> &slot = files_[path];
  if (slot)
    return *slot;
  slot = std::make_unique<File>();
  File &f = *slot;
  f.L = DwarfLibrary::get(f.error);
  if (!f.L)
    return f;
  const DwarfLibrary &L = *f.L;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    f.error = "cannot open '" + path + "': " + std::strerror(errno);
    return f;
  }
  ::close(fd);
  f.callbacks = {L.dwfl_build_id_find_elf, L.dwfl_standard_find_debuginfo,
                 L.dwfl_offline_section_address, &f.debugInfoPath};
  f.dwfl = L.dwfl_begin(&f.callbacks);
  if (!f.dwfl) {
    f.error = std::string("libdwfl: ") + L.dwfl_errmsg(-1);
    return f;
  }
  L.dwfl_report_begin(f.dwfl);
  Dwfl_Module *module = L.dwfl_report_offline(f.dwfl, path.c_str(), path.c_str(), -1);
  if (!module || L.dwfl_report_end(f.dwfl, nullptr, nullptr) != 0) {
    f.error = "cannot read '" + path + "': " + L.dwfl_errmsg(-1);
    return f;
  }
  Dwarf_Addr bias = 0;
  f.dbg = L.dwfl_module_getdwarf(module, &bias);
  if (!f.dbg)
    f.error = "'" + path + "' has no DWARF debug information (compile it with -g), and no "
              "separate debug file was found for it by its build id or .gnu_debuglink";
  return f;
}

const DwarfFunction &DwarfParams::function(const std::string &path, const std::string &symbol,
                                           unsigned registers, const std::string &arch) {
  auto key = std::make_pair(path, symbol);
  if (auto it = cache_.find(key); it != cache_.end())
    return it->second;
  DwarfFunction &f = cache_[key];
  File &file = open(path);
  if (!file.dbg) {
    f.error = file.error;
    return f;
  }
  const DwarfLibrary &L = *file.L;
  Dwarf_Off off = 0, next = 0;
  size_t headerSize = 0;
  Dwarf_Die fn;
  bool found = false;
  while (!found &&
         L.dwarf_nextcu(file.dbg, off, &next, &headerSize, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die unit;
    if (L.dwarf_offdie(file.dbg, off + headerSize, &unit))
      found = findFunction(L, &unit, symbol, &fn);
    off = next;
  }
  if (!found) {
    f.error = "the DWARF of '" + path + "' has no function '" + symbol + "'";
    return f;
  }
  Dwarf_Attribute attr;
  Dwarf_Word cc = DW_CC_normal;
  if (L.dwarf_attr_integrate(&fn, DW_AT_calling_convention, &attr))
    L.dwarf_formudata(&attr, &cc);
  std::vector<bool> smallFloats; // a float or double: in a vector register
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
      p.type = convert(L, path, hasType ? &type : nullptr);
      unsigned floatSize = 0;
      smallFloats.push_back(hasType && isFloat(L, &type, floatSize) && floatSize <= 8);
      f.params.push_back(std::move(p));
    } while (L.dwarf_siblingof(&child, &child) == 0);
  }
  if (cc == DW_CC_nocall) // the compiler changed how it is called (a local function)
    for (DwarfParam &p : f.params)
      p.unreadable = "a parameter of a function the compiler calls in a way of its own "
                     "(DW_CC_nocall), not by the calling convention";
  else
    assignPlaces(f.params, smallFloats, registers, arch);
  return f;
}

const DwarfRecord &DwarfParams::record(const DwarfType &t) {
  DwarfRecord &r = records_[{t.path, t.die}];
  if (!r.members.empty() || !r.error.empty())
    return r;
  File &file = open(t.path);
  Dwarf_Die die;
  if (!t.die)
    r.error = t.record + " is only declared in the DWARF of '" + t.path + "'";
  else if (!file.dbg || !file.L->dwarf_offdie(file.dbg, t.die, &die))
    r.error = "cannot read " + t.record + " in the DWARF of '" + t.path + "'";
  else
    readMembers(*file.L, t.path, &die, t.record.compare(0, 6, "union ") == 0, 0, t.size,
                r.members, 0);
  if (r.members.empty() && r.error.empty())
    r.error = t.record + " has no members in the DWARF of '" + t.path + "'";
  return r;
}

unsigned DwarfParams::alignOf(const DwarfType &t, int depth) {
  switch (t.kind) {
  case DwarfType::Kind::Int:
  case DwarfType::Kind::Pointer:
    return t.size;
  case DwarfType::Kind::Array:
    return alignOf(*t.pointee, depth);
  case DwarfType::Kind::Record: {
    if (t.align || depth > 16)
      return std::max(t.align, 1u);
    // The widest member's; a size that is no multiple of it is a packed record's.
    unsigned align = 1;
    for (const DwarfMember &m : record(t).members)
      align = std::max(align, alignOf(m.type, depth + 1));
    return t.size % align ? 1 : align;
  }
  default:
    return 1;
  }
}

// Where each parameter is at entry: integers and pointers take the next integer
// register, then the next stack word; a float takes one of 8 vector registers, then a
// stack word. A struct or union of integers and pointers takes one word per 8 bytes: up
// to 16 bytes in integer registers where enough are left, else on the stack (x86-64's
// System V ABI puts one over 16 bytes on the stack; AArch64's AAPCS64 passes such a one
// by reference, which btc does not read). Any other (floats in a struct, long double,
// wider integers) is passed in ways btc does not work out, so it and every later
// parameter are left unread, never read from a wrong place.
void DwarfParams::assignPlaces(std::vector<DwarfParam> &params,
                               const std::vector<bool> &smallFloats, unsigned registers,
                               const std::string &arch) {
  unsigned ints = 0, floats = 0, stackWords = 0;
  bool aapcs = arch == "aarch64";
  std::string lost;
  for (size_t i = 0; i < params.size(); ++i) {
    DwarfParam &p = params[i];
    bool integer = p.type.kind == DwarfType::Kind::Int || p.type.kind == DwarfType::Kind::Pointer;
    if (!lost.empty()) {
      p.unreadable = lost;
      continue;
    }
    if (integer) {
      p.argIndex = ints < registers ? ints++ : registers + stackWords++;
      continue;
    }
    if (smallFloats[i]) {
      p.unreadable = "a floating-point value, which is passed in a vector register";
      if (floats < 8)
        ++floats;
      else
        ++stackWords;
      continue;
    }
    std::string why;
    if (p.type.kind == DwarfType::Kind::Record) {
      unsigned words = (p.type.size + 7) / 8;
      why = p.type.byReference ? "a type the compiler passes by reference" : integersOnly(p.type);
      if (why.empty() && (words == 0 || arch.empty()))
        why = words ? "an arch btc does not know" : "no bytes";
      if (why.empty() && aapcs && p.type.size > 16)
        why = "over 16 bytes (AAPCS64 passes it by reference to a copy)";
      if (why.empty()) {
        bool inRegisters = p.type.size <= 16 && ints + words <= registers;
        if (!inRegisters && aapcs)
          ints = registers; // AAPCS64: no later integer goes in a register either
        p.argIndex = inRegisters ? ints : registers + stackWords;
        (inRegisters ? ints : stackWords) += words;
        continue;
      }
      p.unreadable = "a " + p.type.record.substr(0, p.type.record.find(' ')) +
                     " passed by value with " + why + ", which btc does not place";
    } else {
      p.unreadable = "'" + p.spelling + "', which is in no integer register";
    }
    lost = "after '" + (p.name.empty() ? p.spelling : p.name) + "' (" + p.spelling +
           "), whose place btc does not work out, so its own is unknown";
  }
}

// "" when `t` holds integers and pointers only, each at an offset of its alignment
// (what the calling conventions pass in integer registers); else what it holds instead.
std::string DwarfParams::integersOnly(const DwarfType &t, int depth) {
  switch (t.kind) {
  case DwarfType::Kind::Int:
  case DwarfType::Kind::Pointer:
    return "";
  case DwarfType::Kind::Array:
    return integersOnly(*t.pointee, depth + 1);
  case DwarfType::Kind::Record: {
    if (depth > 16)
      return "records nested too deep";
    if (alignOf(t) > 8)
      return "an alignment over 8 bytes";
    const DwarfRecord &r = record(t);
    if (!r.error.empty())
      return r.error;
    for (const DwarfMember &m : r.members) {
      if (!m.unreadable.empty())
        return "member '" + m.name + "' of " + m.unreadable;
      if (!m.bitfieldSize && m.bitOffset % (8 * alignOf(m.type)))
        return "member '" + m.name + "' at an offset unaligned for its type (packed)";
      if (std::string why = integersOnly(m.type, depth + 1); !why.empty())
        return why;
    }
    return "";
  }
  default:
    return t.spelling.empty() ? "a member of no type btc reads"
                              : "a member of type '" + t.spelling + "'";
  }
}

} // namespace bt::sema

namespace bt {

std::vector<std::string> uprobeParameters(const std::string &path, const std::string &symbol) {
  sema::DwarfParams dwarf;
  std::vector<std::string> lines;
  for (const sema::DwarfParam &p : dwarf.function(path, symbol, 0, "").params)
    lines.push_back(p.spelling + (p.name.empty() ? "" : " " + p.name));
  return lines;
}

} // namespace bt
