// btc: compiles a bpftrace script into a BPF ELF object with a manifest.
#include "ListProbes.h"
#include "OciImage.h"
#include "bt/Basic/Builtins.h"
#include "bt/Basic/File.h"
#include "bt/Lower/CSources.h"
#include "bt/Lower/LifetimeCheck.h"
#include "bt/Lower/Lower.h"
#include "bt/Lower/LoweringError.h"
#include "bt/Parse/ASTPrinter.h"
#include "bt/Parse/Parser.h"
#include "bt/Sema/Sema.h"
#include "bt/Target/BtfFile.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <optional>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <tuple>
#include <vector>

namespace po = boost::program_options;

namespace {

int fail(const std::string &msg, int code = 1) {
  std::cerr << "btc: error: " << msg << "\n";
  return code;
}

// A refusal lowering raised at a place in the script is printed as Sema's errors are,
// with its line and a caret; any other is btc's own one line.
int failCompiling(llvm::Error error, const bt::DiagnosticEngine &diags) {
  llvm::Error other = llvm::handleErrors(std::move(error), [&](const bt::LoweringError &e) {
    bt::printDiagnostic(std::cerr, diags.fileOf(e.diagnostic().range.begin), e.diagnostic());
  });
  return other ? fail(llvm::toString(std::move(other))) : 1;
}

// Writes to `path`, or standard output for "" or "-".
bool writeOutput(const std::string &path, const char *data, size_t size) {
  if (path.empty() || path == "-") {
    std::cout.write(data, size);
    return bool(std::cout.flush());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data, size);
  return bool(out);
}

// The target(s) of --target, or the host; several are combined into one that checks
// against each.
// --btf FILE is each target's BTF: kernel types, and the kernel functions of a target
// that lists none of its own (bt/Target/BtfFile.h).
bt::OrError<std::unique_ptr<bt::TargetInfo>> loadTargets(const po::variables_map &vm) {
  auto withBtf = [&](std::unique_ptr<bt::TargetInfo> target) {
    return vm.count("btf") ? bt::withBtfFile(std::move(target), vm["btf"].as<std::string>())
                           : std::move(target);
  };
  if (!vm.count("target")) {
    auto host = bt::makeHostTarget();
    if (!host)
      return host;
    return withBtf(std::move(*host));
  }
  std::vector<std::unique_ptr<bt::TargetInfo>> targets;
  for (const std::string &file : vm["target"].as<std::vector<std::string>>()) {
    auto target = bt::loadTargetFile(file);
    if (!target)
      return target;
    targets.push_back(withBtf(std::move(*target)));
  }
  return bt::combineTargets(std::move(targets));
}

// bpftrace's config keys as options (--max-strlen N) and environment variables
// (BPFTRACE_MAX_STRLEN, bpftrace 0.17's BPFTRACE_STRLEN): an option wins over a
// variable, and either over the script's config block, as bpftrace's environment does.
std::string optionName(const char *key) {
  std::string name = key;
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

void addConfigOptions(po::options_description &options) {
  for (const bt::ConfigKeyInfo &k : bt::configKeys())
    if (k.help) // max_map_keys has its own --max-map-keys
      options.add_options()(optionName(k.key).c_str(), po::value<std::string>(), k.help);
}

std::string applyConfigSettings(const po::variables_map &vm, bt::SemaOptions &options) {
  for (const bt::ConfigKeyInfo &k : bt::configKeys()) {
    if (options.fixedKeys.count(k.key))
      continue;
    std::string option = optionName(k.key), spelled, value, what;
    if (k.help && vm.count(option)) {
      spelled = k.key;
      value = vm[option].as<std::string>();
      what = "--" + option + " " + value;
    } else {
      std::string variable = "BPFTRACE_" + std::string(k.key);
      std::transform(variable.begin(), variable.end(), variable.begin(),
                     [](unsigned char c) { return char(std::toupper(c)); });
      for (const std::string &name : {variable, std::string(k.legacyEnv ? k.legacyEnv : "")})
        if (const char *v = name.empty() ? nullptr : std::getenv(name.c_str())) {
          spelled = name;
          value = v;
          what = name + "=" + value;
          break;
        }
    }
    if (spelled.empty())
      continue;
    if (auto error = bt::setConfigKey(options, spelled, value))
      return what + ": " + *error;
    options.fixedKeys.insert(k.key);
  }
  return "";
}

int checkIR(const std::string &path) {
  llvm::LLVMContext ctx;
  llvm::SMDiagnostic err;
  auto module = llvm::parseIRFile(path, err, ctx);
  if (!module) {
    std::string msg;
    llvm::raw_string_ostream os(msg);
    err.print("btc", os, false);
    std::cerr << os.str();
    return 1;
  }
  auto violations = bt::checkLifetimes(*module);
  for (const auto &v : violations)
    std::cerr << path << ": error: " << v.message() << "\n";
  if (!violations.empty())
    return 1;
  size_t n = 0;
  for (const auto &f : *module)
    n += !f.isDeclaration();
  std::cout << "lifetime check passed: " << n << " function" << (n == 1 ? "" : "s") << "\n";
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  // The BPF backend reports what it cannot encode (a jump beyond 16 bits in a very long
  // unrolled string copy) as a fatal error: one line and exit 1, not an abort.
  llvm::install_fatal_error_handler([](void *, const char *reason, bool) {
    std::cerr << "btc: error: the BPF backend cannot generate this program: " << reason
              << "\n";
    std::exit(1);
  });
  po::options_description visible(
      "Usage: btc [options] SCRIPT | -e PROGRAM [ARG...] [-- -ARG...]\n"
      "ARGs are the script's positional parameters ($1, str($1), $#), compiled in;\n"
      "without them btrun's arguments give them at run time\nOptions");
  visible.add_options()
      ("help,h", "show this help")
      ("version", "show the version")
      ("expr,e", po::value<std::string>(), "compile PROGRAM given on the command line")
      ("output,o", po::value<std::string>(), "write the output to FILE ('-' for standard output)")
      ("print-manifest", "write the manifest (JSON) instead of the object")
      ("emit-llvm", "write the optimised, checked LLVM IR instead of the object")
      ("emit-asm,S", "write BPF assembly instead of the object")
      ("no-sync-start", "omit the arming predicate: probes start as they attach")
      ("perf-syscall-tracepoints",
       "attach syscall tracepoints as perf-event tracepoints, not through raw_syscalls "
       "(slower to detach)")
      ("raw-syscall-tracepoints",
       "serve syscall tracepoints through raw_syscalls however few (default: when a script "
       "has more than 2)")
      ("helper-errors,k", "report failing BPF helper calls (map updates, reads) at run time")
      ("target", po::value<std::vector<std::string>>()->composing(), "compile for the machine FILE describes (docs/TARGET.md); several: one object checked against each; default: this host")
      ("list,l", "list the target's probes the PATTERN given for SCRIPT matches ('tracepoint:sched:*', '*:sched:*'; all without one), as bpftrace -l does")
      ("verbose,v", "with -l: each tracepoint's fields, each uprobe's parameters")
      ("btf", po::value<std::string>(), "take kernel types from this BTF file (e.g. BTFHub's) instead of the target's, and kernel functions where the target lists none")
      ("include-dir,I", po::value<std::vector<std::string>>(), "search DIR first for the script's #include headers, and after its own directory for its imports")
      ("kernel-source", po::value<std::string>(), "the target kernel's header tree DIR for #include (default: $BPFTRACE_KERNEL_SOURCE, else /lib/modules/RELEASE/source or build)")
      ("kernel-build", po::value<std::string>(), "its configured build tree DIR, when apart (default: $BPFTRACE_KERNEL_BUILD, else --kernel-source's)")
      ("sign", po::value<std::string>(), "sign the object with this Ed25519 private key (PEM)")
      ("oci-layout", po::value<std::string>(), "write the object as an OCI image in the layout DIR (docs/FLEET.md), not as a file unless -o is given")
      ("oci-tag", po::value<std::string>()->default_value("latest"), "the image's tag in --oci-layout's index")
      ("oci-sign-identity", po::value<std::string>(), "with --sign: also sign the image for this docker reference (REGISTRY/REPOSITORY), cosign's way: a sha256-DIGEST.sig tag in --oci-layout")
      ("max-map-keys", po::value<long long>(), "keys each map holds (default 4096); btrun reports updates a full map dropped")
      ("opt-level,O", po::value<int>()->default_value(2), "optimisation level 0-3")
      ("check-ir", po::value<std::string>(), "run the lifetime check on an LLVM IR file and exit")
      ("parse-only", "parse, report diagnostics and exit")
      ("dump-ast", "parse and print the syntax tree");
  po::options_description config(
      "bpftrace's config keys (also from BPFTRACE_<KEY>; each wins over the script's config block)");
  addConfigOptions(config);
  visible.add(config);
  po::options_description hidden;
  hidden.add_options()("script", po::value<std::string>())
      ("args", po::value<std::vector<std::string>>())
      // Test only: proves that the lifetime check guards every compilation.
      ("test-end-lifetime-early", po::value<std::string>());
  hidden.add_options()("list-builtins", "print the tables of probe kinds, builtins, functions");
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("script", 1).add("args", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::multiple_occurrences &e) {
    // bpftrace 0.17's -kk also reports failed reads (probe_read, probe_read_str), which
    // btc's programs do not check: say so, rather than that -k was given twice.
    if (e.get_option_name() == "--helper-errors")
      return fail("-kk (bpftrace 0.17's report of failed reads: probe_read, probe_read_str) "
                  "is not supported yet; -k reports the other helpers' failures",
                  2);
    return fail(e.what(), 2);
  } catch (const po::error &e) {
    return fail(e.what(), 2);
  }
  if (vm.count("help")) {
    std::cout << visible << "\n";
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "btc " BT_VERSION_STRING "\n";
    return 0;
  }
  if (vm.count("list-builtins")) {
    bt::printTables(std::cout);
    return 0;
  }
  {
    // One output mode at a time: "--emit-llvm and --emit-asm cannot be combined".
    std::vector<std::string> modes;
    for (const char *m : {"check-ir", "parse-only", "dump-ast", "print-manifest", "emit-llvm",
                          "emit-asm"})
      if (vm.count(m))
        modes.push_back(std::string("--") + m);
    if (modes.size() > 1) {
      std::string list;
      for (size_t i = 0; i < modes.size(); ++i)
        list += (i == 0 ? "" : i + 1 == modes.size() ? " and " : ", ") + modes[i];
      return fail(list + " cannot be combined", 2);
    }
  }
  if (vm.count("check-ir"))
    return checkIR(vm["check-ir"].as<std::string>());

  std::string name, text;
  if (vm.count("list")) {
    if (vm.count("expr"))
      return fail("-l takes a PATTERN ('tracepoint:sched:*') and no script", 2);
    auto target = loadTargets(vm);
    if (!target)
      return fail(target.error());
    // No pattern lists every probe, as bpftrace -l does.
    std::string pattern = vm.count("script") ? vm["script"].as<std::string>() : "*";
    return bt::listProbes(pattern, vm.count("verbose") > 0, **target,
                          std::cout, std::cerr);
  }
  // The arguments after the script (after -e PROGRAM, all of them) are its $1, $2, ...
  std::optional<std::vector<std::string>> positionalArgs;
  if (vm.count("args"))
    positionalArgs = vm["args"].as<std::vector<std::string>>();
  if (vm.count("expr") && vm.count("script")) {
    if (!positionalArgs)
      positionalArgs.emplace();
    positionalArgs->insert(positionalArgs->begin(), vm["script"].as<std::string>());
  }
  if (positionalArgs)
    for (const std::string &arg : *positionalArgs)
      if (arg.rfind("--", 0) == 0)
        return fail("'" + arg + "': named parameters (getopt) are btrun's, at run time "
                    "(btrun OBJ [ARG...] -- " + arg + ")", 2);
  if (vm.count("expr")) {
    name = "-e";
    text = vm["expr"].as<std::string>();
  } else if (vm.count("script")) {
    name = vm["script"].as<std::string>();
    if (bt::readWholeFile(name, text) != bt::FileReadError::None)
      return fail("cannot read '" + name + "': " + std::strerror(errno));
    if (name == "-")
      name = "stdin";
  } else {
    return fail("no script given (use SCRIPT, '-' or -e PROGRAM; see --help)", 2);
  }
  // Signed, so that -O -1 is reported as -1 and not as 4294967295.
  int optLevel = vm["opt-level"].as<int>();
  if (optLevel < 0 || optLevel > 3)
    return fail("invalid optimisation level " + std::to_string(optLevel) + " (0-3)", 2);

  auto target = loadTargets(vm);
  if (!target)
    return fail(target.error());
  bt::ParseOptions parseOptions;
  // BTF from --btf is BTF too: the script's `#ifndef BPFTRACE_HAVE_BTF` takes the
  // branch its C is parsed under (Sema defines it for clang from either).
  if ((*target)->btfPath() || vm.count("btf"))
    parseOptions.predefined["BPFTRACE_HAVE_BTF"] = "1";
  if (vm.count("include-dir"))
    parseOptions.importDirs = vm["include-dir"].as<std::vector<std::string>>();
  parseOptions.positionalArgs = positionalArgs;
  bool attachPointsReadArgs = false;
  parseOptions.attachPointsReadArgs = &attachPointsReadArgs;
  std::vector<bt::CSourceImport> cSources;
  parseOptions.cSources = &cSources;
  bt::SourceFile source(name, text);
  bt::DiagnosticEngine diags(source);
  auto program = bt::parseProgram(source, diags, parseOptions);
  if (!program) {
    diags.print(std::cerr);
    return 1;
  }
  if (vm.count("dump-ast")) {
    bt::printAST(*program, std::cout);
    return 0;
  }
  if (vm.count("parse-only")) {
    diags.print(std::cerr);
    return 0;
  }

  bt::SemaOptions semaOptions;
  if (vm.count("btf"))
    semaOptions.btfFile = vm["btf"].as<std::string>();
  if (vm.count("include-dir"))
    semaOptions.includeDirs = vm["include-dir"].as<std::vector<std::string>>();
  // An option wins over bpftrace's environment variable.
  for (auto [option, variable, field] :
       {std::tuple{"kernel-source", "BPFTRACE_KERNEL_SOURCE", &semaOptions.kernelSource},
        std::tuple{"kernel-build", "BPFTRACE_KERNEL_BUILD", &semaOptions.kernelBuild}})
    if (vm.count(option))
      *field = vm[option].as<std::string>();
    else if (const char *value = std::getenv(variable))
      *field = value;
  if (vm.count("max-map-keys")) {
    long long n = vm["max-map-keys"].as<long long>();
    if (n < 1 || n > bt::kMaxMapKeysLimit)
      return fail("--max-map-keys " + std::to_string(n) + ": must be from 1 to " +
                      std::to_string(bt::kMaxMapKeysLimit),
                  2);
    semaOptions.maxMapKeys = static_cast<unsigned>(n);
    semaOptions.fixedKeys.insert("max_map_keys");
  }
  if (std::string error = applyConfigSettings(vm, semaOptions); !error.empty())
    return fail(error, 2);
  semaOptions.positionalArgs = positionalArgs;
  if (!cSources.empty()) {
    bt::CSourceOptions cOptions;
    cOptions.includeDirs = semaOptions.includeDirs;
    semaOptions.externalC = bt::buildCSources(cSources, (*target)->arch(), cOptions, diags);
    if (!semaOptions.externalC) {
      diags.print(std::cerr);
      return 1;
    }
  }
  // bpftrace names a -e program "stdin" (as it does one read from standard input): that is
  // `file`'s value; btc's diagnostics keep "-e", which says where the text came from.
  semaOptions.sourceNames.push_back(name == "-e" ? "stdin" : name);
  for (const bt::SourceFile &f : diags.imports())
    semaOptions.sourceNames.push_back(f.name());
  auto sema = bt::analyze(*program, **target, semaOptions, diags);
  diags.print(std::cerr);
  if (!sema)
    return 1;
  // A second script given by mistake would otherwise be compiled in as an unused $1.
  if (positionalArgs && !positionalArgs->empty() && !sema->params.readFixed &&
      !attachPointsReadArgs)
    return fail("the script reads no positional parameters, but " +
                std::to_string(positionalArgs->size()) + " argument" +
                (positionalArgs->size() == 1 ? " was" : "s were") + " given ('" +
                positionalArgs->front() + "')");
  std::string tracepointsNote = (*target)->tracepointsNote();
  for (const auto &p : sema->probes)
    if (p.type == bt::ProbeType::Tracepoint && !tracepointsNote.empty()) {
      std::cerr << "btc: note: " << tracepointsNote << "\n";
      break;
    }

  bt::CompileOptions options;
  options.sourceName = name;
  options.sourceText = text;
  for (const bt::SourceFile &f : diags.imports())
    options.importedSources.emplace_back(f.name(), f.text());
  options.syncStart = !vm.count("no-sync-start");
  if (vm.count("perf-syscall-tracepoints") && vm.count("raw-syscall-tracepoints")) {
    return fail("--perf-syscall-tracepoints and --raw-syscall-tracepoints exclude each other", 2);
  }
  if (vm.count("perf-syscall-tracepoints") || vm.count("raw-syscall-tracepoints"))
    options.rawSyscalls = vm.count("raw-syscall-tracepoints") > 0;
  options.optLevel = optLevel;
  for (const bt::TargetInfo *t : (*target)->members())
    options.targets.push_back({t->descriptionFile().empty() ? "host" : "description",
                               t->descriptionFile(), t->arch().name, t->kernelRelease()});
  options.helperErrors = vm.count("helper-errors") > 0;
  if (vm.count("sign"))
    options.signingKeyPem = vm["sign"].as<std::string>();
  if (vm.count("test-end-lifetime-early"))
    options.endLifetimeEarly = vm["test-end-lifetime-early"].as<std::string>();
  auto compilation = bt::Compilation::create(*program, *sema, options);
  if (!compilation)
    return failCompiling(compilation.takeError(), diags);

  std::string output = vm.count("output") ? vm["output"].as<std::string>() : "";
  // Code generation can refuse too (the BPF backend's errors, located where it says).
  auto emitText = [&](llvm::Expected<std::string> s) {
    if (!s)
      return failCompiling(s.takeError(), diags);
    if (!writeOutput(output, s->data(), s->size()))
      return fail("cannot write '" + output + "': " + std::strerror(errno));
    return 0;
  };
  if (vm.count("emit-llvm"))
    return emitText((*compilation)->llvmIR());
  if (vm.count("emit-asm"))
    return emitText((*compilation)->assembly());
  if (vm.count("print-manifest"))
    return emitText((*compilation)->manifest());

  if (vm.count("oci-layout")) {
    auto object = (*compilation)->object();
    if (!object)
      return failCompiling(object.takeError(), diags);
    std::string base = output.empty() ? (name == "-e" || name == "stdin" ? "object" : name) : output;
    base = base.substr(base.rfind('/') + 1);
    if (output.empty())
      base = base.substr(0, base.rfind('.')) + ".bto";
    std::string identity =
        vm.count("oci-sign-identity") ? vm["oci-sign-identity"].as<std::string>() : "";
    if (!identity.empty() && !vm.count("sign"))
      return fail("--oci-sign-identity needs --sign KEY", 2);
    auto e = bt::writeOciImage(*object, vm["oci-layout"].as<std::string>(),
                               vm["oci-tag"].as<std::string>(), base, options.signingKeyPem,
                               identity);
    if (!e.empty())
      return fail(e);
    if (output.empty())
      return 0;
  }
  if (output.empty()) {
    if (name == "-e" || name == "stdin")
      return fail("no output file (use -o FILE)", 2);
    auto dot = name.rfind('.');
    auto slash = name.rfind('/');
    output = (dot != std::string::npos && (slash == std::string::npos || dot > slash)
                  ? name.substr(0, dot)
                  : name) +
             ".bto";
  }
  auto object = (*compilation)->object();
  if (!object)
    return failCompiling(object.takeError(), diags);
  if (!writeOutput(output, object->data(), object->size()))
    return fail("cannot write '" + output + "': " + std::strerror(errno));
  return 0;
}
