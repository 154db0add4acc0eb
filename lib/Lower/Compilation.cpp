// The whole of btc's back half: module set-up, lowering, optimisation, the
// lifetime check, code generation and the manifest patched into the object.
#include "LowerContext.h"

#include "bt/Lower/LifetimeCheck.h"
#include "bt/Object/Integrity.h"
#include "bt/Object/Json.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ELF.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

extern "C" {
void LLVMInitializeBPFTargetInfo();
void LLVMInitializeBPFTarget();
void LLVMInitializeBPFTargetMC();
void LLVMInitializeBPFAsmPrinter();
}

namespace bt {

using namespace llvm;
using lower::LowerContext;

namespace {

using obj::kManifestSection;
constexpr const char *kTriple = "bpfel-unknown-none";

std::string sha256Hex(ArrayRef<uint8_t> data) {
  auto digest = SHA256::hash(data);
  return toHex(digest, /*LowerCase=*/true);
}
std::string sha256Hex(StringRef s) {
  return sha256Hex(ArrayRef<uint8_t>((const uint8_t *)s.data(), s.size()));
}

Expected<std::unique_ptr<TargetMachine>> makeTargetMachine(unsigned optLevel) {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeBPFTargetInfo();
    LLVMInitializeBPFTarget();
    LLVMInitializeBPFTargetMC();
    LLVMInitializeBPFAsmPrinter();
  });
  std::string err;
  const Target *target = TargetRegistry::lookupTarget(kTriple, err);
  if (!target)
    return createStringError(inconvertibleErrorCode(), "BPF target unavailable: " + err);
  TargetOptions opts;
  auto level = optLevel == 0 ? CodeGenOptLevel::None : CodeGenOptLevel::Aggressive;
  std::unique_ptr<TargetMachine> tm(
      target->createTargetMachine(kTriple, "v3", "", opts, std::nullopt, std::nullopt, level));
  if (!tm)
    return createStringError(inconvertibleErrorCode(), "cannot create the BPF target machine");
  return tm;
}

// An Ed25519 signature (hex) of the 32-byte file digest.
Expected<std::string> signEd25519(const std::string &keyPath, ArrayRef<uint8_t> digest) {
  auto fail = [&](const std::string &what) {
    return createStringError(inconvertibleErrorCode(), "--sign " + keyPath + ": " + what);
  };
  std::FILE *f = std::fopen(keyPath.c_str(), "r");
  if (!f)
    return fail(std::strerror(errno));
  EVP_PKEY *key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!key)
    return fail("not a PEM private key");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> keyOwner(key, EVP_PKEY_free);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519)
    return fail("not an Ed25519 key (make one with: openssl genpkey -algorithm ed25519)");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char sig[64];
  size_t sigLen = sizeof sig;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &sigLen, digest.data(), digest.size()) != 1 || sigLen != 64)
    return fail("signing failed");
  return toHex(ArrayRef<uint8_t>(sig, sigLen), true);
}

} // namespace

namespace lower {

LowerContext::LowerContext(LLVMContext &ctx, const SemaResult &sema, const CompileOptions &options)
    : ctx(ctx), module(std::make_unique<Module>(options.sourceName, ctx)), sema(sema),
      options(options), B(ctx) {
  module->setTargetTriple(kTriple);
  module->addModuleFlag(Module::Warning, "Dwarf Version", 5);
  module->addModuleFlag(Module::Warning, "Debug Info Version", DEBUG_METADATA_VERSION);
  DI = std::make_unique<DIBuilder>(*module);
  // The script's text goes into the DIFile so that BTF line info carries the
  // script lines the verifier log prints.
  file = DI->createFile(options.sourceName, ".", std::nullopt,
                        StringRef(options.sourceText));
  cu = DI->createCompileUnit(dwarf::DW_LANG_C, file, "btc " BT_VERSION_STRING, true, "", 0);
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

  Error optimize();
  Error check();
  Expected<SmallVector<char, 0>> codegen(CodeGenFileType type) const;
  Expected<std::vector<char>> emitObject(size_t reserve, size_t &needed) const;
};

Error Compilation::Impl::optimize() {
  Module &m = *lc->module;
  if (options.optLevel == 0)
    return Error::success();
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PassBuilder pb(tm.get());
  // No libc on BPF: keep the optimiser from turning loops into memcmp/bcmp calls.
  TargetLibraryInfoImpl tlii(Triple(m.getTargetTriple()));
  tlii.disableAllFunctions();
  fam.registerPass([&] { return TargetLibraryAnalysis(tlii); });
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  OptimizationLevel level = options.optLevel == 1   ? OptimizationLevel::O1
                            : options.optLevel == 3 ? OptimizationLevel::O3
                                                    : OptimizationLevel::O2;
  ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(level);
  mpm.run(m, mam);
  return Error::success();
}

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
  irDigest = sha256Hex(StringRef(irs.str()));
  return Error::success();
}

Expected<SmallVector<char, 0>> Compilation::Impl::codegen(CodeGenFileType type) const {
  // Code generation mutates the module; work on a copy so outputs can be
  // produced more than once.
  auto copy = CloneModule(*lc->module);
  SmallVector<char, 0> out;
  raw_svector_ostream os(out);
  legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr, type))
    return createStringError(inconvertibleErrorCode(), "BPF target cannot emit this file type");
  pm.run(*copy);
  return out;
}

Compilation::Compilation(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Compilation::~Compilation() = default;

Expected<std::unique_ptr<Compilation>>
Compilation::create(const ast::Program &program, const SemaResult &sema,
                    const CompileOptions &options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  auto tm = makeTargetMachine(options.optLevel);
  if (!tm)
    return tm.takeError();
  impl->tm = std::move(*tm);
  impl->lc = std::make_unique<LowerContext>(impl->ctx, sema, impl->options);
  LowerContext &lc = *impl->lc;
  // Before any IR: IRBuilder takes load/store alignments from the layout, and the
  // default one aligns i64 to 4, which the BPF backend splits into two 32-bit accesses.
  lc.module->setDataLayout(impl->tm->createDataLayout());
  lower::declareGlobals(lc);
  lower::declareMaps(lc);
  lower::lowerProbes(lc);
  lc.DI->finalize();
  if (auto err = impl->optimize())
    return std::move(err);
  if (auto err = impl->check())
    return std::move(err);
  impl->manifest = lower::buildManifest(lc);
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

Expected<std::string> Compilation::assembly() const {
  auto out = impl_->codegen(CodeGenFileType::AssemblyFile);
  if (!out)
    return out.takeError();
  return std::string(out->begin(), out->end());
}

namespace {

// Room for the integrity block, which is known only after code generation:
// the manifest is emitted padded with spaces and the digests are written
// into the padding afterwards, so no digested byte changes.
size_t integrityReserve(const LowerContext &lc) {
  size_t n = 1024;
  for (const auto &p : lc.sema.probes)
    for (const auto &a : p.attachments)
      n += 2 * (a.section.size() + 96);
  return n;
}

} // namespace

Expected<std::vector<char>> Compilation::object() const {
  size_t reserve = integrityReserve(*impl_->lc);
  // The section list is known only after emission: when the first estimate
  // of the digests' room is short, emit once more with the room measured.
  for (int attempt = 0; attempt < 2; ++attempt) {
    size_t needed = 0;
    auto obj = impl_->emitObject(reserve, needed);
    if (!obj)
      return obj.takeError();
    if (!needed)
      return obj;
    reserve = needed + 256;
  }
  return createStringError(inconvertibleErrorCode(),
                           "internal error: manifest outgrew its section");
}

// Emits the object with the manifest padded by `reserve` spaces and writes the
// integrity digests into the padding. Sets `needed` (and returns an empty
// object) when the padding is too small.
Expected<std::vector<char>> Compilation::Impl::emitObject(size_t reserve, size_t &needed) const {
  needed = 0;
  // The manifest is first emitted without its integrity block, padded: the block is
  // written into the padding once the sections it digests exist.
  nlohmann::json withoutIntegrity = manifest;
  withoutIntegrity.erase("integrity");
  // JSON holds UTF-8 only: bytes that are not (a Latin-1 comment in source.text)
  // become U+FFFD instead of an exception. Sema rejects them in formats.
  std::string body =
      withoutIntegrity.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string padded = body + std::string(reserve, ' ');

  auto copy = CloneModule(*lc->module);
  auto *init = ConstantDataArray::getString(copy->getContext(), padded, false);
  auto *gv = new GlobalVariable(*copy, init->getType(), true, GlobalValue::ExternalLinkage, init,
                                "bt_manifest");
  gv->setSection(kManifestSection);
  gv->setAlignment(Align(1));
  gv->setMetadata(LLVMContext::MD_exclude, MDNode::get(copy->getContext(), {}));
  SmallVector<char, 0> out;
  {
    raw_svector_ostream os(out);
    legacy::PassManager pm;
    if (tm->addPassesToEmitFile(pm, os, nullptr, CodeGenFileType::ObjectFile))
      return createStringError(inconvertibleErrorCode(), "BPF target cannot emit objects");
    pm.run(*copy);
  }

  auto elf = object::ELF64LEFile::create(StringRef(out.data(), out.size()));
  if (!elf)
    return elf.takeError();
  auto sections = elf->sections();
  if (!sections)
    return sections.takeError();
  std::vector<obj::SectionName> names;
  for (size_t i = 0; i < sections->size(); ++i) {
    auto name = elf->getSectionName((*sections)[i]);
    if (!name)
      return name.takeError();
    names.push_back({i, name->str()});
  }
  std::vector<std::string> keys = obj::sectionDigestKeys(names);
  obj::Manifest full = manifest;
  uint64_t manifestOffset = 0, manifestSize = 0;
  for (size_t i = 1; i < sections->size(); ++i) {
    const auto &sh = (*sections)[i];
    if (names[i].name == kManifestSection) {
      manifestOffset = sh.sh_offset;
      manifestSize = sh.sh_size;
      continue;
    }
    ArrayRef<uint8_t> bytes;
    if (sh.sh_type != ELF::SHT_NOBITS) {
      auto contents = elf->getSectionContents(sh);
      if (!contents)
        return contents.takeError();
      bytes = *contents;
    }
    full.integrity.sections[keys[i]] = sha256Hex(bytes);
  }
  if (!manifestSize)
    return createStringError(inconvertibleErrorCode(), "internal error: no manifest section emitted");
  // The whole file is digested with the file digest and the signature still
  // zero, so they cover every byte of the object but themselves.
  obj::setIntegrityPlaceholders(full.integrity, !options.signingKeyPem.empty());
  std::string text = obj::writeManifest(full);
  if (text.size() > manifestSize) {
    needed = text.size() - body.size();
    return std::vector<char>();
  }
  text.resize(manifestSize, ' ');
  std::vector<char> result(out.begin(), out.end());
  std::copy(text.begin(), text.end(), result.begin() + manifestOffset);

  auto fill = [&](const char *key, const std::string &hex) -> Error {
    auto at = obj::placeholderOffset(text, key, hex.size());
    if (!at)
      return createStringError(inconvertibleErrorCode(),
                               std::string("internal error: no placeholder for ") + key);
    std::copy(hex.begin(), hex.end(), result.begin() + manifestOffset + *at);
    return Error::success();
  };
  auto digest = SHA256::hash(ArrayRef<uint8_t>((const uint8_t *)result.data(), result.size()));
  std::string fileHex = toHex(digest, true);
  if (auto err = fill("file_sha256", fileHex))
    return std::move(err);
  if (!options.signingKeyPem.empty()) {
    auto sig = signEd25519(options.signingKeyPem, digest);
    if (!sig)
      return sig.takeError();
    if (auto err = fill("value", *sig))
      return std::move(err);
  }
  return result;
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
