// `import "x.bpf.o";`: the BPF objects a script imports (include/bt/Lower/CSources.h).
// An object is not compiled again: btc reads the prototypes of its global functions
// from its BTF (as upstream does), the script's calls become calls of external
// functions, and libbpf's static linker (bpf_linker, as upstream links its imports)
// joins the object to btc's own once code generation is done, before the manifest's
// digests are taken, so that they cover the linked bytes.
//
// The object's writable data (.data*, .bss*) and BTF-defined maps (.maps) are linked in
// under their own names (a linked symbol cannot be renamed as a .bpf.c's is), so each
// global one is listed for BpfObjectLink.cpp's check against the names btc gives the
// script's maps and programs. Its SEC() programs would have to reach the manifest, which
// btc writes from the script: a located error at the import, as for an imported .bpf.c.
#include "bt/Lower/CSources.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <filesystem>
#include <map>
#include <set>

namespace bt {

using namespace llvm;

namespace {

// A BPF call passes its arguments in r1-r5.
constexpr unsigned kMaxCallArguments = 5;

struct BtfFree {
  void operator()(struct btf *b) const { btf__free(b); }
};
using BtfPtr = std::unique_ptr<struct btf, BtfFree>;

// The object's .BTF, parsed; null when it has none or libbpf cannot read it.
BtfPtr readBtf(const object::ObjectFile &obj) {
  for (const object::SectionRef &s : obj.sections()) {
    auto name = s.getName();
    if (!name || *name != ".BTF")
      continue;
    auto contents = s.getContents();
    if (!contents)
      return nullptr;
    struct btf *b = btf__new(contents->data(), uint32_t(contents->size()));
    return BtfPtr(libbpf_get_error(b) ? nullptr : b);
  }
  return nullptr;
}

std::string btfName(const struct btf *b, const struct btf_type *t) {
  const char *n = btf__name_by_offset(b, t->name_off);
  return n ? n : "";
}

// A type as C spells it ("struct pair *", "u32").
std::string spelled(const struct btf *b, uint32_t id) {
  if (!id)
    return "void";
  const struct btf_type *t = btf__type_by_id(b, id);
  if (!t)
    return "?";
  switch (btf_kind(t)) {
  case BTF_KIND_PTR:
    return spelled(b, t->type) + " *";
  case BTF_KIND_CONST:
    return "const " + spelled(b, t->type);
  case BTF_KIND_VOLATILE:
    return "volatile " + spelled(b, t->type);
  case BTF_KIND_RESTRICT:
    return spelled(b, t->type);
  case BTF_KIND_STRUCT:
    return "struct " + btfName(b, t);
  case BTF_KIND_UNION:
    return "union " + btfName(b, t);
  case BTF_KIND_ENUM:
  case BTF_KIND_ENUM64:
    return "enum " + btfName(b, t);
  case BTF_KIND_FWD:
    return (btf_kflag(t) ? "union " : "struct ") + btfName(b, t);
  case BTF_KIND_FUNC_PROTO:
    return "a function";
  case BTF_KIND_ARRAY:
    return spelled(b, btf_array(t)->type) + "[]";
  default:
    return btfName(b, t);
  }
}

// A parameter's or the result's type, typedefs and qualifiers looked through (as
// ExternalCType describes a .bpf.c's from its debug info).
ExternalCType cType(const struct btf *b, uint32_t id) {
  ExternalCType out;
  out.spelling = spelled(b, id);
  const struct btf_type *t = id ? btf__type_by_id(b, id) : nullptr;
  while (t && (btf_is_typedef(t) || btf_is_mod(t)))
    t = t->type ? btf__type_by_id(b, t->type) : nullptr;
  if (!t) {
    out.kind = ExternalCType::Void;
    return out;
  }
  if (btf_is_ptr(t)) {
    out.kind = ExternalCType::Pointer;
    out.bytes = 8;
  } else if (btf_is_int(t)) {
    unsigned encoding = btf_int_encoding(t);
    if (encoding & BTF_INT_BOOL) {
      out.kind = ExternalCType::Bool;
      out.bytes = t->size;
    } else if (t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8) {
      out.kind = ExternalCType::Int;
      out.bytes = t->size;
      out.isSigned = encoding & BTF_INT_SIGNED;
    }
  } else if (btf_is_any_enum(t) && (t->size == 1 || t->size == 2 || t->size == 4 ||
                                    t->size == 8)) {
    out.kind = ExternalCType::Int;
    out.bytes = t->size;
    out.isSigned = btf_kflag(t); // a signed enum's flag
  }
  return out;
}

// The names a BTF DATASEC lists (.ksyms' and .kconfig's externs, which libbpf resolves
// when it loads the object).
std::set<std::string> dataSecNames(const struct btf *b, const std::string &section) {
  std::set<std::string> names;
  for (uint32_t id = 1; id < btf__type_cnt(b); ++id) {
    const struct btf_type *t = btf__type_by_id(b, id);
    if (!btf_is_datasec(t) || btfName(b, t) != section)
      continue;
    const struct btf_var_secinfo *v = btf_var_secinfos(t);
    for (unsigned i = 0; i < btf_vlen(t); ++i, ++v)
      names.insert(btfName(b, btf__type_by_id(b, v->type)));
  }
  return names;
}

// The global BTF FUNCs, by name.
std::map<std::string, const struct btf_type *> globalFuncs(const struct btf *b) {
  std::map<std::string, const struct btf_type *> funcs;
  for (uint32_t id = 1; id < btf__type_cnt(b); ++id) {
    const struct btf_type *t = btf__type_by_id(b, id);
    if (btf_is_func(t) && btf_vlen(t) == BTF_FUNC_GLOBAL /* a FUNC's linkage */)
      funcs[btfName(b, t)] = t;
  }
  return funcs;
}

} // namespace

std::string linkedObjectName(const std::string &name) { return "bt_obj." + name; }

bool isBpfObjectImport(const std::string &path) {
  std::filesystem::path p(path);
  return p.extension() == ".o" && p.stem().extension() == ".bpf";
}

bool readBpfObject(const CSourceImport &source, DiagnosticEngine &diags, ExternalC &into) {
  std::string file = std::filesystem::path(source.path).filename().string();
  auto fail = [&](const std::string &why) {
    diags.error(source.range, "cannot import '" + file + "': " + why);
    return false;
  };
  auto binary = object::ObjectFile::createObjectFile(source.path);
  if (!binary)
    return fail(toString(binary.takeError()));
  const object::ObjectFile &obj = *binary->getBinary();
  auto *elf = dyn_cast<object::ELFObjectFileBase>(&obj);
  if (!elf || !obj.is64Bit() || elf->getEMachine() != ELF::EM_BPF ||
      elf->getEType() != ELF::ET_REL)
    return fail("not a BPF object (a relocatable ELF64 file for EM_BPF, as clang -target "
                "bpf -c writes)");
  // btc writes little-endian BPF (bpfel), which btrun loads; the linker joins objects of
  // one byte order.
  if (!obj.isLittleEndian())
    return fail("a big-endian BPF object, and btc's objects are little-endian (clang "
                "-target bpfel builds one)");
  BtfPtr btf = readBtf(obj);
  if (!btf)
    return fail("it has no BTF (.BTF) that libbpf can read, which its functions' "
                "prototypes come from and the linker needs (compile it with clang -g)");

  bool ok = true;
  auto refuse = [&](const std::string &what) {
    diags.error(source.range, what + " in '" + file + "' is not supported yet: only its "
                              "global functions, data and maps can be imported");
    ok = false;
  };
  std::map<uint64_t, std::string> sectionOf; // by index
  struct DataSymbol {
    uint64_t section, offset, size;
    std::string name;
  };
  std::vector<DataSymbol> dataSymbols; // the symbols of .rodata*, .data* and .bss*
  ExternalCObject object{source.path, source.range, {}, std::nullopt, false};
  for (const object::SectionRef &s : obj.sections()) {
    auto name = s.getName();
    if (!name)
      return fail(toString(name.takeError()));
    sectionOf[s.getIndex()] = name->str();
  }
  std::set<std::string> externsLibbpfResolves = dataSecNames(btf.get(), ".ksyms");
  for (const std::string &n : dataSecNames(btf.get(), ".kconfig"))
    externsLibbpfResolves.insert(n);
  auto funcs = globalFuncs(btf.get());
  for (const object::ELFSymbolRef &sym : elf->symbols()) {
    auto name = sym.getName();
    auto section = sym.getSection();
    if (!name || !section)
      return fail("its symbol table cannot be read");
    uint8_t binding = sym.getBinding(), type = sym.getELFType();
    if (name->empty() || type == ELF::STT_SECTION || type == ELF::STT_FILE)
      continue;
    if (*section == obj.section_end()) {
      if (binding != ELF::STB_LOCAL && !externsLibbpfResolves.count(name->str()))
        refuse("the extern '" + name->str() + "'");
      continue;
    }
    std::string secName = sectionOf[(*section)->getIndex()];
    uint64_t flags = object::ELFSectionRef(**section).getFlags();
    bool global = binding != ELF::STB_LOCAL;
    if (secName == ".maps") {
      if (global)
        object.globals.push_back(name->str());
      else // libbpf 1.1 refuses to open it ("unsupported map linkage static")
        refuse("the static map '" + name->str() + "' (libbpf takes a global map only)");
    } else if (secName == "maps") {
      refuse("the map '" + name->str() + "' in the legacy section 'maps' (libbpf 1.0 "
             "loads only BTF-defined maps, SEC(\".maps\"))");
    } else if (secName == "license" || secName == "version") {
      continue; // the one licence the linker keeps (Sema checks its text)
    } else if ((flags & ELF::SHF_ALLOC) && (flags & ELF::SHF_WRITE)) {
      // libbpf makes a map of each .data* and .bss* section; of no other.
      if (!StringRef(secName).starts_with(".data") && !StringRef(secName).starts_with(".bss"))
        refuse("the global data '" + name->str() + "' in section '" + secName + "'");
      else if (auto value = sym.getValue()) {
        dataSymbols.push_back({(*section)->getIndex(), *value, sym.getSize(), name->str()});
        if (global)
          object.globals.push_back(name->str());
      } else
        return fail(toString(value.takeError()));
    } else if ((flags & ELF::SHF_ALLOC) && !(flags & ELF::SHF_EXECINSTR)) {
      if (!StringRef(secName).starts_with(".rodata"))
        refuse("the constant '" + name->str() + "' in section '" + secName + "'");
      else if (auto value = sym.getValue())
        dataSymbols.push_back({(*section)->getIndex(), *value, sym.getSize(), name->str()});
      else
        return fail(toString(value.takeError()));
    } else if ((flags & ELF::SHF_EXECINSTR) && secName != ".text") {
      if (type == ELF::STT_FUNC)
        refuse("the program '" + name->str() + "' (SEC(\"" + secName + "\"))");
    } else if (secName == ".text" && type == ELF::STT_FUNC && binding == ELF::STB_GLOBAL) {
      auto f = funcs.find(name->str());
      if (f == funcs.end()) {
        refuse("the function '" + name->str() + "' without BTF");
        continue;
      }
      if (into.find(name->str())) {
        diags.error(source.range, "the function '" + name->str() + "' of '" + file +
                                      "' is defined by another import too");
        ok = false;
        continue;
      }
      const struct btf_type *proto = btf__type_by_id(btf.get(), f->second->type);
      ExternalCFunction fn;
      fn.name = name->str();
      fn.file = file;
      fn.inObject = true;
      fn.result = cType(btf.get(), proto->type);
      const struct btf_param *p = btf_params(proto);
      for (unsigned i = 0; i < btf_vlen(proto); ++i, ++p) {
        fn.params.push_back(cType(btf.get(), p->type));
        const char *pn = btf__name_by_offset(btf.get(), p->name_off);
        fn.paramNames.emplace_back(pn ? pn : "");
      }
      if (btf_vlen(proto) && !btf_params(proto)[btf_vlen(proto) - 1].type) {
        refuse("the variadic function '" + fn.name + "'");
        continue;
      }
      if (fn.params.size() > kMaxCallArguments) {
        diags.error(source.range, "the function '" + fn.name + "' of '" + file + "' takes " +
                                      std::to_string(fn.params.size()) +
                                      " arguments; a BPF call passes at most " +
                                      std::to_string(kMaxCallArguments));
        ok = false;
        continue;
      }
      into.functions.push_back(std::move(fn));
    }
  }
  // Data holding an address (a pointer to a string or to other data): a relocation in
  // .rodata or .data, which libbpf does not apply.
  std::set<std::string> holdingAddresses;
  for (const object::SectionRef &rel : obj.sections()) {
    auto target = rel.getRelocatedSection();
    if (!target || *target == obj.section_end())
      continue;
    StringRef targetName = sectionOf[(*target)->getIndex()];
    bool readOnly = targetName.starts_with(".rodata");
    if (!readOnly && !targetName.starts_with(".data"))
      continue;
    for (const object::RelocationRef &r : rel.relocations())
      for (const DataSymbol &c : dataSymbols)
        if (c.section == (*target)->getIndex() && r.getOffset() >= c.offset &&
            r.getOffset() < c.offset + c.size && holdingAddresses.insert(c.name).second)
          refuse(std::string(readOnly ? "the constant '" : "the global data '") + c.name +
                 "' holding an address (libbpf relocates none in " +
                 (readOnly ? ".rodata)" : ".data)"));
  }
  // Writable data no symbol names, in a section libbpf makes no map of, is refused by
  // its section's name.
  for (const object::SectionRef &s : obj.sections()) {
    uint64_t flags = object::ELFSectionRef(s).getFlags();
    StringRef name = sectionOf[s.getIndex()];
    if (ok && (flags & ELF::SHF_ALLOC) && (flags & ELF::SHF_WRITE) && s.getSize() &&
        name != "license" && name != "version" && name != ".maps" &&
        !name.starts_with(".data") && !name.starts_with(".bss"))
      refuse("the writable section '" + name.str() + "'");
    if (name == "license" && s.getSize())
      if (auto bytes = s.getContents()) {
        object.licenceSection = bytes->str();
        object.licenceWritable = flags & ELF::SHF_WRITE;
      }
  }
  if (ok)
    into.objects.push_back(std::move(object));
  return ok;
}

} // namespace bt
