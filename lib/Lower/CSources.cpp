// Compiles the BPF C sources a script imports (include/bt/Lower/CSources.h). clang runs
// as a subprocess, and only for a script that imports C, so btc's start never maps
// libclang-cpp (tens of MiB of relocations) for the scripts that do not.
//
// Functions, data and maps may come from the C; its SEC() programs would have to reach
// the manifest, which btc writes from the script, so each is a located error at the
// import rather than an object btrun would load in part. What the C defines beside
// functions libbpf makes from the object alone, so the manifest lists none of it and
// the object's digest covers it as any section: constant data (a table, bpf_printk's
// format) goes into .rodata, which libbpf loads as a frozen map, as it does btc's own
// constant tables; writable data into .data, a map libbpf creates for it, apart from
// the .bss whose offsets the manifest gives btrun; a BTF-defined map into .maps beside
// the script's, which libbpf creates from the C's BTF of it.
#include "bt/Lower/CSources.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <cstdlib>
#include <filesystem>
#include <set>

namespace bt {

using namespace llvm;

std::string clangBinary() {
  if (const char *env = std::getenv("BTC_CLANG"); env && *env)
    return env;
  return BT_CLANG_BINARY;
}

namespace {

// The kernel's name for an architecture, as libbpf's bpf_tracing.h expects it in
// __TARGET_ARCH_<name> (bpftrace defines the same for its C).
std::string targetArchDefine(const Arch &arch) {
  if (arch.name == "x86_64")
    return "x86";
  if (arch.name == "aarch64")
    return "arm64";
  if (arch.name == "s390x")
    return "s390";
  if (arch.name.rfind("ppc64", 0) == 0)
    return "powerpc";
  if (arch.name == "riscv64")
    return "riscv";
  return arch.name;
}

// A type's name as C spells it ("struct pair", "u32"); "" for a pointer or qualifier.
std::string spelled(const DIType *t) {
  if (!t)
    return "void";
  if (auto *c = dyn_cast<DICompositeType>(t))
    switch (c->getTag()) {
    case dwarf::DW_TAG_structure_type:
      return "struct " + c->getName().str();
    case dwarf::DW_TAG_union_type:
      return "union " + c->getName().str();
    case dwarf::DW_TAG_enumeration_type:
      return "enum " + c->getName().str();
    default:
      break;
    }
  return t->getName().str();
}

// A parameter's or the result's type: typedefs and qualifiers looked through.
ExternalCType cType(const DIType *t) {
  ExternalCType out;
  if (!t) {
    out.kind = ExternalCType::Void;
    out.spelling = "void";
    return out;
  }
  out.spelling = spelled(t);
  while (auto *d = dyn_cast_or_null<DIDerivedType>(t)) {
    unsigned tag = d->getTag();
    if (tag == dwarf::DW_TAG_pointer_type) {
      out.kind = ExternalCType::Pointer;
      out.bytes = 8;
      if (out.spelling.empty()) {
        ExternalCType pointee = cType(d->getBaseType());
        out.spelling = pointee.spelling + " *";
      }
      return out;
    }
    if (tag != dwarf::DW_TAG_typedef && tag != dwarf::DW_TAG_const_type &&
        tag != dwarf::DW_TAG_volatile_type && tag != dwarf::DW_TAG_restrict_type &&
        tag != dwarf::DW_TAG_atomic_type)
      break;
    t = d->getBaseType();
    if (out.spelling.empty())
      out.spelling = spelled(t);
  }
  if (!t) {
    out.kind = ExternalCType::Void;
    return out;
  }
  if (auto *c = dyn_cast<DICompositeType>(t)) {
    if (c->getTag() == dwarf::DW_TAG_enumeration_type) {
      ExternalCType base = cType(c->getBaseType());
      out.kind = ExternalCType::Int;
      out.bytes = unsigned(c->getSizeInBits() / 8);
      out.isSigned = base.kind == ExternalCType::Int && base.isSigned;
    }
    return out; // a struct, union or array: Other
  }
  if (auto *b = dyn_cast<DIBasicType>(t)) {
    unsigned bytes = unsigned(b->getSizeInBits() / 8);
    switch (b->getEncoding()) {
    case dwarf::DW_ATE_boolean:
      out.kind = ExternalCType::Bool;
      out.bytes = bytes;
      return out;
    case dwarf::DW_ATE_signed:
    case dwarf::DW_ATE_signed_char:
    case dwarf::DW_ATE_unsigned:
    case dwarf::DW_ATE_unsigned_char:
      if (bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8) {
        out.kind = ExternalCType::Int;
        out.bytes = bytes;
        out.isSigned = b->getEncoding() == dwarf::DW_ATE_signed ||
                       b->getEncoding() == dwarf::DW_ATE_signed_char;
      }
      return out;
    default:
      return out;
    }
  }
  return out;
}

// Whether a constant's value holds an address (a pointer to a string, a table of
// function pointers): a relocation in .rodata, which libbpf does not apply.
bool holdsAddress(const Constant *c) {
  if (isa<GlobalValue>(c) || isa<BlockAddress>(c))
    return true;
  for (const Use &op : c->operands())
    if (auto *inner = dyn_cast<Constant>(op.get()); inner && holdsAddress(inner))
      return true;
  return false;
}

class Builder {
public:
  Builder(const Arch &arch, const CSourceOptions &options, DiagnosticEngine &diags)
      : arch_(arch), options_(options), diags_(diags) {}

  bool build(const CSourceImport &source, ExternalC &into);

private:
  bool compile(const CSourceImport &source, std::string &bitcode);
  bool readDefinitions(const CSourceImport &source, const std::string &bitcode,
                       ExternalC &into);

  const Arch &arch_;
  const CSourceOptions &options_;
  DiagnosticEngine &diags_;
  // The non-static data and maps the sources built so far define: one name defined by
  // two would be one symbol twice in the linked module, as a C linker says too.
  std::set<std::string> globalData_;
};

bool Builder::compile(const CSourceImport &source, std::string &bitcode) {
  std::string clang = clangBinary();
  if (!sys::fs::can_execute(clang)) {
    diags_.error(source.range, "importing a C source needs clang, which btc runs to compile "
                               "it; '" + clang + "' cannot be run (set BTC_CLANG to one)");
    return false;
  }
  SmallString<128> out, err;
  if (sys::fs::createTemporaryFile("btc-import", "bc", out) ||
      sys::fs::createTemporaryFile("btc-import", "err", err)) {
    diags_.error(source.range, "cannot make a temporary file to compile '" + source.path +
                                   "' into");
    return false;
  }
  std::string dir = std::filesystem::path(source.path).parent_path().string();
  std::vector<std::string> args{clang, "-target", "bpf", "-O2", "-g", "-c", "-emit-llvm",
                                "-fno-color-diagnostics",
                                "-D__TARGET_ARCH_" + targetArchDefine(arch_), "-I", dir};
  for (const std::string &d : options_.includeDirs)
    args.insert(args.end(), {"-I", d});
  // The BPF target has no multiarch directory of its own: <asm/types.h> (which
  // <linux/types.h> needs) is the target architecture's, where Debian installs it.
  std::string multiarch = "/usr/include/" + arch_.name + "-linux-gnu";
  if (sys::fs::is_directory(multiarch))
    args.insert(args.end(), {"-idirafter", multiarch});
  args.insert(args.end(), {"-o", std::string(out.str()), source.path});
  std::vector<StringRef> argv(args.begin(), args.end());
  std::optional<StringRef> redirects[] = {StringRef(""), StringRef(""), StringRef(err)};
  std::string execError;
  int rc = sys::ExecuteAndWait(clang, argv, std::nullopt, redirects, 0, 0, &execError);
  auto messages = MemoryBuffer::getFile(err);
  std::string text = messages ? (*messages)->getBuffer().str() : "";
  auto bc = MemoryBuffer::getFile(out);
  sys::fs::remove(out);
  sys::fs::remove(err);
  if (rc != 0 || !bc) {
    diags_.error(source.range, "cannot compile '" + source.path + "' with " + clang +
                                   (execError.empty() ? "" : " (" + execError + ")"));
    // A note is one line: clang's error lines, each with its own place in the C.
    unsigned shown = 0;
    for (StringRef line : split(text, '\n'))
      if (line.contains("error: ") && shown++ < 8)
        diags_.note(source.range, "clang: " + line.str());
    return false;
  }
  // Compiled: clang's warnings are the import's (as upstream surfaces them).
  unsigned shown = 0;
  for (StringRef line : split(text, '\n'))
    if (line.contains("warning: ") && shown++ < 8)
      diags_.warning(source.range, "clang: " + line.str());
  bitcode = (*bc)->getBuffer().str();
  return true;
}

bool Builder::readDefinitions(const CSourceImport &source, const std::string &bitcode,
                              ExternalC &into) {
  LLVMContext ctx;
  auto module = parseBitcodeFile(MemoryBufferRef(bitcode, source.path), ctx);
  if (!module) {
    diags_.error(source.range, "cannot read clang's bitcode of '" + source.path + "': " +
                                   toString(module.takeError()));
    return false;
  }
  std::string file = std::filesystem::path(source.path).filename().string();
  bool ok = true;
  auto refuse = [&](const std::string &what) {
    diags_.error(source.range, what + " in '" + file + "' is not supported yet: only its "
                               "functions, global data and maps can be imported");
    ok = false;
  };
  for (const GlobalVariable &g : (*module)->globals()) {
    if (g.getName().starts_with("llvm.") || g.getSection() == "license")
      continue; // clang's own lists, and the licence: the script's object has one
    std::string name = g.getName().str();
    if (g.isDeclaration())
      continue;
    bool writable = !g.isConstant() && g.getSection() != ".maps";
    if (!g.hasLocalLinkage() && (writable || g.getSection() == ".maps") &&
        !globalData_.insert(name).second) {
      diags_.error(source.range, std::string(writable ? "the global data '" : "the map '") +
                                     name + "' of '" + file +
                                     "' is defined by another imported C source too");
      ok = false;
    } else if (g.getSection() == ".maps") {
      continue;
    } else if (writable) {
      // Any writable data goes into .data (linkExternalC): a section of the C's own
      // choosing would be a map libbpf makes of it, or none.
      if (g.hasSection() && !g.getSection().starts_with(".data") &&
          !g.getSection().starts_with(".bss"))
        refuse("the global data '" + name + "' in section '" + g.getSection().str() + "'");
      else if (holdsAddress(g.getInitializer()))
        refuse("the global data '" + name + "' holding an address (libbpf relocates none "
               "in .data)");
    } else if (g.hasSection() && !g.getSection().starts_with(".rodata"))
      refuse("the constant '" + name + "' in section '" + g.getSection().str() + "'");
    else if (holdsAddress(g.getInitializer()))
      refuse("the constant '" + name + "' holding an address (libbpf relocates none in "
             ".rodata)");
  }
  for (const Function &f : **module) {
    if (f.isDeclaration() || f.isIntrinsic() || f.hasLocalLinkage())
      continue;
    if (f.hasSection()) {
      refuse("the program '" + f.getName().str() + "' (SEC(\"" + f.getSection().str() +
             "\"))");
      continue;
    }
    if (into.find(f.getName().str())) {
      diags_.error(source.range, "the function '" + f.getName().str() + "' of '" + file +
                                     "' is defined by another imported C source too");
      ok = false;
      continue;
    }
    ExternalCFunction fn;
    fn.name = f.getName().str();
    fn.file = file;
    const DISubprogram *sp = f.getSubprogram();
    auto *st = sp ? sp->getType() : nullptr;
    if (!st) {
      refuse("the function '" + fn.name + "' without debug information");
      continue;
    }
    auto types = st->getTypeArray();
    fn.result = cType(types.size() ? types[0] : nullptr);
    for (unsigned i = 1; i < types.size(); ++i) {
      if (!types[i]) {
        refuse("the variadic function '" + fn.name + "'");
        break;
      }
      fn.params.push_back(cType(types[i]));
      fn.paramNames.emplace_back();
    }
    for (const DINode *n : sp->getRetainedNodes())
      if (auto *v = dyn_cast<DILocalVariable>(n); v && v->getArg() >= 1 &&
                                                  v->getArg() <= fn.paramNames.size())
        fn.paramNames[v->getArg() - 1] = v->getName().str();
    into.functions.push_back(std::move(fn));
  }
  return ok;
}

bool Builder::build(const CSourceImport &source, ExternalC &into) {
  if (isBpfObjectImport(source.path))
    return readBpfObject(source, diags_, into);
  std::string bitcode;
  if (!compile(source, bitcode) || !readDefinitions(source, bitcode, into))
    return false;
  into.modules.push_back({source.path, std::move(bitcode)});
  return true;
}

} // namespace

std::shared_ptr<const ExternalC> buildCSources(const std::vector<CSourceImport> &sources,
                                               const Arch &arch,
                                               const CSourceOptions &options,
                                               DiagnosticEngine &diags) {
  auto result = std::make_shared<ExternalC>();
  Builder builder(arch, options, diags);
  bool ok = true;
  for (const CSourceImport &source : sources)
    ok = builder.build(source, *result) && ok;
  return ok ? result : nullptr;
}

std::string linkedCName(const std::string &name) { return "bt_c." + name; }

std::string linkExternalC(Module &into, const ExternalC &c) {
  for (const ExternalCModule &m : c.modules) {
    auto module = parseBitcodeFile(MemoryBufferRef(m.bitcode, m.file), into.getContext());
    if (!module)
      return "cannot read the bitcode of '" + m.file + "': " + toString(module.takeError());
    (*module)->setTargetTriple(into.getTargetTriple());
    (*module)->setDataLayout(into.getDataLayout());
    // The C's names under a prefix no C or script name has: a map or global btc
    // declares later would otherwise be renamed by LLVM, out of the manifest's reach
    // (the C's map `counts` is bt_c.counts beside the script's @counts, `counts`).
    for (Function &f : **module)
      if (!f.isDeclaration())
        f.setName(linkedCName(f.getName().str()));
    // Its data and maps are renamed too. Its constants and maps are kept local through
    // the link, where LLVM renames one that two sources share (readDefinitions refused
    // a non-static name two sources define). Its writable data keeps the C's linkage: a
    // non-static global another source could write is not folded into the code. It
    // goes into .data, zeroed or not: in .bss it would share a section, and so libbpf's
    // map, with btc's runtime globals, at offsets the manifest does not know.
    for (GlobalVariable &g : (*module)->globals()) {
      if (g.isDeclaration() || g.getSection() == "license" ||
          g.getName().starts_with("llvm."))
        continue;
      g.setName(linkedCName(g.getName().str()));
      if (g.isConstant() || g.getSection() == ".maps")
        g.setLinkage(GlobalValue::InternalLinkage);
      else
        g.setSection(".data");
    }
    // The script's object has its own licence (readDefinitions let this one through).
    auto isLicence = [](Constant *c) {
      auto *g = dyn_cast<GlobalVariable>(c);
      return g && g->getSection() == "license";
    };
    removeFromUsedLists(**module, isLicence);
    for (GlobalVariable &g : make_early_inc_range((*module)->globals()))
      if (isLicence(&g) && g.use_empty())
        g.eraseFromParent();
    if (Linker::linkModules(into, std::move(*module)))
      return "cannot link '" + m.file + "' into the script";
  }
  // The constants go into .rodata with btc's constant tables: a string literal's
  // mergeable .rodata.str1.1 would be a section of its own to libbpf. Hidden globals, not
  // local ones: the optimizer marks a local constant unnamed_addr, and the backend puts
  // an unnamed_addr string or 4-, 8- or 16-byte constant in a second, mergeable section,
  // named .rodata all the same.
  // The maps are global, and visible: libbpf 1.1 refuses a static map, and takes a
  // hidden symbol's BTF linkage to be static.
  for (GlobalVariable &g : into.globals()) {
    if (!g.getName().starts_with(linkedCName("")) || g.isDeclaration())
      continue;
    if (g.getSection() == ".maps") {
      g.setLinkage(GlobalValue::ExternalLinkage);
      g.setVisibility(GlobalValue::DefaultVisibility);
    } else if (g.isConstant()) {
      g.setLinkage(GlobalValue::ExternalLinkage);
      g.setVisibility(GlobalValue::HiddenVisibility);
      g.setUnnamedAddr(GlobalValue::UnnamedAddr::None);
      g.setSection(".rodata");
    }
  }
  // Inlined at every -O: a call left in place would be of a global function (its debug
  // info, whence its BTF, says so), which the verifier checks apart from its callers, so
  // it would refuse `&@m` and pointers to the caller's stack.
  for (const ExternalCFunction &f : c.functions)
    if (Function *fn = into.getFunction(linkedCName(f.name))) {
      fn->setLinkage(GlobalValue::InternalLinkage);
      fn->addFnAttr(Attribute::AlwaysInline);
    }
  return "";
}

} // namespace bt
