// libFuzzer target: script text -> lexer, parser, diagnostics printing, the AST
// printer, Sema (against a fixed, in-memory target: no tracefs) and, for a script
// Sema accepts, lowering to LLVM IR with the IR verifier and the lifetime check
// (Compilation::create; code generation only with BT_FUZZ_EMIT=1).
//
// Any input must end in a clean result or clean diagnostics, each message one
// printable line. A crash, a sanitizer
// report or an *internal* error from lowering (invalid IR, a failed lifetime
// check: a script Sema accepted that btc cannot compile) is a bug.
//
// Environment:
//   BT_FUZZ_LOWER=0        stop after Sema (faster)
//   BT_FUZZ_EMIT=1         also generate BPF code and the object (slower)
//   BT_FUZZ_OPT=N          optimisation level for lowering (default 1)
//   BT_FUZZ_HOST_TARGET=1  use the build host's tracefs instead of the fixed target
#include "bt/Lower/Lower.h"
#include "bt/Parse/ASTPrinter.h"
#include "bt/Parse/Parser.h"
#include "bt/Sema/Sema.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <string>

namespace {

// A few tracepoints with the formats this kernel has, so that wildcards, args->
// fields (char arrays, __data_loc strings, pointers, signed ints) are reachable
// without reading tracefs.
class FixedTarget : public bt::TargetInfo {
public:
  FixedTarget() {
    using F = bt::TracepointField;
    auto intField = [](const char *name, const char *ctype, unsigned off, unsigned size,
                       bool isSigned) {
      F f;
      f.name = name;
      f.ctype = ctype;
      f.offset = off;
      f.size = size;
      f.isSigned = isSigned;
      return f;
    };
    auto ptrField = [&](const char *name, unsigned off) {
      F f = intField(name, "const char *", off, 8, false);
      f.isPointer = true;
      return f;
    };
    auto charArray = [&](const char *name, unsigned off, unsigned size) {
      F f = intField(name, "char[16]", off, size, true);
      f.isCharArray = true;
      return f;
    };
    auto dataLoc = [&](const char *name, unsigned off) {
      F f = intField(name, "__data_loc char[]", off, 4, false);
      f.isDataLoc = true;
      return f;
    };
    for (const char *sc : {"openat", "read", "write", "getppid"}) {
      std::string enter = std::string("sys_enter_") + sc, exit = std::string("sys_exit_") + sc;
      std::vector<F> e = {intField("__syscall_nr", "int", 8, 4, true)};
      if (std::strcmp(sc, "openat") == 0) {
        e.push_back(intField("dfd", "int", 16, 8, true));
        e.push_back(ptrField("filename", 24));
        e.push_back(intField("flags", "int", 32, 8, true));
        e.push_back(intField("mode", "umode_t", 40, 8, false));
      } else if (std::strcmp(sc, "getppid") != 0) {
        e.push_back(intField("fd", "unsigned int", 16, 8, false));
        e.push_back(ptrField("buf", 24));
        e.push_back(intField("count", "size_t", 32, 8, false));
      }
      formats_["syscalls"][enter] = e;
      formats_["syscalls"][exit] = {intField("__syscall_nr", "int", 8, 4, true),
                                    intField("ret", "long", 16, 8, true)};
    }
    formats_["sched"]["sched_switch"] = {
        charArray("prev_comm", 8, 16),         intField("prev_pid", "pid_t", 24, 4, true),
        intField("prev_prio", "int", 28, 4, true), intField("prev_state", "long", 32, 8, true),
        charArray("next_comm", 40, 16),        intField("next_pid", "pid_t", 56, 4, true),
        intField("next_prio", "int", 60, 4, true)};
    formats_["sched"]["sched_process_exec"] = {dataLoc("filename", 8),
                                               intField("pid", "pid_t", 12, 4, true),
                                               intField("old_pid", "pid_t", 16, 4, true)};
    formats_["raw_syscalls"]["sys_enter"] = {intField("id", "long", 8, 8, true)};
  }

  std::string name() const override { return "the fuzz target"; }
  const bt::Arch &arch() const override { return *bt::findArch("x86_64"); }

  std::vector<std::string> tracepoints() const override {
    std::vector<std::string> out;
    for (const auto &[cat, names] : formats_)
      for (const auto &[name, fields] : names)
        out.push_back(cat + ":" + name);
    return out;
  }

  std::optional<std::vector<bt::TracepointField>>
  tracepointFormat(const std::string &category, const std::string &name) const override {
    auto c = formats_.find(category);
    if (c == formats_.end())
      return std::nullopt;
    auto n = c->second.find(name);
    if (n == c->second.end())
      return std::nullopt;
    return n->second;
  }

private:
  std::map<std::string, std::map<std::string, std::vector<bt::TracepointField>>> formats_;
};

// A diagnostic's message is one printable line (the caret line follows it).
void checkMessages(const bt::DiagnosticEngine &diags) {
  for (const auto &d : diags.diagnostics())
    for (unsigned char c : d.message)
      if (c < 0x20 || c == 0x7f) {
        std::fprintf(stderr, "a diagnostic that is not one printable line: [%s]\n",
                     d.message.c_str());
        std::abort();
      }
}

bool envFlag(const char *name, bool def) {
  const char *v = std::getenv(name);
  return v && *v ? std::strcmp(v, "0") != 0 : def;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const bool lower = envFlag("BT_FUZZ_LOWER", true);
  static const bool emit = envFlag("BT_FUZZ_EMIT", false);
  static const bool hostTarget = envFlag("BT_FUZZ_HOST_TARGET", false);
  static const unsigned optLevel = [] {
    const char *v = std::getenv("BT_FUZZ_OPT");
    return v && *v ? static_cast<unsigned>(std::atoi(v)) % 4 : 1u;
  }();
  static const std::unique_ptr<bt::TargetInfo> target =
      hostTarget ? std::move(*bt::makeHostTarget()) : std::make_unique<FixedTarget>();

  std::string text(reinterpret_cast<const char *>(data), size);
  bt::SourceFile source("fuzz.bt", text);
  bt::DiagnosticEngine diags(source);
  std::ostringstream sink;

  auto program = bt::parseProgram(source, diags);
  if (!program) {
    if (!diags.hasErrors()) {
      std::fprintf(stderr, "parseProgram failed without a diagnostic\n");
      std::abort();
    }
    diags.print(sink);
    checkMessages(diags);
    return 0;
  }
  bt::printAST(*program, sink);

  bt::SemaOptions semaOptions;
  auto sema = bt::analyze(*program, *target, semaOptions, diags);
  diags.print(sink);
  checkMessages(diags);
  if (!sema) {
    if (!diags.hasErrors()) {
      std::fprintf(stderr, "analyze failed without a diagnostic\n");
      std::abort();
    }
    return 0;
  }
  if (!lower)
    return 0;

  bt::CompileOptions options;
  options.sourceName = "fuzz.bt";
  options.sourceText = text;
  options.optLevel = optLevel;
  auto compilation = bt::Compilation::create(*program, *sema, options);
  if (!compilation) {
    std::string msg = llvm::toString(compilation.takeError());
    // "not supported yet" and other user-facing errors are fine; an internal
    // error means Sema let through something lowering cannot handle.
    if (msg.find("internal error") != std::string::npos) {
      std::fprintf(stderr, "btc internal error on a script Sema accepted:\n%s\n", msg.c_str());
      std::abort();
    }
    return 0;
  }
  if (emit) {
    // BPF code generation and the object with its manifest: the BPF backend
    // reports what it cannot compile with a fatal error, which is a crash here.
    auto object = (*compilation)->object();
    if (!object) {
      std::string msg = llvm::toString(object.takeError());
      if (msg.find("internal error") != std::string::npos) {
        std::fprintf(stderr, "btc internal error on a script Sema accepted:\n%s\n", msg.c_str());
        std::abort();
      }
    }
  }
  return 0;
}
