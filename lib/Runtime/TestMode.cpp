// btrun --test and --bench: upstream bpftrace's test: and bench: probes. Nothing is
// attached. BEGIN runs first and END last, as in a trace run; in between each test
// probe runs once (BPF_PROG_TEST_RUN) with its output captured, and passes when it
// returns 0 without an errorf() or a runtime error and without exit() with a non-zero
// code; each bench probe (an XDP program, which the kernel can repeat and time) runs
// until its repeats take long enough to time, and its average is printed. The report
// is upstream's: gtest-like lines for tests, a table for benchmarks, or one JSON line
// a result ({"type": "test_result"|"benchmark_result", ...}).
#include "RunSteps.h"

#include "bt/Runtime/EventLoop.h"
#include "bt/Runtime/Output.h"
#include "bt/Runtime/Verify.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace bt::rt {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char *kGreen = "\033[32m", *kRed = "\033[31m", *kPlain = "\033[0m";

std::string tag(const char *colour, const char *label) {
  return std::string(colour) + label + kPlain + " ";
}

std::string plural(size_t n, const char *one, const char *many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// A duration in its largest whole unit, as upstream prints a test's time.
std::string durationText(std::chrono::nanoseconds d) {
  uint64_t ns = static_cast<uint64_t>(d.count());
  if (ns >= 1000000000)
    return std::to_string(ns / 1000000000) + " s";
  if (ns >= 1000000)
    return std::to_string(ns / 1000000) + " ms";
  if (ns >= 1000)
    return std::to_string(ns / 1000) + " μs";
  return std::to_string(ns) + " ns";
}

struct TestResult {
  std::string name;
  bool passed = false;
  std::chrono::nanoseconds duration{0};
  std::string output;
};

class TestRun {
public:
  TestRun(const BpfObject &bpf, EventLoop &loop, Output &out) : bpf_(bpf), loop_(loop), out_(out) {}

  Result<TestResult> run(const AttachmentSpec &a) {
    TestResult r;
    r.name = a.target.name;
    size_t errorsBefore = loop_.errorCount();
    out_.startCapture();
    auto start = std::chrono::steady_clock::now();
    auto ran = bpf_.testRun(a.program);
    Status drained = ran ? loop_.drain() : Status();
    r.duration = std::chrono::steady_clock::now() - start;
    r.output = out_.endCapture();
    if (!ran)
      return std::move(ran).error().prefix(a.probe + ": ");
    if (!drained)
      return std::move(drained).error();
    bool exitFailed = loop_.exitRequested() && loop_.exitCode() != 0;
    loop_.resetExit();
    r.passed = *ran == 0 && loop_.errorCount() == errorsBefore && !exitFailed;
    return r;
  }

  // The header before the first test, then the test's RUN line, written before it runs:
  // what it writes to stderr (errorf) follows its own RUN line, not the previous test's.
  void announce(size_t count, size_t index, const std::string &name) {
    std::string text;
    if (index == 0)
      text += tag(kGreen, "[==========]") + "Running " + plural(count, "test", "tests") + ".\n";
    text += tag(kGreen, "[ RUN      ]") + name + "\n";
    out_.report(text);
    out_.flush();
  }

  // One test's result: its output only when it failed.
  void report(const TestResult &r) {
    std::string text;
    if (r.passed) {
      text += tag(kGreen, "[       OK ]") + r.name;
    } else {
      size_t b = 0;
      while (b < r.output.size()) {
        size_t e = r.output.find('\n', b);
        if (e == std::string::npos)
          e = r.output.size();
        if (e > b)
          text += r.output.substr(b, e - b) + "\n";
        b = e + 1;
      }
      text += tag(kRed, "[  FAILED  ]") + r.name;
    }
    text += " (" + durationText(r.duration) + ")\n";
    Json data = {{r.name,
                  {{"duration", static_cast<uint64_t>(r.duration.count())},
                   {"passed", r.passed},
                   {"output", r.output}}}};
    out_.report(text, "test_result", &data);
  }

  void summary(const std::vector<TestResult> &results) {
    size_t failed = static_cast<size_t>(
        std::count_if(results.begin(), results.end(), [](const TestResult &r) { return !r.passed; }));
    std::string text = tag(kGreen, "[==========]") + plural(results.size(), "test", "tests") +
                       " ran.\n" + tag(kGreen, "[  PASSED  ]") +
                       plural(results.size() - failed, "test", "tests") + ".\n";
    if (failed) {
      text += tag(kRed, "[  FAILED  ]") + plural(failed, "test", "tests") + ", listed below:\n";
      for (const TestResult &r : results)
        if (!r.passed)
          text += tag(kRed, "[  FAILED  ]") + r.name + "\n";
    }
    out_.report(text); // JSON has a line per test and no summary, as upstream's
  }

private:
  const BpfObject &bpf_;
  EventLoop &loop_;
  Output &out_;
};

// Repeats until the kernel's runs take long enough to time (or a cap on the count):
// the average per run and the repeats it came from.
constexpr uint32_t kFirstRepeats = 16, kMaxRepeats = 1u << 24;
constexpr uint64_t kEnoughNs = 100000000; // 100 ms of runs

Result<std::pair<uint32_t, uint32_t>> timeBench(const BpfObject &bpf, const AttachmentSpec &a) {
  uint32_t repeats = kFirstRepeats;
  while (true) {
    auto average = bpf.timeRepeatedRuns(a.program, repeats);
    if (!average)
      return std::move(average).error().prefix(a.probe + ": ");
    if (uint64_t(*average) * repeats >= kEnoughNs || repeats >= kMaxRepeats)
      return std::make_pair(*average, repeats);
    repeats *= 4;
  }
}

std::string benchRow(const std::string &first, const std::string &second, const std::string &third,
                     size_t nameWidth) {
  constexpr size_t kTimeWidth = 15;
  std::string row = first;
  row.resize(std::max(row.size(), nameWidth + 1), ' ');
  std::string time = second;
  time.resize(std::max(time.size(), kTimeWidth), ' ');
  return row + time + third + "\n";
}

} // namespace

void selectRunMode(Manifest &m, RunMode mode) {
  auto kept = [mode](ProbeType t) {
    if (mode == RunMode::Trace)
      return !runsOnlyInTestMode(t);
    return t == ProbeType::Begin || t == ProbeType::End ||
           t == (mode == RunMode::Test ? ProbeType::Test : ProbeType::Bench);
  };
  auto &probes = m.probes;
  probes.erase(std::remove_if(probes.begin(), probes.end(),
                              [&](const ProbeSpec &p) { return !kept(p.type); }),
               probes.end());
  auto &types = m.requirements.probeTypes;
  types.erase(std::remove_if(types.begin(), types.end(), [&](ProbeType t) { return !kept(t); }),
              types.end());
  if (mode == RunMode::Trace)
    return;
  // Nothing attaches: what attaching needs of the host is not needed.
  m.attachOrder.clear();
  m.requirements.tracepoints.clear();
  m.requirements.binaries.clear();
  m.requirements.multiLinks.clear();
}

Result<int> runTestMode(const RunOptions &opt) {
  auto output = Output::open(opt.outputPath, opt.format, opt.bufferMode);
  if (!output)
    return std::move(output).error();
  Output &out = **output;
  auto loaded = prepare(opt.objectPath, opt.verbose, opt.trust, opt.run, opt.mode);
  if (!loaded)
    return std::move(loaded).error();
  const Manifest &m = loaded->file.manifest;
  BpfObject &bpf = *loaded->bpf;
  const ProbeType kind = opt.mode == RunMode::Test ? ProbeType::Test : ProbeType::Bench;
  std::vector<const AttachmentSpec *> runs = programsOfType(m, kind);
  if (runs.empty())
    return Error(opt.objectPath + ": the script has no " + toString(kind) + " probes (--" +
                 (opt.mode == RunMode::Test ? "test" : "bench") + " runs only those)");
  auto started = startRun(opt, m, bpf, out);
  if (!started)
    return std::move(started).error();
  Globals64 &globals = *started->globals;
  EventLoop &loop = *started->loop;
  if (!opt.quiet)
    out.attached(runs.size());

  globals.setStartNow();
  if (auto st = runSpecial(bpf, m, ProbeType::Begin); !st)
    return std::move(st).error();
  if (auto st = loop.drain(); !st)
    return std::move(st).error();
  loop.resetExit();

  size_t nameWidth = 40;
  for (const AttachmentSpec *a : runs)
    nameWidth = std::max(nameWidth, a->target.name.size());
  int exitCode = 0;
  if (opt.mode == RunMode::Test) {
    TestRun tests(bpf, loop, out);
    std::vector<TestResult> results;
    for (const AttachmentSpec *a : runs) {
      tests.announce(runs.size(), results.size(), a->target.name);
      auto r = tests.run(*a);
      if (!r)
        return std::move(r).error();
      tests.report(*r);
      results.push_back(std::move(*r));
      out.flush();
    }
    tests.summary(results);
    exitCode = std::all_of(results.begin(), results.end(),
                           [](const TestResult &r) { return r.passed; })
                   ? 0
                   : 1;
  } else {
    out.report(benchRow("Benchmark", "Time(ns)", "Iterations", nameWidth) +
               std::string(nameWidth + 1 + 15 + 10, '-') + "\n");
    // What the repeats print is not the benchmark's result: it is dropped.
    for (const AttachmentSpec *a : runs) {
      loop.setDiscard(true);
      auto timed = timeBench(bpf, *a);
      if (!timed)
        return std::move(timed).error();
      if (auto st = loop.drain(); !st)
        return std::move(st).error();
      loop.resetExit();
      auto [average, repeats] = *timed;
      Json data = {{a->target.name, {{"average", average}, {"iters", repeats}}}};
      out.report(benchRow(a->target.name, std::to_string(average), std::to_string(repeats),
                          nameWidth),
                 "benchmark_result", &data);
      out.flush();
    }
  }

  if (auto st = runSpecial(bpf, m, ProbeType::End); !st)
    return std::move(st).error();
  if (auto st = loop.drain(); !st)
    return std::move(st).error();
  out.flush();
  return exitCode;
}

} // namespace bt::rt
