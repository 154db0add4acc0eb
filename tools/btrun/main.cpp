// btrun: runs a btc object on this host. Options here; the work is in lib/Runtime.
#include "bt/Runtime/HostDescription.h"
#include "bt/Runtime/ObjectReader.h"
#include "bt/Runtime/Runner.h"
#ifdef BT_OCI
#include "OciSource.h"
#endif

#include <boost/program_options.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace po = boost::program_options;

namespace {

int fail(const bt::rt::Error &e) {
  for (const auto &m : e.messages)
    std::fprintf(stderr, "btrun: error: %s\n", m.c_str());
  for (const auto &d : e.details)
    std::fprintf(stderr, "  %s\n", d.c_str());
  return e.exitCode ? e.exitCode : 1;
}

int usageError(const std::string &msg) {
  std::fprintf(stderr, "btrun: error: %s (see btrun --help)\n", msg.c_str());
  return 2;
}

const char *kUsage = "usage: btrun [options] OBJECT [ARG...]   (ARGs are the script's $1, $2, ...)\n"
                     "       OBJECT: a file, or oci:DIR[:TAG] (an image in an OCI layout)\n"
                     "       btrun --test | --bench OBJECT [ARG...]\n"
                     "       btrun --verify-only OBJECT\n"
                     "       btrun --print-manifest OBJECT\n"
                     "       btrun --describe-host [-o FILE]\n";

#ifndef BT_OCI
// libarchive would take btrun-static past its 3 MB (docs/FLEET.md, "OCI image").
bt::rt::Result<std::vector<uint8_t>> refuseOci(const std::string &name) {
  return bt::rt::Error(name + ": btrun-static does not read OCI image layouts: use btrun, or the "
                              "object file in the image's mounted content");
}
#endif

} // namespace

int main(int argc, char **argv) {
  po::options_description visible("options");
  std::string command, output, verifyOnly, printManifest, dryRun, format = "text", bufferMode;
  double timeout = 0;
  unsigned armDelay = 0;
  int pid = 0;
  visible.add_options()
      ("help,h", "print this help")
      ("command,c", po::value<std::string>(&command), "run CMD after arming; stop when it exits")
      ("pid,p", po::value<int>(&pid),
       "uprobes and usdt probes trace process PID only; stop when it exits")
      ("output,o", po::value<std::string>(&output), "write the script's output to FILE")
      ("quiet,q", "do not print the \"Attaching N probes...\" banner")
      ("format,f", po::value<std::string>(&format), "output format: text (default) or json, as bpftrace -f")
      ("buffer-mode,B", po::value<std::string>(&bufferMode),
       "when output is written, as bpftrace -B: none (every record), line (every line), full "
       "(every 64 KiB); by default after each batch of records")
      ("timeout", po::value<double>(&timeout), "stop after SECONDS")
      ("test", "run the script's test probes (BEGIN first, END last; nothing is attached) and "
               "report which passed, as bpftrace --test; exit 1 when one failed")
      ("bench", "time the script's bench probes (BEGIN first, END last; nothing is attached) "
                "and print each one's average, as bpftrace --bench")
      ("verify-only", po::value<std::string>(&verifyOnly),
       "verify OBJ and the host, load it into the kernel verifier, unload, print OK")
      ("print-manifest", po::value<std::string>(&printManifest), "print OBJ's manifest as JSON")
      ("describe-host", "write this host as a target description for btc (docs/TARGET.md) to the -o file, its BTF beside it, or to standard output")
      ("dry-run", po::value<std::string>(&dryRun),
       "print OBJ's attach sequence and phases without loading or attaching anything")
      ("arm-delay", po::value<unsigned>(&armDelay),
       "diagnostic: keep probes disarmed for MS milliseconds after BEGIN")
      ("trust", po::value<std::string>(), "accept only signatures by this Ed25519 public key (PEM)")
      ("require-signature", "refuse objects that are not signed (with --trust)")
      ("metrics", po::value<std::string>(), "serve the maps to Prometheus on HOST:PORT (GET /metrics) while running")
      ("metrics-max-series", po::value<size_t>(), "export at most N series per scrape (default 10000)")
      ("perf-rb-pages", po::value<uint64_t>(), "pages of the event ring buffer, a power of 2 (wins over the script's config perf_rb_pages)")
      ("log-size", po::value<uint64_t>(), "bytes of the verifier's log (wins over the script's config log_size)")
      ("unsafe", "allow the unsafe functions the object calls (signal, system), as bpftrace --unsafe")
      ("no-warnings", "do not print warnings (helper errors reported by objects built with btc -k, full maps)")
      ("verbose,v", "print libbpf's messages and progress on stderr");
  po::options_description hidden;
  std::vector<std::string> objects;
  hidden.add_options()("object", po::value<std::vector<std::string>>(&objects));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description pos;
  pos.add("object", -1);

#ifdef BT_OCI
  bt::rt::registerObjectSource("oci", bt::readOciObject);
#else
  bt::rt::registerObjectSource("oci", refuseOci);
#endif
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::unknown_option &e) {
    // bpftrace -l lists probes; here the compiler lists them, for the host or a target.
    if (e.get_option_name() == "-l" || e.get_option_name() == "--list")
      return usageError("unrecognised option '" + e.get_option_name() +
                        "': probes are listed by btc -l PATTERN (for this host, or another "
                        "with --target)");
    return usageError(e.what());
  } catch (const po::error &e) {
    return usageError(e.what());
  }

  if (vm.count("help")) {
    std::cout << kUsage << "\n" << visible;
    if (!objects.empty()) { // `btrun OBJ --help`: the script's options too
      auto params = bt::rt::namedParamsHelp(objects.front());
      if (!params)
        return fail(params.error());
      std::cout << *params;
    }
    return 0;
  }
  bool verbose = vm.count("verbose") > 0;
  bt::rt::TrustPolicy trust;
  if (vm.count("trust"))
    trust.publicKeyPath = vm["trust"].as<std::string>();
  trust.requireSignature = vm.count("require-signature") > 0;
  if (trust.requireSignature && trust.publicKeyPath.empty())
    return usageError("--require-signature needs --trust KEY.pub");

  int modes = !verifyOnly.empty() + !printManifest.empty() + !dryRun.empty() +
              int(vm.count("describe-host"));
  if (modes > 1)
    return usageError("--verify-only, --print-manifest, --dry-run and --describe-host cannot be combined");
  if (vm.count("describe-host")) {
    if (!objects.empty())
      return usageError("unexpected argument '" + objects.front() + "'");
    auto text = bt::rt::describeHost(output);
    if (!text)
      return fail(text.error());
    if (output.empty() || output == "-") {
      std::cout << *text;
      return 0;
    }
    std::ofstream out(output, std::ios::trunc);
    if (!(out << *text) || !out.flush())
      return fail(bt::rt::Error("cannot write '" + output + "': " + std::strerror(errno)));
    return 0;
  }
  if (modes == 1) {
    if (!objects.empty())
      return usageError("unexpected argument '" + objects.front() + "'");
    if (!dryRun.empty()) {
      auto text = bt::rt::dryRun(dryRun, trust);
      if (!text)
        return fail(text.error());
      std::cout << *text;
      return 0;
    }
    if (!printManifest.empty()) {
      auto text = bt::rt::manifestJson(printManifest);
      if (!text)
        return fail(text.error());
      std::cout << *text;
      return 0;
    }
    auto ok = bt::rt::verifyOnly(verifyOnly, verbose, trust);
    if (!ok)
      return fail(ok.error());
    std::cout << *ok << "\n";
    return 0;
  }

  if (objects.empty())
    return usageError("no object file given");
  if (vm.count("timeout") && !(timeout > 0))
    return usageError("--timeout needs a positive number of seconds");

  if (format != "text" && format != "json")
    return usageError("-f: unknown output format '" + format + "' (expected text or json)");

  bt::rt::RunOptions opt;
  opt.format = format == "json" ? bt::rt::OutputFormat::Json : bt::rt::OutputFormat::Text;
  if (bufferMode == "none")
    opt.bufferMode = bt::rt::BufferMode::None;
  else if (bufferMode == "line")
    opt.bufferMode = bt::rt::BufferMode::Line;
  else if (bufferMode == "full")
    opt.bufferMode = bt::rt::BufferMode::Full;
  else if (vm.count("buffer-mode"))
    return usageError("-B: unknown buffer mode '" + bufferMode + "' (expected none, line or full)");
  if (vm.count("test") && vm.count("bench"))
    return usageError("--test and --bench cannot be combined");
  if (vm.count("test") || vm.count("bench")) {
    if (vm.count("command") || vm.count("pid") || vm.count("metrics") || vm.count("timeout"))
      return usageError(std::string("--") + (vm.count("test") ? "test" : "bench") +
                        " runs no traced probes: -c, -p, --metrics and --timeout do not apply");
    opt.mode = vm.count("test") ? bt::rt::RunMode::Test : bt::rt::RunMode::Bench;
  }
  opt.objectPath = objects.front();
  opt.params.assign(objects.begin() + 1, objects.end());
  opt.command = command;
  opt.outputPath = output;
  if (vm.count("pid")) {
    if (vm.count("command"))
      return usageError("-p and -c cannot be combined");
    opt.pid = pid;
  }
  opt.quiet = vm.count("quiet") > 0;
  if (vm.count("timeout"))
    opt.timeoutSeconds = timeout;
  opt.verbose = verbose;
  opt.armDelayMs = armDelay;
  opt.warnings = vm.count("no-warnings") == 0;
  opt.unsafe = vm.count("unsafe") > 0;
  opt.trust = trust;
  if (vm.count("metrics"))
    opt.metricsAddress = vm["metrics"].as<std::string>();
  if (vm.count("metrics-max-series")) {
    opt.metricsMaxSeries = vm["metrics-max-series"].as<size_t>();
    if (opt.metricsMaxSeries == 0)
      return usageError("--metrics-max-series needs a positive number");
  }
  if (vm.count("perf-rb-pages")) {
    uint64_t pages = vm["perf-rb-pages"].as<uint64_t>();
    if (pages == 0 || pages > (1u << 16) || (pages & (pages - 1)))
      return usageError("--perf-rb-pages needs a power of 2 from 1 to 65536");
    opt.run.perfRbPages = pages;
  }
  if (vm.count("log-size")) {
    // The kernel takes a log of 128 bytes to UINT_MAX >> 2.
    uint64_t bytes = vm["log-size"].as<uint64_t>();
    if (bytes < 128 || bytes > (0xffffffffu >> 2))
      return usageError("--log-size needs 128 to 1073741823 bytes");
    opt.run.logSize = bytes;
  }
  if (vm.count("command") && command.find_first_not_of(" \t") == std::string::npos)
    return usageError("-c needs a command");

  auto rc = bt::rt::run(opt);
  if (!rc)
    return fail(rc.error());
  return *rc;
}
