// The whole run: verify -> load -> attach -> arm -> run -> stop. The tool's entry points.
#ifndef BT_RUNTIME_RUNNER_H
#define BT_RUNTIME_RUNNER_H

#include "bt/Runtime/ObjectReader.h"
#include "bt/Runtime/Output.h"
#include "bt/Runtime/Result.h"

#include <cstdint>
#include <optional>
#include <string>

namespace bt::rt {

/// btrun --perf-rb-pages, --log-size: they win over the manifest's settings.
struct RunSettingOverrides {
  std::optional<uint64_t> perfRbPages, logSize;
};

/// What a run does with the script's probes. Trace: attach and run them, leaving out
/// test and bench probes (as bpftrace without --test/--bench). Test (btrun --test):
/// run BEGIN, each test probe once, END, and report which passed. Bench (--bench):
/// run BEGIN, time each bench probe over many runs, END, and print the averages.
enum class RunMode { Trace, Test, Bench };

struct RunOptions {
  RunMode mode = RunMode::Trace;
  std::string objectPath;
  std::string command;    // -c: run after arming, stop when it exits
  std::optional<int> pid; // -p: uprobes/usdt trace this process only; stop when it exits
  std::string outputPath; // -o: script output to this file instead of stdout
  bool quiet = false;     // -q: no "Attaching N probes..." banner
  OutputFormat format = OutputFormat::Text; // -f text|json
  BufferMode bufferMode = BufferMode::Batch; // -B none|line|full
  std::optional<double> timeoutSeconds;
  bool verbose = false; // -v: libbpf's messages and progress on stderr
  unsigned armDelayMs = 0; // keep the probes disarmed this long after BEGIN
  bool warnings = true;    // --no-warnings clears it
  bool unsafe = false;     // --unsafe: the object may call signal()
  TrustPolicy trust;       // --trust KEY.pub, --require-signature
  std::vector<std::string> params; // arguments after the object: $1, $2, ...
  std::string metricsAddress;      // --metrics HOST:PORT: serve the maps to Prometheus
  size_t metricsMaxSeries = 10000; // --metrics-max-series
  RunSettingOverrides run;
};

/// Runs the object until exit(), SIGINT/SIGTERM, the -c command's exit or the timeout.
/// Returns the exit code (0) or an error; nothing stays attached either way.
/// Under RunMode Test or Bench: runTestMode.
Result<int> run(const RunOptions &options);

/// btrun --test / --bench (lib/Runtime/TestMode.cpp): nothing is attached. The exit
/// code is 1 when a test failed.
Result<int> runTestMode(const RunOptions &options);

/// Reads and verifies the object and the host, loads it into the kernel (the verifier
/// runs), then unloads it. Returns a one-line summary.
Result<std::string> verifyOnly(const std::string &objectPath, bool verbose,
                               const TrustPolicy &trust = {});

/// What a run would do, without touching the kernel: the attach sequence of
/// phase one in the manifest's attach order, then BEGIN, arming and END.
Result<std::string> dryRun(const std::string &objectPath, const TrustPolicy &trust = {});

/// The object's manifest as pretty-printed JSON (not verified against the host).
Result<std::string> manifestJson(const std::string &objectPath);

/// `btrun OBJ --help`: the script's named parameters (getopt), each with its kind,
/// default and description, as bpftrace's --help lists a script's; "" when it has none.
Result<std::string> namedParamsHelp(const std::string &objectPath);

} // namespace bt::rt

#endif
