// The imported BPF objects in btc's output (lib/Lower/BpfObjects.cpp reads them): their
// functions declared in the script's module, and the objects joined to btc's own by
// libbpf's static linker once code generation is done.
#include "Backend.h"
#include "LowerContext.h"

#include "bt/Lower/CSources.h"
#include "bt/Lower/LoweringError.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

namespace bt::lower {

using namespace llvm;

namespace {

// The debug type of BTF type `id`, in the shape libbpf's linker compares an extern's
// with its definition's: typedefs and qualifiers looked through (as the linker looks
// through them), integers and enums by name and size, a struct or union behind a
// pointer by name only (a forward declaration, which the linker matches with the
// definition).
DIType *diType(LowerContext &lc, const struct btf *b, uint32_t id) {
  const struct btf_type *t = id ? btf__type_by_id(b, id) : nullptr;
  while (t && (btf_is_typedef(t) || btf_is_mod(t)))
    t = t->type ? btf__type_by_id(b, t->type) : nullptr;
  if (!t)
    return nullptr; // void
  const char *n = btf__name_by_offset(b, t->name_off);
  std::string name = n ? n : "";
  DIBuilder &DI = *lc.DI;
  switch (btf_kind(t)) {
  case BTF_KIND_INT: {
    unsigned enc = btf_int_encoding(t);
    unsigned dw = (enc & BTF_INT_BOOL)     ? dwarf::DW_ATE_boolean
                  : (enc & BTF_INT_SIGNED) ? dwarf::DW_ATE_signed
                                           : dwarf::DW_ATE_unsigned;
    return DI.createBasicType(name, uint64_t(t->size) * 8, dw);
  }
  case BTF_KIND_FLOAT:
    return DI.createBasicType(name, uint64_t(t->size) * 8, dwarf::DW_ATE_float);
  case BTF_KIND_ENUM:
  case BTF_KIND_ENUM64:
    return DI.createEnumerationType(lc.cu, name, lc.file, 0, uint64_t(t->size) * 8, 0,
                                    DI.getOrCreateArray({}), nullptr);
  case BTF_KIND_PTR:
    return DI.createPointerType(diType(lc, b, t->type), 64);
  case BTF_KIND_STRUCT:
  case BTF_KIND_UNION:
  case BTF_KIND_FWD: {
    bool isUnion = btf_is_union(t) || (btf_is_fwd(t) && btf_kflag(t));
    return DI.createForwardDecl(isUnion ? dwarf::DW_TAG_union_type
                                        : dwarf::DW_TAG_structure_type,
                                name, lc.cu, lc.file, 0);
  }
  case BTF_KIND_ARRAY: {
    const struct btf_array *a = btf_array(t);
    return DI.createArrayType(0, 0, diType(lc, b, a->type),
                              DI.getOrCreateArray({DI.getOrCreateSubrange(0, a->nelems)}));
  }
  case BTF_KIND_FUNC_PROTO: {
    SmallVector<Metadata *, 6> types{diType(lc, b, t->type)};
    const struct btf_param *p = btf_params(t);
    for (unsigned i = 0; i < btf_vlen(t); ++i, ++p)
      types.push_back(diType(lc, b, p->type));
    return DI.createSubroutineType(DI.getOrCreateTypeArray(types));
  }
  default:
    return nullptr;
  }
}

// The LLVM type a parameter or result is passed as: BPF passes each in a register.
llvm::Type *passedType(LowerContext &lc, const ExternalCType &t) {
  switch (t.kind) {
  case ExternalCType::Void:
    return llvm::Type::getVoidTy(lc.ctx);
  case ExternalCType::Pointer:
    return PointerType::get(lc.ctx, 0);
  case ExternalCType::Bool:
  case ExternalCType::Int:
    return llvm::Type::getIntNTy(lc.ctx, t.bytes * 8);
  default:
    return llvm::Type::getInt64Ty(lc.ctx);
  }
}

// libbpf's messages while it links: the reason a link failed (libbpf's print callback
// takes no context of its own, hence a pointer set only while linkBpfObjects runs).
std::string *linkerLog = nullptr;
int collectLinkerMessage(enum libbpf_print_level level, const char *format, va_list args) {
  if (level == LIBBPF_WARN && linkerLog) {
    char line[512];
    std::vsnprintf(line, sizeof line, format, args);
    std::string text = line;
    if (text.rfind("libbpf: ", 0) == 0)
      text.erase(0, 8);
    while (!text.empty() && text.back() == '\n')
      text.pop_back();
    if (!linkerLog->empty())
      *linkerLog += "; ";
    *linkerLog += text;
  }
  return 0;
}

} // namespace

std::string declareObjectFunctions(LowerContext &lc, const ExternalC &c) {
  for (const ExternalCObject &o : c.objects) {
    struct btf *b = btf__parse_elf(o.file.c_str(), nullptr);
    if (libbpf_get_error(b))
      return "cannot read the BTF of '" + o.file + "' again";
    std::string file = std::filesystem::path(o.file).filename().string();
    for (uint32_t id = 1; id < btf__type_cnt(b); ++id) {
      const struct btf_type *t = btf__type_by_id(b, id);
      if (!btf_is_func(t) || btf_vlen(t) != BTF_FUNC_GLOBAL /* a FUNC's linkage */)
        continue;
      const ExternalCFunction *f = c.find(btf__name_by_offset(b, t->name_off));
      if (!f || !f->inObject || f->file != file)
        continue;
      SmallVector<llvm::Type *, 5> params;
      for (const ExternalCType &p : f->params)
        params.push_back(passedType(lc, p));
      auto *type = FunctionType::get(passedType(lc, f->result), params, false);
      Function *fn = Function::Create(type, GlobalValue::ExternalLinkage,
                                      linkedObjectName(f->name), *lc.module);
      // An integer narrower than 32 bits is passed extended, as clang passes it to BPF
      // functions (the object's code may rely on it); a result comes back as it is.
      for (size_t i = 0; i < f->params.size(); ++i) {
        const ExternalCType &p = f->params[i];
        if ((p.kind == ExternalCType::Int || p.kind == ExternalCType::Bool) && p.bytes < 4)
          fn->addParamAttr(unsigned(i), p.isSigned ? Attribute::SExt : Attribute::ZExt);
      }
      // Its prototype in the script's BTF, an extern FUNC, which the linker matches
      // with the object's definition.
      auto *proto = cast<DISubroutineType>(diType(lc, b, t->type));
      fn->setSubprogram(lc.DI->createFunction(lc.cu, f->name, "", lc.file, 0, proto, 0,
                                              DINode::FlagPrototyped,
                                              DISubprogram::SPFlagZero));
    }
    btf__free(b);
  }
  return "";
}

// A global of btc's that stays global in the linked object: a map or program made for
// the script (one with BTF; prepareForLinking makes the others local), or an imported
// .bpf.c's function, data or map (bt_c.NAME).
static bool keptGlobal(const GlobalValue &g) {
  if (g.hasLocalLinkage())
    return false;
  auto *object = dyn_cast<GlobalObject>(&g);
  return isa<Function>(g) || (object && object->hasMetadata(LLVMContext::MD_dbg));
}

std::optional<Diagnostic> nameObjectFunctions(Module &module, const ExternalC &c) {
  for (const ExternalCObject &o : c.objects) {
    std::string file = std::filesystem::path(o.file).filename().string();
    auto refuse = [&](std::string message) {
      return Diagnostic{Severity::Error, o.range, std::move(message)};
    };
    for (const ExternalCFunction &f : c.functions) {
      Function *fn = f.inObject && f.file == file
                         ? module.getFunction(linkedObjectName(f.name))
                         : nullptr;
      if (!fn)
        continue;
      if (GlobalValue *taken = module.getNamedValue(f.name))
        return refuse("the function '" + f.name + "' of '" + file + "' has the name of the " +
                      (isa<Function>(taken) ? "program" : "map or global") + " '" + f.name +
                      "' btc makes for the script, and libbpf's linker would join the two");
      if (fn->use_empty())
        fn->eraseFromParent(); // the linker finds no extern of it
      else
        fn->setName(f.name);
    }
    // The object's data and maps keep their names in the linked object (a symbol the
    // linker joins cannot be renamed as a .bpf.c's is): one that btc gives the script's
    // map (`@hits` is `hits`) or program would be joined with it.
    for (const std::string &name : o.globals)
      if (GlobalValue *taken = module.getNamedValue(name); taken && keptGlobal(*taken))
        return refuse("the " + std::string(isa<Function>(taken) ? "program" : "map") + " '" +
                      name + "' btc makes for the script has the name of a global of '" +
                      file + "' (its map or data), and libbpf's linker would join the two " +
                      "(rename the script's map or the object's global)");
  }
  return std::nullopt;
}

void prepareForLinking(Module &module, const std::vector<ExternalCObject> &objects) {
  // libbpf's linker asks every global symbol for its BTF, which only the maps and
  // programs have (their debug info): btc's other globals (the licence, the manifest,
  // constant tables) are the object's own, so local symbols, which also cannot clash
  // with an imported object's.
  GlobalVariable *licence = nullptr;
  for (GlobalVariable &g : module.globals()) {
    if (g.getSection() == "license")
      licence = &g;
    if (!g.isDeclaration() && !g.hasLocalLinkage() && !g.hasMetadata(LLVMContext::MD_dbg))
      g.setLinkage(GlobalValue::InternalLinkage);
  }
  // The licence section the linker keeps must be of one kind and of the same bytes:
  // an object's that C wrote as `char LICENSE[]` is writable, btc's then is too, and
  // one of `char LICENSE[16]` is padded with zeros, btc's then is too (Sema made the
  // texts one: applyObjectLicences).
  for (const ExternalCObject &o : objects) {
    if (!licence || !o.licenceSection)
      continue;
    auto *own = dyn_cast<ConstantDataSequential>(licence->getInitializer());
    const std::string &bytes = *o.licenceSection;
    if (own && own->getRawDataValues() != bytes &&
        own->getAsCString() == StringRef(bytes).take_until([](char c) { return !c; })) {
      llvm::Type *byte = llvm::Type::getInt8Ty(module.getContext());
      auto *padded = new GlobalVariable(module, ArrayType::get(byte, bytes.size()), true,
                                        licence->getLinkage(),
                                        ConstantDataArray::getRaw(bytes, bytes.size(), byte));
      padded->setSection("license");
      padded->takeName(licence);
      licence->replaceAllUsesWith(padded);
      licence->eraseFromParent();
      licence = padded;
    }
    if (o.licenceWritable)
      licence->setConstant(false);
  }
}

Expected<std::vector<char>> linkBpfObjects(ArrayRef<char> own,
                                           const std::vector<ExternalCObject> &objects) {
  auto failed = [](const std::string &what) {
    return createStringError(inconvertibleErrorCode(), what);
  };
  SmallString<128> in, out;
  if (sys::fs::createTemporaryFile("btc-own", "o", in) ||
      sys::fs::createTemporaryFile("btc-linked", "o", out))
    return failed("cannot make a temporary file to link the imported objects in");
  auto cleanup = make_scope_exit([&] {
    sys::fs::remove(in);
    sys::fs::remove(out);
  });
  {
    std::error_code ec;
    raw_fd_ostream os(in, ec);
    os.write(own.data(), own.size());
    if (ec || os.has_error())
      return failed("cannot write '" + in.str().str() + "'");
  }
  std::string log;
  linkerLog = &log;
  libbpf_print_fn_t previous = libbpf_set_print(collectLinkerMessage);
  auto restore = make_scope_exit([&] {
    libbpf_set_print(previous);
    linkerLog = nullptr;
  });
  struct bpf_linker *linker = bpf_linker__new(out.c_str(), nullptr);
  if (!linker)
    return failed("libbpf's linker cannot start: " + log);
  int rc = bpf_linker__add_file(linker, in.c_str(), nullptr);
  if (rc != 0) {
    bpf_linker__free(linker);
    return failed("libbpf's linker cannot take btc's own object: " + log);
  }
  // An object the linker refuses (a global symbol another object defines too) is
  // refused at its import; the file is named by Compilation's numberFile.
  for (const ExternalCObject &o : objects)
    if (bpf_linker__add_file(linker, o.file.c_str(), nullptr) != 0) {
      bpf_linker__free(linker);
      return make_error<LoweringError>(
          "", Diagnostic{Severity::Error, o.range,
                         "libbpf's linker cannot join '" +
                             std::filesystem::path(o.file).filename().string() +
                             "' to the script's object: " + log});
    }
  rc = bpf_linker__finalize(linker);
  bpf_linker__free(linker);
  if (rc != 0)
    return failed("libbpf's linker cannot finish the object: " + log);
  auto linked = MemoryBuffer::getFile(out, false, false);
  if (!linked)
    return failed("cannot read the linked object: " + linked.getError().message());
  return std::vector<char>((*linked)->getBufferStart(), (*linked)->getBufferEnd());
}

} // namespace bt::lower
