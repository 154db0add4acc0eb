// The whole of btc's back half, in order: module set-up, lowering, optimisation
// (Optimize.cpp), the IR checks, and the outputs: IR, assembly (CodeGen.cpp) and
// the object with its manifest (Emission.cpp, Signing.cpp).
#include "Backend.h"
#include "LowerContext.h"

#include "bt/Lower/CSources.h"
#include "bt/Lower/LifetimeCheck.h"
#include "bt/Lower/LoweringError.h"
#include "bt/Object/Integrity.h"
#include "bt/Object/BpfIsa.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <set>

namespace bt {

using namespace llvm;
using lower::LowerContext;
using obj::kManifestSection;

char LoweringError::ID = 0;

void LoweringError::log(raw_ostream &os) const {
  os << file_ << ':' << diagnostic_.range.begin.line << ':';
  if (diagnostic_.range.begin.col)
    os << diagnostic_.range.begin.col << ':';
  os << ' ' << diagnostic_.message;
}

namespace lower {

LowerContext::LowerContext(LLVMContext &ctx, const SemaResult &sema, const CompileOptions &options)
    : ctx(ctx), module(std::make_unique<Module>(options.sourceName, ctx)), sema(sema),
      options(options), B(ctx) {
  module->setTargetTriple(kBpfTriple);
  module->addModuleFlag(Module::Warning, "Dwarf Version", 5);
  module->addModuleFlag(Module::Warning, "Debug Info Version", DEBUG_METADATA_VERSION);
  DI = std::make_unique<DIBuilder>(*module);
  // The script's text goes into the DIFile so that BTF line info carries the
  // script lines the verifier log prints.
  file = DI->createFile(options.sourceName, ".", std::nullopt,
                        StringRef(options.sourceText));
  for (const auto &[name, text] : options.importedSources)
    importedFiles.push_back(DI->createFile(name, ".", std::nullopt, StringRef(text)));
  cu = DI->createCompileUnit(dwarf::DW_LANG_C, file, "btc " BT_VERSION_STRING, true, "", 0);
}

bool LowerContext::lowerable(TypeId t, SourceRange where) {
  const Type &type = this->type(t);
  // Kernel pointers are i64 values; a kernel or C record or array is its address.
  if (type.isPointer() || (type.isRecord() && type.origin != RecordOrigin::Tuple))
    return true;
  if (type.isArray() && this->type(type.element).kind != TypeKind::None)
    return true;
  if (!type.isBool() && !type.isPointer() && !type.isArray() && !type.isRecord())
    return true;
  if (type.isRecord() && type.origin == RecordOrigin::Tuple)
    return true; // Sema lets integers, strings and tuples into a tuple
  if (!unsupported)
    unsupported = Diagnostic{Severity::Error, where,
                             "a value of type " + type.str() + " is not supported yet"};
  return false;
}

} // namespace lower

struct Compilation::Impl {
  LLVMContext ctx;
  std::unique_ptr<TargetMachine> tm;
  std::unique_ptr<LowerContext> lc;
  CompileOptions options;
  obj::Manifest manifest; // integrity left empty: filled in per emitted object
  size_t functionsChecked = 0;
  std::string irDigest;

  Error check();
};

Error Compilation::Impl::check() {
  std::string verifyErrors;
  raw_string_ostream os(verifyErrors);
  if (verifyModule(*lc->module, &os))
    return createStringError(inconvertibleErrorCode(),
                             "internal error: invalid IR: " + os.str());
  auto violations = checkLifetimes(*lc->module);
  if (!violations.empty()) {
    std::string msg = "internal error: lifetime check failed: " + violations.front().message();
    return createStringError(inconvertibleErrorCode(), msg);
  }
  functionsChecked = 0;
  for (const Function &f : *lc->module)
    functionsChecked += !f.isDeclaration();
  std::string ir;
  raw_string_ostream irs(ir);
  lc->module->print(irs, nullptr);
  irDigest = lower::sha256Hex(arrayRefFromStringRef(irs.str()));
  return Error::success();
}

// The kernel's verifier follows at most 8192 branches on one path of a program
// (BPF_COMPLEXITY_LIMIT_JMP_SEQ). Long strings are compared and measured in loops
// (StringLoops.cpp), but compares of short ones stay unrolled, a branch or two a byte:
// scripts with strings over obj::kMaxCpuV3Strlen bytes are checked. The conditional
// branches, selects and switch cases of a program and of the functions it calls
// (callbacks, a user fn) bound what any path of it takes.
constexpr unsigned kMaxPathBranches = 8192;

static unsigned branchesIn(const Function &f, std::set<const Function *> &seen) {
  unsigned n = 0;
  for (const BasicBlock &bb : f)
    for (const Instruction &i : bb) {
      if (auto *br = dyn_cast<BranchInst>(&i))
        n += br->isConditional();
      else if (isa<SelectInst>(i))
        ++n;
      else if (auto *sw = dyn_cast<SwitchInst>(&i))
        n += sw->getNumCases();
      else if (auto *call = dyn_cast<CallBase>(&i))
        for (const Value *op : call->operands())
          if (auto *g = dyn_cast<Function>(op); g && !g->isDeclaration() && seen.insert(g).second)
            n += branchesIn(*g, seen);
    }
  return n;
}

// The first program whose branches pass the verifier's bound, as an error at its
// probe's line, in the script or the import its debug info names (it has the line, not
// the column).
static std::optional<Diagnostic> tooManyBranches(const LowerContext &lc, unsigned strlen) {
  for (const Function &f : *lc.module) {
    if (f.isDeclaration() || !f.hasSection())
      continue;
    std::set<const Function *> seen{&f};
    unsigned n = branchesIn(f, seen);
    if (n <= kMaxPathBranches)
      continue;
    const DISubprogram *sp = f.getSubprogram();
    SourceLoc line{sp ? sp->getLine() : 0, 0, 0};
    for (size_t i = 0; sp && i < lc.importedFiles.size(); ++i)
      if (sp->getFile() == lc.importedFiles[i])
        line.file = uint32_t(i + 1);
    return Diagnostic{Severity::Error, {line, line},
                      "this probe's code takes up to " + std::to_string(n) +
                          " branches on a path, more than the " +
                          std::to_string(kMaxPathBranches) +
                          " the kernel's verifier follows (max_strlen is " +
                          std::to_string(strlen) + "): compares of strings of " +
                          std::to_string(lower::kUnrolledStringBytes) +
                          " bytes or less are unrolled byte by byte; compare fewer of them"};
  }
  return std::nullopt;
}

Compilation::Compilation(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Compilation::~Compilation() = default;

Expected<std::unique_ptr<Compilation>>
Compilation::create(const ast::Program &program, const SemaResult &sema,
                    const CompileOptions &options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  auto tm = lower::makeTargetMachine(options.optLevel, sema.options.strlen > obj::kMaxCpuV3Strlen);
  if (!tm)
    return tm.takeError();
  impl->tm = std::move(*tm);
  std::string linkError;
  auto lowerAll = [&](std::set<std::pair<bool, unsigned>> perfOnly) {
    impl->lc.reset();
    impl->lc = std::make_unique<LowerContext>(impl->ctx, sema, impl->options);
    LowerContext &lc = *impl->lc;
    lc.perfOnlySyscalls = std::move(perfOnly);
    // Before any IR: IRBuilder takes load/store alignments from the layout, and the
    // default one aligns i64 to 4, which the BPF backend splits into two 32-bit accesses.
    lc.module->setDataLayout(impl->tm->createDataLayout());
    // The imported C's functions first: the probes' calls are made to their definitions.
    if (sema.options.externalC) {
      linkError = linkExternalC(*lc.module, *sema.options.externalC);
      if (linkError.empty())
        linkError = lower::declareObjectFunctions(lc, *sema.options.externalC);
    }
    lower::declareGlobals(lc);
    lower::declareMaps(lc);
    lc.core.declare(lc);
    lower::planSyscallDispatch(lc);
    lower::lowerProbes(lc);
    lower::emitSyscallDispatchers(lc);
    lower::defineScratchMap(lc);
  };
  lowerAll({});
  // A syscall whose handlers read what only a perf-event tracepoint has is served
  // that way, all its handlers together (their order is the attach order).
  if (!impl->lc->dispatchRefused.empty())
    lowerAll(impl->lc->dispatchRefused);
  if (!linkError.empty())
    return createStringError(inconvertibleErrorCode(), linkError);
  // A located refusal names the file its range is in: the script or one it imports.
  auto located = [&](Diagnostic d) {
    uint32_t file = d.range.begin.file;
    std::string name = file == 0 || file > options.importedSources.size()
                           ? options.sourceName
                           : options.importedSources[file - 1].first;
    return make_error<LoweringError>(std::move(name), std::move(d));
  };
  if (sema.options.externalC)
    if (auto refused = lower::nameObjectFunctions(*impl->lc->module, *sema.options.externalC))
      return located(std::move(*refused));
  LowerContext &lc = *impl->lc;
  lc.DI->finalize();
  // CO-RE accesses become relocations in the optimisation pipeline's BPF passes,
  // which -O0 then needs too.
  lower::optimizeModule(*lc.module, *impl->tm, options.optLevel,
                        !lc.core.empty() || sema.options.externalC);
  // A CO-RE access is a load of the relocated value from a global, which only the BPF
  // backend's machine-SSA passes (BPFMISimplifyPatchable) turn into the patched
  // immediate, and LLVM runs them only at a code generation level above None: left as
  // it is, the program reads memory at the offset's number and the verifier refuses it.
  // -O0 keeps its unoptimised IR; its code generation is then -O1's.
  if (options.optLevel == 0 && !lc.core.empty())
    impl->tm->setOptLevel(CodeGenOptLevel::Less);
  lower::splitMemIntrinsics(*lc.module);
  if (auto err = impl->check())
    return err;
  if (lc.unsupported)
    return located(*lc.unsupported);
  if (sema.options.strlen > obj::kMaxCpuV3Strlen)
    if (auto d = tooManyBranches(lc, sema.options.strlen))
      return located(std::move(*d));
  if (auto max = sema.options.maxBpfProgs) {
    unsigned programs = 0;
    for (const Function &f : *lc.module)
      programs += !f.isDeclaration() && f.hasSection();
    if (programs > *max)
      return createStringError(inconvertibleErrorCode(),
                               "the script makes " + std::to_string(programs) +
                                   " BPF programs, more than max_bpf_progs (" +
                                   std::to_string(*max) + ")");
  }
  auto manifest = lower::buildManifest(lc);
  if (!manifest)
    return manifest.takeError();
  impl->manifest = std::move(*manifest);
  obj::Checks checks;
  checks.lifetimeStatus = "passed";
  checks.lifetimeCheckerVersion = kLifetimeCheckerVersion;
  checks.lifetimeFunctions = impl->functionsChecked;
  checks.irSha256 = impl->irDigest;
  impl->manifest.checks = checks;
  return std::unique_ptr<Compilation>(new Compilation(std::move(impl)));
}

std::string Compilation::llvmIR() const {
  std::string s;
  raw_string_ostream os(s);
  impl_->lc->module->print(os, nullptr);
  return os.str();
}

// The BPF backend's error names its file as the debug info does: the script or an import,
// whose number the printed diagnostic needs to show the line.
// A refusal of an imported BPF object's link (BpfObjectLink.cpp) is numbered already, at
// its import, and names no file: it is given its file's name.
static Error numberFile(Error error, const CompileOptions &options) {
  return handleErrors(std::move(error), [&](const LoweringError &e) -> Error {
    Diagnostic d = e.diagnostic();
    std::string file = e.file();
    if (file.empty()) {
      uint32_t n = d.range.begin.file;
      file = n == 0 || n > options.importedSources.size() ? options.sourceName
                                                          : options.importedSources[n - 1].first;
    }
    for (size_t i = 0; i < options.importedSources.size(); ++i)
      if (options.importedSources[i].first == file)
        d.range.begin.file = d.range.end.file = uint32_t(i + 1);
    return make_error<LoweringError>(std::move(file), std::move(d));
  });
}

Expected<std::string> Compilation::assembly() const {
  auto out = lower::emitFile(*impl_->lc->module, *impl_->tm, CodeGenFileType::AssemblyFile);
  if (!out)
    return numberFile(out.takeError(), impl_->options);
  return std::string(out->begin(), out->end());
}

namespace {

// A first estimate of the room the integrity block needs in the manifest's
// padding (Emission.cpp measures and emits again when it is short, which doubles code
// generation): the ~25 sections every object has (DWARF, BTF and their relocations, the
// symbol table) take ~2.3 KB of digests, each probe's section and its relocations more.
size_t integrityReserve(const LowerContext &lc) {
  size_t n = 2560;
  for (const auto &p : lc.sema.probes)
    for (const auto &a : p.attachments)
      n += 2 * (a.section.size() + 96);
  return n;
}

} // namespace

Expected<std::vector<char>> Compilation::object() const {
  const auto &externalC = impl_->lc->sema.options.externalC;
  auto out = lower::emitObject(*impl_->lc->module, *impl_->tm, impl_->manifest,
                               impl_->options.signingKeyPem, integrityReserve(*impl_->lc),
                               externalC ? externalC->objects
                                         : std::vector<ExternalCObject>());
  if (!out)
    return numberFile(out.takeError(), impl_->options);
  return out;
}

Expected<std::string> Compilation::manifest() const {
  auto obj = object();
  if (!obj)
    return obj.takeError();
  auto elf = object::ELF64LEFile::create(StringRef(obj->data(), obj->size()));
  if (!elf)
    return elf.takeError();
  auto sections = elf->sections();
  if (!sections)
    return sections.takeError();
  for (const auto &sh : *sections) {
    auto name = elf->getSectionName(sh);
    if (name && *name == kManifestSection) {
      auto contents = elf->getSectionContents(sh);
      if (!contents)
        return contents.takeError();
      std::string text((const char *)contents->data(), contents->size());
      return nlohmann::json::parse(text.substr(0, text.find_last_not_of(' ') + 1)).dump(2) + "\n";
    }
  }
  return createStringError(inconvertibleErrorCode(), "internal error: no manifest section");
}

} // namespace bt
