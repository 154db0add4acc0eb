// `config = { key = value; ... }`: bpftrace's settings, by their name in the
// block, their BPFTRACE_* name (bpftrace 0.17's spellings too) or that name without
// the prefix, case aside. btc's options and the environment set the same keys
// (setConfigKey) and win over the block. A key is applied to the object, recorded
// for btrun (obj::RunSettings), or refused with the reason.
#include "SemaInternal.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

namespace bt::sema {

using namespace ast;

namespace {

// bpftrace 0.17's environment spellings of today's keys (without BPFTRACE_).
struct Legacy {
  const char *name, *key;
};
constexpr Legacy kLegacyNames[] = {{"strlen", "max_strlen"},
                                   {"map_keys_max", "max_map_keys"},
                                   {"cat_bytes_max", "max_cat_bytes"}};

std::string canonicalKey(std::string k) {
  for (char &c : k)
    c = char(std::tolower((unsigned char)c));
  if (k.rfind("bpftrace_", 0) == 0)
    k = k.substr(9);
  for (const Legacy &l : kLegacyNames)
    if (k == l.name)
      return l.key;
  return k;
}

std::optional<uint64_t> parseUnsigned(const std::string &v, uint64_t min, uint64_t max) {
  if (v.empty() || !std::isdigit((unsigned char)v[0]))
    return std::nullopt;
  char *end = nullptr;
  errno = 0;
  unsigned long long n = std::strtoull(v.c_str(), &end, 10);
  if (*end || errno || n < min || n > max)
    return std::nullopt;
  return n;
}

std::optional<bool> parseBool(const std::string &v) {
  if (v == "true" || v == "1")
    return true;
  if (v == "false" || v == "0")
    return false;
  return std::nullopt;
}

std::string range(const std::string &key, uint64_t min, uint64_t max) {
  return key + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

// The kernel takes a verifier log of 128 bytes to UINT_MAX >> 2.
constexpr uint64_t kMinLogSize = 128, kMaxLogSize = 0xffffffffu >> 2;
// Upstream sets no bound; the kernel does: a string over on_stack_limit lives in
// bt_scratch, a per-CPU array, whose value the kernel caps at 32 KiB. Strings over 1024
// bytes make CPU v4 code (obj::kMaxCpuV3Strlen): their unrolled reads, copies and
// compares need its 32-bit jumps.
constexpr uint64_t kMaxStrlen = 32768;
constexpr uint64_t kMaxCatBytes = 1u << 30;
constexpr uint64_t kMaxRbPages = 1u << 16;
const char *const kLicenses[] = {"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
                                 "Dual MIT/GPL", "Dual MPL/GPL"};

// One of the licences the kernel lets call GPL-only helpers, as btc's programs do.
bool isGplCompatible(const std::string &licence) {
  return std::find(std::begin(kLicenses), std::end(kLicenses), licence) != std::end(kLicenses);
}

} // namespace
} // namespace bt::sema

namespace bt {

using namespace sema; // the helpers above

const std::vector<ConfigKeyInfo> &configKeys() {
  static const std::vector<ConfigKeyInfo> keys = {
      {"max_map_keys", "BPFTRACE_MAP_KEYS_MAX", nullptr}, // btc --max-map-keys
      {"max_strlen", "BPFTRACE_STRLEN",
       "bytes of a string (str(), args' strings, ...; default 64, at most 32768; over 1024 needs kernel 6.6+)"},
      {"on_stack_limit", nullptr,
       "bytes of the largest value kept on the BPF stack; a bigger one is in a per-CPU map (default 32)"},
      {"stack_mode", nullptr, "layout of kstack/ustack without a mode: bpftrace, perf, raw or build_id"},
      {"missing_probes", nullptr, "an attach point the target or run host lacks: error, warn or ignore"},
      {"license", nullptr, "the object's license (default GPL; a GPL-compatible one)"},
      {"max_bpf_progs", nullptr, "refuse a script that makes more BPF programs than N"},
      {"print_maps_on_exit", nullptr, "btrun prints the maps at exit: true (default) or false"},
      {"max_cat_bytes", "BPFTRACE_CAT_BYTES_MAX", "bytes btrun's cat() reads of a file (default 10240)"},
      {"cpp_demangle", "BPFTRACE_NO_CPP_DEMANGLE", "btrun demangles C++ user symbols: true (default) or false"},
      {"perf_rb_pages", nullptr, "pages of btrun's event ring buffer (a power of 2; btrun --perf-rb-pages wins)"},
      {"log_size", nullptr, "bytes of the verifier's log btrun asks for (btrun --log-size wins)"},
      {"max_probes", nullptr, "btrun refuses to attach more than N probes"},
      {"str_trunc_trailer", nullptr,
       "text printf's %s appends to a string that fills max_strlen (default none, as 0.17)"},
  };
  return keys;
}

std::optional<std::string> setConfigKey(SemaOptions &o, const std::string &spelled,
                                        const std::string &v) {
  std::string key = canonicalKey(spelled);
  auto unsignedKey = [&](uint64_t min, uint64_t max, auto apply) -> std::optional<std::string> {
    auto n = parseUnsigned(v, min, max);
    if (!n)
      return range(key, min, max);
    apply(*n);
    return std::nullopt;
  };
  auto boolKey = [&](bool &field, bool invert = false) -> std::optional<std::string> {
    auto b = parseBool(v);
    if (!b)
      return key + " takes true or false";
    field = *b != invert;
    return std::nullopt;
  };
  if (key == "max_map_keys")
    return unsignedKey(1, kMaxMapKeysLimit, [&](uint64_t n) { o.maxMapKeys = unsigned(n); });
  if (key == "max_strlen")
    return unsignedKey(1, kMaxStrlen, [&](uint64_t n) { o.strlen = unsigned(n); });
  if (key == "on_stack_limit")
    return unsignedKey(0, kMaxOnStackLimit, [&](uint64_t n) { o.onStackLimit = unsigned(n); });
  if (key == "max_bpf_progs")
    return unsignedKey(1, 1u << 20, [&](uint64_t n) { o.maxBpfProgs = unsigned(n); });
  if (key == "max_cat_bytes")
    return unsignedKey(1, kMaxCatBytes, [&](uint64_t n) { o.run.maxCatBytes = n; });
  if (key == "log_size")
    return unsignedKey(kMinLogSize, kMaxLogSize, [&](uint64_t n) { o.run.logSize = n; });
  if (key == "max_probes")
    return unsignedKey(1, 1u << 20, [&](uint64_t n) { o.run.maxProbes = n; });
  if (key == "perf_rb_pages") {
    auto n = parseUnsigned(v, 1, kMaxRbPages);
    if (!n || (*n & (*n - 1)))
      return key + " must be a power of 2 from 1 to " + std::to_string(kMaxRbPages);
    o.run.perfRbPages = *n;
    return std::nullopt;
  }
  if (key == "print_maps_on_exit")
    return boolKey(o.run.printMapsOnExit);
  if (key == "cpp_demangle")
    return boolKey(o.run.cppDemangle);
  if (key == "no_cpp_demangle") // bpftrace 0.17's BPFTRACE_NO_CPP_DEMANGLE=1
    return boolKey(o.run.cppDemangle, true);
  if (key == "license") {
    if (isGplCompatible(v)) {
      o.license = v;
      return std::nullopt;
    }
    std::string list;
    for (const char *l : kLicenses)
      list += std::string(list.empty() ? "" : ", ") + "\"" + l + "\"";
    return "license takes one of " + list + " (btc's programs call GPL-only helpers)";
  }
  if (key == "missing_probes") {
    // Decided twice: btc leaves out what the compile target lacks, btrun what the
    // run host lacks or cannot attach (the manifest carries the setting).
    auto policy = obj::fromString<obj::MissingProbes>(v);
    if (!policy)
      return "missing_probes takes " + obj::expectedValues<obj::MissingProbes>();
    o.missingProbes = *policy;
    return std::nullopt;
  }
  if (key == "stack_mode") {
    auto mode = obj::fromString<obj::StackMode>(v);
    if (!mode)
      return "stack_mode takes " + obj::expectedValues<obj::StackMode>();
    o.stackMode = *mode;
    return std::nullopt;
  }
  if (key.rfind("unstable_", 0) == 0) {
    // Feature gates of bpftrace's: btc has what it supports switched on (enable and
    // warn alike: btc prints no warning); error (false, 0) refuses a use of it.
    std::string gate = v;
    for (char &c : gate)
      c = char(std::tolower((unsigned char)c));
    auto b = parseBool(v);
    if (gate == "error" || b == false)
      o.unstableRefused.insert(key);
    else if (gate == "enable" || gate == "warn" || b == true)
      o.unstableRefused.erase(key);
    else
      return key + " takes enable, warn or error";
    return std::nullopt;
  }
  // btrun names user frames from each process's own files with libdw as it prints
  // them: bpftrace's per-process cache, filled on demand, without source lines.
  std::string lower = v;
  for (char &c : lower)
    c = char(std::tolower((unsigned char)c));
  if (key == "cache_user_symbols")
    return lower == "per_pid" ? std::nullopt
                          : std::optional<std::string>(
                                "cache_user_symbols: btrun reads each process's symbols on its "
                                "own (PER_PID); PER_PROGRAM and NONE are not offered");
  if (key == "lazy_symbolication")
    return parseBool(v) == true ? std::nullopt
                                   : std::optional<std::string>(
                                         "lazy_symbolication: btrun names user frames when it "
                                         "prints them (true); ahead of time is not offered");
  if (key == "show_debug_info")
    return parseBool(v) == false ? std::nullopt
                                    : std::optional<std::string>(
                                          "show_debug_info: btrun prints no source lines in "
                                          "stacks (false); true is not supported yet");
  if (key == "str_trunc_trailer") {
    o.run.strTruncTrailer = v;
    return std::nullopt;
  }
  return "unknown config key '" + spelled + "'";
}

} // namespace bt

namespace bt::sema {

void applyConfig(const Preamble &pre, SemaResult &result, DiagnosticEngine &diags) {
  for (const ConfigEntry &e : pre.config) {
    // A key btc's options or the environment set keeps their value (as bpftrace's
    // environment wins over the block); the block's is still checked.
    SemaOptions scratch;
    bool fixed = result.options.fixedKeys.count(canonicalKey(e.key)) > 0;
    if (auto error = setConfigKey(fixed ? scratch : result.options, e.key, e.value))
      diags.error(e.range, *error);
  }
}

// Upstream takes a script's license from its SPDX comment, a config block's winning; an
// identifier of GPL v2 is the kernel's "GPL". btc's programs call GPL-only helpers, so
// another identifier (upstream would refuse those helpers) is refused here, at the comment.
bool applySpdxLicense(const Program &program, SemaResult &result, DiagnosticEngine &diags) {
  if (result.options.fixedKeys.count("license"))
    return true;
  for (const Preamble &pre : program.preamble)
    for (const ConfigEntry &e : pre.config)
      if (canonicalKey(e.key) == "license")
        return true;
  const std::string marker = "SPDX-License-Identifier:";
  const std::string &text = diags.file().text();
  size_t lineStart = 0;
  for (uint32_t line = 1; lineStart < text.size(); ++line) {
    size_t lineEnd = text.find('\n', lineStart);
    if (lineEnd == std::string::npos)
      lineEnd = text.size();
    std::string l = text.substr(lineStart, lineEnd - lineStart);
    lineStart = lineEnd + 1;
    // The identifier of a comment's line (`// SPDX-...`, or ` * SPDX-...` in a block).
    size_t at = l.find(marker);
    size_t lead = l.find_first_not_of(" \t");
    bool inComment = at != std::string::npos &&
                     (l.compare(lead, 2, "//") == 0 || l.compare(lead, 2, "/*") == 0 ||
                      l.compare(lead, 1, "*") == 0);
    if (!inComment)
      continue;
    size_t begin = l.find_first_not_of(" \t", at + marker.size());
    if (begin == std::string::npos)
      return false;
    size_t end = l.find_first_of(" \t", begin);
    std::string id = l.substr(begin, end == std::string::npos ? end : end - begin);
    if (id.size() >= 2 && id.compare(id.size() - 2, 2, "*/") == 0)
      id.erase(id.size() - 2);
    for (const char *gpl2 : {"GPL-2.0", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-2.0+"})
      if (id == gpl2)
        id = "GPL";
    SourceRange r{{line, uint32_t(begin + 1)}, {line, uint32_t(begin + id.size())}};
    if (isGplCompatible(id)) {
      result.options.license = id;
      return true;
    }
    diags.error(r, "SPDX-License-Identifier '" + id + "' is no GPL-compatible license, and "
                   "bpftrace takes it as the program's: btc's programs call GPL-only "
                   "helpers (a GPL-2.0 identifier, or config = { license = \"GPL\" }, "
                   "makes it GPL)");
    return true;
  }
  return false;
}

// libbpf's linker keeps one licence section, so an imported object's licence text must
// be the script's. A script that names none takes the first object's, when it is one of
// the GPL-compatible licences btc writes (clang's usual "Dual BSD/GPL"): the kernel
// lets either call the GPL-only helpers btc's programs call.
void applyObjectLicences(bool scriptNamesLicence, SemaResult &result,
                         DiagnosticEngine &diags) {
  if (!result.options.externalC)
    return;
  std::string keptFrom; // the object whose licence is kept; empty: the script's
  for (const ExternalCObject &o : result.options.externalC->objects) {
    std::optional<std::string> licence = o.licence();
    if (!licence)
      continue;
    std::string file = std::filesystem::path(o.file).filename().string();
    if (!isGplCompatible(*licence)) {
      diags.error(o.range, "'" + file + "' carries the licence '" + *licence +
                               "', which is not GPL-compatible: btc's programs call "
                               "GPL-only helpers, and libbpf's linker keeps one licence");
    } else if (!scriptNamesLicence) {
      // The first object's licence is the one kept; the later ones must be it.
      result.options.license = *licence;
      scriptNamesLicence = true;
      keptFrom = file;
    } else if (*licence != result.options.license) {
      diags.error(o.range, "'" + file + "' carries the licence '" + *licence + "' and " +
                               (keptFrom.empty() ? std::string("the script's licence")
                                                 : "the licence of '" + keptFrom + "'") +
                               " is '" + result.options.license +
                               "': libbpf's linker keeps one (" +
                               (keptFrom.empty() ? "set the script's license config key to "
                                                   "the object's, or none)"
                                                 : "build one object with the other's)"));
    }
  }
}

void checkUnstableDeclarations(const Program &program, const SemaResult &result,
                               DiagnosticEngine &diags) {
  if (auto refused = result.options.refusedUnstable("unstable_map_decl"))
    for (const MapDecl &d : program.mapDecls)
      diags.error(d.range, "map declaration: " + *refused);
  if (auto refused = result.options.refusedUnstable("unstable_macro"))
    for (const MacroDef &m : program.macros)
      diags.error(m.nameRange, "macro: " + *refused);
}

} // namespace bt::sema
