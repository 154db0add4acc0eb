// The object and its manifest: the manifest goes into `.bt.manifest` padded with
// spaces, and the integrity block, known only once the other sections exist, is
// written into the padding, so no digested byte changes. Imported BPF objects are
// linked in before the digests are taken (BpfObjectLink.cpp).
#include "Backend.h"

#include "bt/Object/Integrity.h"
#include "bt/Sema/ExternalC.h"
#include "bt/Object/Json.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Transforms/Utils/Cloning.h"

namespace bt::lower {

using namespace llvm;
using obj::kManifestSection;

namespace {

// Emits the object with the manifest padded by `reserve` spaces, links the imported
// BPF objects into it, and writes the integrity digests of the result into the
// padding. Sets `needed` (and returns an empty object) when the padding is too small.
Expected<std::vector<char>> emitOnce(const Module &module, TargetMachine &tm,
                                     const obj::Manifest &manifest,
                                     const std::string &signingKeyPem, size_t reserve,
                                     const std::vector<ExternalCObject> &linkedObjects,
                                     size_t &needed) {
  needed = 0;
  // The manifest is first emitted without its integrity block, padded: the block is
  // written into the padding once the sections it digests exist.
  obj::Json withoutIntegrity = manifest;
  withoutIntegrity.erase("integrity");
  // JSON holds UTF-8 only: bytes that are not (a Latin-1 comment in source.text)
  // become U+FFFD instead of an exception. Sema rejects them in formats.
  std::string body =
      withoutIntegrity.dump(-1, ' ', false, obj::Json::error_handler_t::replace);
  std::string padded = body + std::string(reserve, ' ');

  auto copy = CloneModule(module);
  auto *init = ConstantDataArray::getString(copy->getContext(), padded, false);
  auto *gv = new GlobalVariable(*copy, init->getType(), true, GlobalValue::ExternalLinkage, init,
                                "bt_manifest");
  gv->setSection(kManifestSection);
  gv->setAlignment(Align(1));
  gv->setMetadata(LLVMContext::MD_exclude, MDNode::get(copy->getContext(), {}));
  if (!linkedObjects.empty())
    prepareForLinking(*copy, linkedObjects);
  auto emitted = compileModule(*copy, tm, CodeGenFileType::ObjectFile);
  if (!emitted)
    return emitted.takeError();
  // The linker drops the DWARF sections (the BTF stays) and merges the sections the
  // objects share (.text, .rodata): the digests are taken of what it writes.
  std::vector<char> out(emitted->begin(), emitted->end());
  if (!linkedObjects.empty()) {
    auto linked = linkBpfObjects(out, linkedObjects);
    if (!linked)
      return linked.takeError();
    out = std::move(*linked);
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
  obj::setIntegrityPlaceholders(full.integrity, !signingKeyPem.empty());
  std::string text = obj::writeManifest(full);
  if (text.size() > manifestSize) {
    needed = text.size() - body.size();
    return std::vector<char>();
  }
  text.resize(manifestSize, ' ');
  std::vector<char> result(out.begin(), out.end());
  std::copy(text.begin(), text.end(), result.begin() + manifestOffset);

  // Writes `hex` over the zeros of `key`'s placeholder in the manifest text.
  auto fill = [&](const char *key, const std::string &hex) {
    auto at = obj::placeholderOffset(text, key, hex.size());
    if (at)
      std::copy(hex.begin(), hex.end(), result.begin() + manifestOffset + *at);
    return at.has_value();
  };
  auto noPlaceholder = [](const char *key) {
    return createStringError(inconvertibleErrorCode(),
                             std::string("internal error: no placeholder for ") + key);
  };
  auto digest = SHA256::hash(ArrayRef<uint8_t>((const uint8_t *)result.data(), result.size()));
  if (!fill("file_sha256", toHex(digest, /*LowerCase=*/true)))
    return noPlaceholder("file_sha256");
  if (!signingKeyPem.empty()) {
    auto sig = signEd25519(signingKeyPem, digest);
    if (!sig)
      return sig.takeError();
    if (!fill("value", *sig))
      return noPlaceholder("value");
  }
  return result;
}

} // namespace

Expected<std::vector<char>> emitObject(const Module &module, TargetMachine &tm,
                                       const obj::Manifest &manifest,
                                       const std::string &signingKeyPem, size_t reserve,
                                       const std::vector<ExternalCObject> &linkedObjects) {
  // The section list is known only after emission: when the first estimate
  // of the digests' room is short, emit once more with the room measured.
  for (int attempt = 0; attempt < 2; ++attempt) {
    size_t needed = 0;
    auto object = emitOnce(module, tm, manifest, signingKeyPem, reserve, linkedObjects, needed);
    if (!object)
      return object.takeError();
    if (!needed)
      return object;
    reserve = needed + 256;
  }
  return createStringError(inconvertibleErrorCode(),
                           "internal error: manifest outgrew its section");
}

} // namespace bt::lower
