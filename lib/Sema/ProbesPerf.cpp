// Attach points on perf events other than timers and software counters: hardware
// counters (`hardware:cache-misses:1000000`), breakpoints (`watchpoint:0xADDR:8:rw`,
// `asyncwatchpoint:` the same on an address), and BPF iterators (`iter:task`).
#include "BtfTypes.h"
#include "SemaInternal.h"
#include "Typer.h"
#include "bt/Format/Printf.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace bt::sema {
namespace {

// Hardware perf events: name, alias, PERF_COUNT_HW_* and bpftrace's default count.
struct HardwareEvent {
  const char *name, *alias;
  uint64_t config, defaultCount;
};
const HardwareEvent hardwareEvents[] = {
    {"cpu-cycles", "cycles", 0, 1000000},       {"instructions", "", 1, 1000000},
    {"cache-references", "", 2, 1000000},       {"cache-misses", "", 3, 1000000},
    {"branch-instructions", "branches", 4, 100000}, {"branch-misses", "", 5, 100000},
    {"bus-cycles", "", 6, 100000},              {"frontend-stalls", "", 7, 1000000},
    {"backend-stalls", "", 8, 1000000},         {"ref-cycles", "", 9, 1000000},
};
const HardwareEvent *findHardwareEvent(const std::string &n) {
  for (const auto &e : hardwareEvents)
    if (n == e.name || (*e.alias && n == e.alias))
      return &e;
  return nullptr;
}

} // namespace

std::vector<std::string> hardwareEventNames() {
  std::vector<std::string> out;
  for (const auto &e : hardwareEvents) {
    out.push_back(e.name);
    if (*e.alias)
      out.push_back(e.alias);
  }
  return out;
}

bool expandHardware(const ast::AttachPoint &ap, DiagnosticEngine &diags,
                    std::vector<Attachment> &out) {
  if (ap.parts.size() != 1 && ap.parts.size() != 2) {
    diags.error(ap.range, std::string("invalid attach point, expected ") +
                              probeKind(ProbeType::Hardware).shape);
    return false;
  }
  const HardwareEvent *ev = findHardwareEvent(ap.parts[0]);
  if (!ev) {
    diags.error(ap.range, "unknown hardware event '" + ap.parts[0] +
                              "' (expected cpu-cycles, instructions, cache-references, "
                              "cache-misses, branch-instructions, branch-misses, bus-cycles, "
                              "frontend-stalls, backend-stalls or ref-cycles)");
    return false;
  }
  Attachment a;
  a.eventName = ev->name;
  a.eventConfig = ev->config;
  if (!perfEventCount(ap, ProbeType::Hardware, ev->defaultCount, diags, a))
    return false;
  a.section = probeKind(ProbeType::Hardware).section;
  out.push_back(std::move(a));
  return true;
}

std::optional<uint64_t> parseCount(const std::string &written) {
  // '_' separates digits (1_000), as in the language's literals: only between two.
  std::string s;
  for (size_t i = 0; i < written.size(); ++i) {
    if (written[i] != '_') {
      s += written[i];
      continue;
    }
    if (i == 0 || i + 1 == written.size() || !std::isxdigit((unsigned char)written[i - 1]) ||
        !std::isxdigit((unsigned char)written[i + 1]))
      return std::nullopt;
  }
  // Upstream's docs write counts in scientific form (`hardware:cache-misses:1e6`): M e N
  // is M * 10^N, integers only, as the language's literals.
  size_t e = s.find_first_of("eE");
  if (e == std::string::npos || s.compare(0, 2, "0x") == 0 || s.compare(0, 2, "0X") == 0)
    return parseNumber(s);
  auto mantissa = parseNumber(s.substr(0, e));
  std::string exponent = s.substr(e + 1);
  if (!mantissa || exponent.empty() || exponent.size() > 2 ||
      exponent.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  uint64_t v = *mantissa;
  for (int i = std::stoi(exponent); i > 0; --i) {
    if (v > UINT64_MAX / 10)
      return std::nullopt;
    v *= 10;
  }
  return v;
}

bool perfEventCount(const ast::AttachPoint &ap, ProbeType type, uint64_t defaultCount,
                    DiagnosticEngine &diags, Attachment &a) {
  a.sampleCount = defaultCount;
  // An empty count (`software:faults:`) is the default, as upstream bpftrace reads it.
  if (ap.parts.size() == 2 && !ap.parts[1].empty()) {
    auto n = parseCount(ap.parts[1]);
    if (!n || *n == 0) {
      diags.error(ap.range, "invalid count '" + ap.parts[1] + "', expected a positive integer");
      return false;
    }
    a.sampleCount = *n;
  }
  // The event as written (an alias stays one: `software:cpu:100000`, as upstream names
  // it), the count as used.
  a.probeName = std::string(probeTypeName(type)) + ":" + ap.parts[0] + ":" +
                std::to_string(a.sampleCount);
  return true;
}

// `FN+argN`: the function of the traced process and which of its arguments holds the
// address to watch, in bpftrace's words when the spelling is wrong.
static bool parseWatchedArgument(const ast::AttachPoint &ap, const Arch &arch,
                                 DiagnosticEngine &diags, Attachment &a) {
  const std::string &spec = ap.parts[0];
  size_t plus = spec.find('+');
  std::string function = spec.substr(0, plus), argument = spec.substr(plus + 1);
  if (function.empty() || argument.find('+') != std::string::npos) {
    diags.error(ap.range, "Invalid function/address argument");
    return false;
  }
  if (argument.size() <= 3 || argument.compare(0, 3, "arg") != 0 ||
      argument.find_first_not_of("0123456789", 3) != std::string::npos) {
    diags.error(ap.range, "Invalid function argument");
    return false;
  }
  unsigned n = unsigned(std::min<size_t>(std::stoul(argument.substr(3, 4)), 9999));
  if (n >= arch.argRegisters.size()) { // as bpftrace: registers only, not stack words
    diags.error(ap.range, arch.name + " doesn't support arg" + std::to_string(n));
    return false;
  }
  // Every function of the binary: each match is a uprobe that stops the process and
  // takes one of its few debug registers, and bpftrace 0.17 gives up at the first
  // function it cannot probe (its message is that function's, not the pattern's).
  if (function.find_first_not_of('*') == std::string::npos) {
    diags.error(ap.range, "a watchpoint on every function of the traced binary ('" + function +
                              "') is not supported: name the functions, as in incr*+" +
                              argument + " (bpftrace 0.17 fails on it: \"Offset outside "
                              "the function bounds\")");
    return false;
  }
  a.symbol = function;
  a.watchArgument = n;
  return true;
}

// Whether the debug registers of `arch` break on accesses of `mode` (sorted). x86-64's
// have no read-only condition (read/write, write or execute: the kernel's
// arch_build_bp_info refuses the others), as bpftrace 0.17 refuses `r` there; arm64's
// break on reads, writes or both, or on execution, not on execution with an access.
static bool archWatchesInMode(const Arch &arch, const std::string &mode) {
  if (arch.name == "x86_64")
    return mode == "rw" || mode == "w" || mode == "x";
  return mode == "r" || mode == "rw" || mode == "w" || mode == "x";
}

bool expandWatchpoint(const ast::AttachPoint &ap, ProbeType type, const Arch &arch,
                      DiagnosticEngine &diags, std::vector<Attachment> &out) {
  const char *name = probeTypeName(type);
  if (ap.parts.size() != 3) {
    diags.error(ap.range, std::string("invalid attach point, expected ") + probeKind(type).shape);
    return false;
  }
  Attachment a;
  std::optional<uint64_t> address;
  if (ap.parts[0].find('+') != std::string::npos) {
    if (!parseWatchedArgument(ap, arch, diags, a))
      return false;
  } else if (!(address = parseNumber(ap.parts[0]))) {
    diags.error(ap.range, "Invalid function/address argument");
    return false;
  } else if (type == ProbeType::AsyncWatchpoint) {
    // As bpftrace: what is asynchronous is the arming by a function's argument; an
    // address is watched from the start.
    diags.error(ap.range, std::string(name) + " requires a function name");
    return false;
  }
  if (address && *address == 0) {
    diags.error(ap.range, std::string(name) + " must be attached to a non-zero address");
    return false;
  }
  auto length = parseNumber(ap.parts[1]);
  if (!length || (*length != 1 && *length != 2 && *length != 4 && *length != 8)) {
    diags.error(ap.range, std::string(name) + " length must be one of (1,2,4,8)");
    return false;
  }
  // In bpftrace's order ("wr" is "rw"), as it checks and names it.
  std::string mode = ap.parts[2];
  std::sort(mode.begin(), mode.end());
  if (mode.empty() || mode.find_first_not_of("rwx") != std::string::npos) {
    diags.error(ap.range, std::string(name) + " mode must be a combination of (r,w,x)");
    return false;
  }
  for (char c : mode)
    if (mode.find(c) != mode.rfind(c)) {
      diags.error(ap.range, std::string(name) + " modes may not be duplicated");
      return false;
    }
  if (!archWatchesInMode(arch, mode)) {
    diags.error(ap.range, "invalid watchpoint mode: " + mode);
    return false;
  }
  a.address = address;
  a.watchLength = *length;
  a.watchMode = mode;
  // The address in hex as bpftrace names it; the function form as written, where
  // bpftrace 0.17's `probe` names the traced binary in place of argN
  // (`watchpoint:./prog:increment:4:w`), which btrun fills in.
  std::string where = ap.parts[0];
  std::string tail = ":" + std::to_string(*length) + ":" + mode;
  if (address) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(*address));
    where = hex;
  } else {
    a.probeNameAroundBinary.emplace(std::string(name) + ":", ":" + a.symbol + tail);
  }
  a.probeName = std::string(name) + ":" + where + tail;
  a.section = probeKind(type).section;
  out.push_back(std::move(a));
  return true;
}

bool expandIter(const ast::AttachPoint &ap, DiagnosticEngine &diags,
                std::vector<Attachment> &out) {
  if (ap.parts.size() < 1 || ap.parts.size() > 2 || ap.parts[0].empty() ||
      ap.parts[0].find_first_of("*?[") != std::string::npos) {
    diags.error(ap.range, std::string("invalid attach point, expected ") +
                              probeKind(ProbeType::Iter).shape);
    return false;
  }
  Attachment a;
  a.name = ap.parts[0];
  a.probeName = "iter:" + a.name;
  if (ap.parts.size() == 2) {
    // The pin file, absolute or under /sys/fs/bpf (as bpftrace); bpffs refuses a name
    // with a dot (reserved for its own use), which would fail only at run time.
    const std::string &pin = ap.parts[1];
    std::string file = pin.substr(pin.find_last_of('/') + 1);
    if (file.empty() || file.find('.') != std::string::npos) {
      diags.error(ap.range, "iterator pin file '" + pin +
                                "' must name a file without a '.' (bpffs refuses such names)");
      return false;
    }
    a.pin = pin;
    a.probeName += ":" + pin;
  }
  a.section = probeKind(ProbeType::Iter).section + a.name;
  out.push_back(std::move(a));
  return true;
}

void checkIterProbes(SemaResult &result, DiagnosticEngine &diags) {
  const ProbeInfo *iter = nullptr, *other = nullptr;
  for (const ProbeInfo &pi : result.probes) {
    if (pi.type == ProbeType::Iter) {
      if (iter || pi.attachments.size() > 1) {
        diags.error(pi.probe->range, "only one iter attach point is allowed in a script "
                                     "(btrun walks one iterator, then stops)");
        return;
      }
      iter = &pi;
    } else if (pi.type != ProbeType::Begin && pi.type != ProbeType::End && !other) {
      other = &pi;
    }
  }
  if (!iter)
    return;
  if (other) {
    diags.error(other->probe->range, "an iter probe cannot be mixed with other probes "
                                     "(BEGIN and END aside): btrun stops when the walk ends");
    return;
  }
  const std::string &name = iter->attachments.front().name;
  if (result.btf->load() && !result.btf->named(result.types, "struct bpf_iter__" + name))
    diags.error(iter->probe->range, "no iterator '" + name + "' on the target: the BTF of " +
                                        result.btf->path() + " has no struct bpf_iter__" + name);
}

// An iterator's context is the kernel's struct bpf_iter__NAME: its meta, then the
// object (ctx->task, ctx->file, ctx->vma).
TypeId Typer::iterContext(const ast::BuiltinRef *b) {
  if (!kernelTypes(b->range))
    return R.types.none();
  const std::string &name = probe_->attachments.front().name;
  auto record = R.btf->named(R.types, "struct bpf_iter__" + name);
  if (!record) {
    err(b->range, "iter:" + name + " needs struct bpf_iter__" + name + ", which the BTF of " +
                      R.btf->path() + " lacks");
    return R.types.none();
  }
  return R.types.pointer(*record, AddressSpace::Kernel);
}

bool Typer::pinnedIteratorAllows(const ast::CallExpr *c, FunctionId id) {
  if (!probe_ || probe_->type != ProbeType::Iter || probe_->attachments.front().pin.empty())
    return true;
  switch (id) {
  case FunctionId::Print:
  case FunctionId::Time:
  case FunctionId::Cat:
  case FunctionId::System:
  case FunctionId::Join:
  case FunctionId::Exit:
  case FunctionId::Errorf:
  case FunctionId::Warnf:
  case FunctionId::Clear:
  case FunctionId::Zero:
    err(c->range, c->callee + "() in a pinned iterator is not supported yet: its file is read "
                              "without btrun, and only printf() writes to it");
    return false;
  case FunctionId::Printf:
    break;
  default:
    return true;
  }
  // bpf_seq_printf takes at most 12 values: integers, and strings by their address.
  if (c->args.size() > 13) {
    err(c->range, "printf() in a pinned iterator takes at most 12 values (bpf_seq_printf)");
    return false;
  }
  for (size_t i = 1; i < c->args.size(); ++i) {
    const Type &t = ty(expr(c->args[i].get()));
    if (t.isNone())
      return false;
    if (!t.isInt() && !t.isBool() && !t.isString()) {
      err(c->args[i]->range, "printf() in a pinned iterator cannot print " + t.str() +
                                 ": the kernel formats its file (bpf_seq_printf), and only "
                                 "integers and strings");
      return false;
    }
  }
  auto *fmt = ast::as<ast::StringLit>(c->args[0].get());
  if (!fmt)
    return true; // printf's own check reports it
  for (const format::Conversion &conv : format::parsePrintf(fmt->value).format.conversions) {
    using format::Length;
    if (!conv.precision.empty() || conv.conversion == 'o' ||
        (conv.length != Length::None && conv.length != Length::L && conv.length != Length::Ll)) {
      err(fmt->range, "printf() format '" + conv.spelling() +
                          "' in a pinned iterator is not supported by the kernel's "
                          "bpf_seq_printf");
      return false;
    }
  }
  return true;
}

} // namespace bt::sema
