// `config = { key = value; ... }`: bpftrace's settings, by their name in the
// block, their BPFTRACE_* name or that name without the prefix, case aside.
// Each key is applied to the object, accepted as meaning nothing for one, or
// refused with the reason.
#include "SemaInternal.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace bt::sema {

using namespace ast;

namespace {

std::string canonicalKey(std::string k) {
  for (char &c : k)
    c = char(std::tolower((unsigned char)c));
  if (k.rfind("bpftrace_", 0) == 0)
    k = k.substr(9);
  return k;
}

} // namespace

void applyConfig(const Preamble &pre, SemaResult &result, DiagnosticEngine &diags) {
  for (const ConfigEntry &e : pre.config) {
    std::string key = canonicalKey(e.key);
    if (key == "max_map_keys") {
      char *end = nullptr;
      errno = 0;
      unsigned long long n = e.isString || e.value.empty() || !std::isdigit((unsigned char)e.value[0])
                                 ? 0
                                 : std::strtoull(e.value.c_str(), &end, 10);
      if (!end || *end || errno || n == 0 || n > kMaxMapKeysLimit) {
        diags.error(e.range, "max_map_keys must be an integer from 1 to " +
                                 std::to_string(kMaxMapKeysLimit));
        continue;
      }
      if (!result.options.maxMapKeys) // an option given to btc wins
        result.options.maxMapKeys = unsigned(n);
    } else if (key == "missing_probes") {
      // Decided twice: btc leaves out what the compile target lacks, btrun what the
      // run host lacks or cannot attach (the manifest carries the setting).
      auto policy = obj::fromString<obj::MissingProbes>(e.value);
      if (!policy)
        diags.error(e.range, "missing_probes takes " + obj::expectedValues<obj::MissingProbes>());
      else
        result.options.missingProbes = *policy;
    } else if (key == "stack_mode") {
      auto mode = obj::fromString<obj::StackMode>(e.value);
      if (!mode)
        diags.error(e.range, "stack_mode takes " + obj::expectedValues<obj::StackMode>());
      else
        result.options.stackMode = *mode;
    } else if (key.rfind("unstable_", 0) == 0) {
      // Feature gates of bpftrace's: btc has what it supports switched on.
      if (e.value != "enable" && e.value != "warn" && e.value != "error")
        diags.error(e.range, key + " takes enable, warn or error");
    } else if (key == "cache_user_symbols" ||
               key == "cpp_demangle" || key == "lazy_symbolication" ||
               key == "show_debug_info" || key == "log_size" || key == "max_bpf_progs" ||
               key == "max_probes" || key == "perf_rb_pages" || key == "license") {
      diags.error(e.range, "config key '" + e.key +
                               "' does not apply to a compiled object (btrun decides it at run time)"
                               " and is not supported yet");
    } else if (key == "print_maps_on_exit" || key == "max_strlen" ||
               key == "on_stack_limit" || key == "str_trunc_trailer" || key == "max_cat_bytes") {
      diags.error(e.range, "config key '" + e.key + "' is not supported yet");
    } else {
      diags.error(e.range, "unknown config key '" + e.key + "'");
    }
  }
}

} // namespace bt::sema
