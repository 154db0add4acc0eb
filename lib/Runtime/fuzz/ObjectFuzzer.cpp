// libFuzzer target: the bytes btrun reads before it loads anything, through the
// same steps and in the same order (no kernel calls, no libbpf):
//   - an ELF ("\x7fELF..."): the object reader (libelf), the manifest parser, the
//     section digests, the whole-file digest, the signature policy, then what
//     --dry-run prints and the printf formats of the event table on a zeroed record;
//   - anything else is taken as manifest JSON: the manifest parser and the same walk.
// Every error must be one line: an error message with a newline or another control
// character in it (a name from the file, printed raw) aborts.
#include "bt/Runtime/Format.h"
#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/ObjectReader.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace bt::rt;

void checkOneLine(const Error &e, const char *what) {
  if (e.messages.empty()) {
    std::fprintf(stderr, "%s: an error without a message\n", what);
    std::abort();
  }
  for (const auto &m : e.messages) {
    bool control = false;
    for (unsigned char c : m)
      control |= c < 0x20 || c == 0x7f;
    if (m.empty() || control) {
      std::fprintf(stderr, "%s: an error message that is not one printable line: [%s]\n", what,
                   m.c_str());
      std::abort();
    }
  }
}

template <typename R> bool ok(const R &r, const char *what) {
  if (r)
    return true;
  checkOneLine(r.error(), what);
  return false;
}

/// What btrun does with a parsed manifest without the kernel: the dry-run walk
/// (attach order -> probes) and formatting every event on a zeroed record.
void walk(const Manifest &m) {
  for (const auto &prog : m.attachOrder) {
    auto [probe, att] = m.findProgram(prog);
    if (!probe || !att) {
      std::fprintf(stderr, "attach_order names '%s', which the parser accepted but no probe has\n",
                   prog.c_str());
      std::abort();
    }
  }
  (void)m.attachPointCount();
  const FormatContext ctx = FormatContext::of(m);
  for (const auto &e : m.events) {
    if (e.size > (1u << 16))
      continue;
    std::vector<uint8_t> record(e.size, 0);
    switch (e.kind) {
    case EventKind::Printf:
    case EventKind::Cat:
    case EventKind::System:
    case EventKind::Errorf:
    case EventKind::Warnf: {
      auto text = formatPrintf(e.parsedFormat, e.args, record.data(), record.size(), ctx);
      ok(text, "formatPrintf");
      break;
    }
    case EventKind::PrintValue:
      if (ok(checkArgs(e.args, record.size()), "checkArgs"))
        (void)formatValue(e.args.front(), record.data(), ctx);
      break;
    default:
      break;
    }
    if (e.kind == EventKind::PrintMap || e.kind == EventKind::Clear || e.kind == EventKind::Zero)
      if (!m.findMap(e.map)) {
        std::fprintf(stderr, "event names map '%s', which the parser accepted but is missing\n",
                     e.map.c_str());
        std::abort();
      }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size >= 4 && std::memcmp(data, "\x7f" "ELF", 4) == 0) {
    auto obj = readObjectBytes("fuzz.bto", std::vector<uint8_t>(data, data + size));
    if (!ok(obj, "readObject"))
      return 0;
    auto manifest = parseManifest(obj->manifestText);
    if (!ok(manifest, "parseManifest"))
      return 0;
    // btrun stops at the first failing check; run them all here for coverage.
    bool verified = ok(verifyIntegrity(*obj, *manifest), "verifyIntegrity");
    verified &= ok(verifyFileDigest(*obj, *manifest), "verifyFileDigest");
    TrustPolicy policy;
    policy.requireSignature = true;
    (void)ok(verifySignature(*obj, *manifest, policy), "verifySignature");
    (void)verified;
    walk(*manifest);
    return 0;
  }
  auto manifest = parseManifest(std::string_view(reinterpret_cast<const char *>(data), size));
  if (ok(manifest, "parseManifest"))
    walk(*manifest);
  return 0;
}
