// bpftrace's run-time settings (its config keys) a script's `config = { ... }` or btc's
// options give: btc records them in the manifest's `options` (docs/OBJECT.md), btrun
// applies them, and a btrun option wins over the recorded value.
#ifndef BT_OBJECT_RUNSETTINGS_H
#define BT_OBJECT_RUNSETTINGS_H

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

namespace bt::obj {

struct RunSettings {
  bool printMapsOnExit = true;      // print_maps_on_exit: the maps printed at exit
  uint64_t maxCatBytes = 10240;     // max_cat_bytes: what cat() reads of a file
  bool cppDemangle = true;          // cpp_demangle: C++ names in ustack/usym demangled
  std::optional<uint64_t> perfRbPages; // perf_rb_pages: btrun's event buffer, in pages
  std::optional<uint64_t> logSize;  // log_size: bytes of the verifier's log
  std::optional<uint64_t> maxProbes; // max_probes: btrun refuses to attach more
  // str_trunc_trailer: appended by printf's %s to a string that fills max_strlen (read
  // truncated, most likely); none by default, as bpftrace 0.17 (newer ones: "..").
  std::string strTruncTrailer;
  auto tie() const {
    return std::tie(printMapsOnExit, maxCatBytes, cppDemangle, perfRbPages, logSize, maxProbes,
                    strTruncTrailer);
  }
};

} // namespace bt::obj

#endif
