// The manifest (docs/OBJECT.md) from what lowering produced, as lib/Object's
// structs; Compilation adds the checks and the integrity digests.
#include "LowerContext.h"

#include "bt/Format/Printf.h"
#include "bt/Object/Layout.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/SHA256.h"

#include <algorithm>

namespace bt::lower {

namespace {

// Sema's enums name their values as the manifest does: the manifest's value of one.
template <typename E> E manifestValue(const char *name) {
  auto v = obj::fromString<E>(name);
  if (!v)
    llvm::report_fatal_error(llvm::Twine("internal error: no manifest value for '") + name + "'");
  return *v;
}

// An enum's names for a value of `bytes` bytes: the enumerators' 64-bit values (an
// enumerator, a cast: upstream's 64-bit enum values) or their low bytes (a member of the
// enum's own C size).
std::vector<obj::Symbol> symbolsIn(uint32_t bytes, std::vector<obj::Symbol> symbols) {
  if (bytes < 8)
    for (obj::Symbol &s : symbols)
      s.value &= (1ULL << (8 * bytes)) - 1;
  return symbols;
}

// A value of an enum the script defines, as print() and maps print it (upstream's): by
// its enumerator's name, the number when none has it, read in the value's own width.
std::optional<obj::Field> scriptEnumField(const SemaResult &sema, const Type &t,
                                          uint32_t offset) {
  if (!t.isInt() || !sema.scriptEnums.count(t.name))
    return std::nullopt;
  return obj::Field::symbolic(t.size, symbolsIn(t.size, sema.symbols.at(t.name)), false,
                              offset);
}

// How a pointer in a struct or array value prints: bpftrace 0.17 prints one in a value
// as a signed number, in a map key in hex.
enum class PointerText { Signed, Hex };

// A member of a struct or union value (or an element of an array), at its own size in
// the record's layout.
obj::Field memberField(const SemaResult &sema, TypeId id, uint32_t offset,
                       PointerText pointers = PointerText::Signed) {
  const Type &t = sema.types.get(id);
  if (auto named = scriptEnumField(sema, t, offset))
    return *named;
  if (t.isString())
    return obj::Field::string(t.size, offset);
  if (t.isArray())
    return obj::Field::array(t.count, memberField(sema, t.element, 0, pointers), offset);
  if (t.isRecord()) {
    std::vector<obj::Field> elements;
    for (const MemberAccess &m : sema.recordMembers.at(sema.types.declared(id).index())) {
      unsigned shift = m.bitOffset % 8;
      elements.push_back(
          m.bitfieldSize
              ? obj::Field::bitfield(sema.types.get(m.type).isSigned,
                                     (shift + m.bitfieldSize + 7) / 8, shift, m.bitfieldSize,
                                     m.bitOffset / 8)
              : memberField(sema, m.type, m.bitOffset / 8, pointers));
      elements.back().name = m.name;
    }
    return obj::Field::record(t.size, std::move(elements), offset);
  }
  obj::Field f = obj::Field::integer(t.isSigned || t.isPointer(), offset);
  f.size = t.size;
  f.isPointer = t.isPointer() && pointers == PointerText::Hex;
  return f;
}

// printf's %s of an enum and %gr: the integer argument becomes a symbolic field with
// the names Sema found for it (lib/Sema/Symbolic.cpp), which btrun prints.
void symbolicArgs(const LowerContext &lc, const EventRecord &e, obj::EventSpec &spec) {
  using obj::EventKind;
  if (spec.kind != EventKind::Printf && spec.kind != EventKind::Cat &&
      spec.kind != EventKind::System && spec.kind != EventKind::Errorf &&
      spec.kind != EventKind::Warnf)
    return;
  auto parsed = format::parsePrintf(spec.format);
  const auto &conversions = parsed.format.conversions;
  for (size_t i = 0; i < conversions.size() && i < spec.args.size(); ++i) {
    const Type &t = lc.type(e.args[i].type);
    std::string table = conversions[i].gfpFlags ? "%gr"
                        : conversions[i].conversion == 's' && t.isInt() ? t.name
                                                                         : "";
    auto it = lc.sema.symbols.find(table);
    if (it == lc.sema.symbols.end())
      continue;
    obj::Field &f = spec.args[i];
    // The value's own width: a value widened into its slot is read back as it was.
    uint32_t width = std::min<uint32_t>(f.size, t.size);
    f = obj::Field::symbolic(width, symbolsIn(width, it->second), conversions[i].gfpFlags,
                             f.offset);
  }
}

// A stored value's field; a type the manifest has no words for is an internal
// error, never a guess. `enumNames`: a value of the script's enum is its name (print(),
// maps), not the number printf's conversions take.
llvm::Expected<obj::Field> fieldOf(const SemaResult &sema, TypeId id, uint32_t offset,
                                   bool enumNames) {
  const TypeTable &types = sema.types;
  const Type &t = types.get(id);
  if (enumNames)
    if (auto named = scriptEnumField(sema, t, offset))
      return *named;
  if (t.isString())
    return obj::Field::string(storageOf(types, id).size, offset);
  if (t.isTimestamp())
    return obj::Field::timestamp(t.timeFormat, offset);
  if (t.isErrorText())
    return obj::Field::hostValue(obj::FieldType::ErrorText, offset);
  if (t.isUserName())
    return obj::Field::hostValue(obj::FieldType::UserName, offset);
  if (t.isSyscallName())
    return obj::Field::hostValue(obj::FieldType::SyscallName, offset);
  if (t.isCgroupPath())
    return obj::Field::cgroupPath(t.hierarchyFilter, offset);
  if (t.isInetAddress())
    return obj::Field::inetAddress(offset);
  if (t.isBuffer())
    return obj::Field::buffer(t.size, offset);
  if (t.isKernelSymbol())
    return obj::Field::kernelSymbol(offset);
  if (t.isUserStack())
    return obj::Field::userStack(userStackMapName(t.frames, t.stackMode),
                                 t.stackMode,
                                 offset);
  if (t.isUserSymbol())
    return obj::Field::userSymbol(offset);
  if (t.isKernelStack())
    return obj::Field::kernelStack(kernelStackMapName(t.frames),
                                   t.stackMode,
                                   offset);
  if (t.isInt() || t.isPointer()) // 8 bytes in maps and records (storageOf)
    return obj::Field::integer(t.isSigned, offset);
  if (t.isRecord() && t.origin == RecordOrigin::Tuple) {
    std::vector<obj::Field> elements;
    for (const RecordField &f : t.fields) {
      auto e = fieldOf(sema, f.type, f.offset, enumNames);
      if (!e)
        return e.takeError();
      elements.push_back(std::move(*e));
      elements.back().name = f.name;
      // A pointer in a record (of `args` whole) prints in hex, as upstream prints one; in
      // a tuple as a signed decimal, as bpftrace 0.17 prints it.
      bool pointer = types.get(f.type).isPointer();
      elements.back().isPointer = pointer && t.isNamedTuple();
      elements.back().isSigned |= pointer && !t.isNamedTuple();
    }
    // A record prints as a struct does, `{ .a = 1, .b = 2 }`, as upstream bpftrace has it.
    if (t.isNamedTuple()) {
      auto f = obj::Field::record(storageOf(types, id).size, std::move(elements), offset);
      f.namedTuple = true;
      return f;
    }
    return obj::Field::tuple(storageOf(types, id).size, std::move(elements), offset);
  }
  if ((t.isRecord() && sema.recordMembers.count(sema.types.declared(id).index())) ||
      t.isArray())
    return memberField(sema, id, offset);
  // A map value or print() of the running kernel's bytes (`@s = *curtask`): only the
  // running kernel lays its members out, so the manifest names the type, whose members
  // btrun lists from that kernel's BTF.
  if (t.isRecord() && t.origin == RecordOrigin::Btf) {
    obj::Field f = obj::Field::record(t.size, {}, offset);
    f.kernelType = t.str();
    return f;
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "internal error: the manifest cannot describe a value of type " +
                                     t.str());
}

// Whether `f` is, or holds, a value printed by an enum's names.
bool holdsSymbolic(const obj::Field &f) {
  return f.type == obj::FieldType::Symbolic ||
         std::any_of(f.elements.begin(), f.elements.end(), holdsSymbolic);
}

// Whether `f` is, or holds (a tuple's element), a struct btrun lists from the running
// kernel's BTF.
bool holdsKernelType(const obj::Field &f) {
  return !f.kernelType.empty() ||
         std::any_of(f.elements.begin(), f.elements.end(), holdsKernelType);
}

// The layouts a reader of schema version 1 would misread (obj::Feature): a stack
// value's frame count, an enum's names where version 1 knows only printf's.
void requireFeatures(const SemaResult &sema, obj::Manifest &m) {
  if (sema.stackFrameCounts)
    m.require(obj::Feature::StackFrameCounts);
  bool symbolic = false;
  for (const obj::MapSpec &map : m.maps) {
    symbolic |= std::any_of(map.key.fields.begin(), map.key.fields.end(), holdsSymbolic);
    symbolic |= map.valueType && holdsSymbolic(*map.valueType);
  }
  // Version 1 knows printf's top-level symbolic arguments only.
  for (const obj::EventSpec &e : m.events)
    for (const obj::Field &a : e.args)
      symbolic |= e.kind == obj::EventKind::PrintValue
                      ? holdsSymbolic(a)
                      : std::any_of(a.elements.begin(), a.elements.end(), holdsSymbolic);
  if (symbolic)
    m.require(obj::Feature::SymbolicValues);
  // Without it a btrun would print such a value with no members.
  bool kernelRecords = std::any_of(m.maps.begin(), m.maps.end(), [](const obj::MapSpec &map) {
    return map.valueType && holdsKernelType(*map.valueType);
  });
  for (const obj::EventSpec &e : m.events)
    kernelRecords |= std::any_of(e.args.begin(), e.args.end(), holdsKernelType);
  if (kernelRecords)
    m.require(obj::Feature::KernelRecords);
  // An older btrun would print an unsigned sum past INT64_MAX as negative.
  if (std::any_of(m.maps.begin(), m.maps.end(), [](const obj::MapSpec &map) {
        return map.aggregation == obj::Aggregation::Sum && map.valueType;
      }))
    m.require(obj::Feature::UnsignedSums);
  // A btrun of version 1 ignores an exit event's argument and exits 0.
  if (std::any_of(m.events.begin(), m.events.end(), [](const obj::EventSpec &e) {
        return e.kind == obj::EventKind::Exit && !e.args.empty();
      }))
    m.require(obj::Feature::ExitCodes);
}

obj::AttachTarget targetOf(ProbeType type, const Attachment &a) {
  obj::AttachTarget t;
  switch (type) {
  case ProbeType::Begin:
  case ProbeType::End:
    break;
  case ProbeType::Self:
  case ProbeType::Test:
  case ProbeType::Bench:
    t.name = a.name;
    break;
  case ProbeType::Tracepoint:
    t.category = a.category;
    t.name = a.name;
    break;
  case ProbeType::RawTracepoint:
  case ProbeType::TpBtf:
    t.name = a.name;
    break;
  case ProbeType::Interval:
  case ProbeType::Profile:
    if (a.frequencyHz)
      t.frequencyHz = a.frequencyHz;
    else
      t.periodNs = a.periodNs;
    break;
  case ProbeType::Software:
  case ProbeType::Hardware:
    t.event = a.eventName;
    t.config = a.eventConfig;
    t.count = a.sampleCount;
    break;
  case ProbeType::Watchpoint:
  case ProbeType::AsyncWatchpoint:
    t.address = a.address;
    t.length = a.watchLength;
    t.mode = a.watchMode;
    if (a.watchArgument) {
      t.symbol = a.symbol;
      t.argument = *a.watchArgument;
    }
    break;
  case ProbeType::Iter:
    t.name = a.name;
    t.pin = a.pin;
    break;
  case ProbeType::Uprobe:
  case ProbeType::Uretprobe:
    t.path = a.path;
    t.symbol = a.symbol;
    t.offset = a.offset;
    break;
  case ProbeType::Usdt:
    t.path = a.path;
    t.provider = a.provider;
    t.name = a.name;
    break;
  case ProbeType::Kprobe:
  case ProbeType::Kretprobe:
    t.symbol = a.symbol;
    t.offset = a.offset;
    t.address = a.address;
    t.module = a.module;
    break;
  case ProbeType::Fentry:
  case ProbeType::Fexit:
    t.symbol = a.symbol;
    t.module = a.module;
    t.onBpfProgram = a.onBpfProgram;
    t.bpfProgramId = a.bpfProgramId;
    break;
  }
  return t;
}

// The kernel runs the most recently attached uprobe (usdt included: its sites
// are uprobes), kprobe or trampoline
// (fentry/fexit) handler of an attach point first, and so it does for counting
// software events (perf adds each event at the head of the CPU's list for its
// type): attach those in reverse so that handlers run in script order. The
// timer-driven software events (cpu-clock, task-clock) run in expiry order.
bool runsLastAttachedFirst(ProbeType t, const Attachment &a) {
  switch (probeKind(t).order) {
  case AttachOrder::Reversed: return true;
  case AttachOrder::ByEvent: return a.eventConfig > 1; // not cpu-clock (0) or task-clock (1)
  default: return false;
  }
}

template <typename T> void addUnique(std::vector<T> &v, const T &x) {
  if (std::find(v.begin(), v.end(), x) == v.end())
    v.push_back(x);
}

// The attach point (`uprobe::fn`) whose file btrun names in a `probe` text, for a uprobe
// that names no binary; "" for a watchpoint's, which names the traced process's binary.
std::string uprobeNamingBinary(const SemaResult &sema,
                               const std::pair<std::string, std::string> &around) {
  for (const ProbeInfo &pi : sema.probes)
    if (pi.type == ProbeType::Uprobe || pi.type == ProbeType::Uretprobe)
      for (const Attachment &a : pi.attachments)
        if (a.probeNameAroundBinary == around)
          return a.probeName;
  return "";
}

obj::Globals globalsOf(const LowerContext &lc) {
  obj::Globals g;
  g.mapSection = ".bss";
  g.armedOffset = 8 * kArmedIndex;
  g.lostOffset = 8 * kLostIndex;
  g.startOffset = 8 * kStartIndex;
  g.childPidOptional = lc.sema.usesHasChildPid;
  g.fixedParams = lc.sema.options.positionalArgs;
  for (const auto &slot : lc.paramSlots) {
    if (slot.index == LowerContext::kCgroupIdSlot) {
      g.cgroupIds.push_back({slot.name, slot.offset});
      continue;
    }
    if (slot.index == LowerContext::kKfuncAllowedSlot) {
      g.kfuncAllowed.push_back({slot.name, slot.section, slot.offset});
      continue;
    }
    if (slot.index == LowerContext::kTracedBinaryNameSlot) {
      // The text's bytes, which the programs read, not the slot's (rounded up to 8).
      g.tracedBinaryNames.push_back(
          {slot.name, slot.section, slot.offset, tracedBinaryNameSize({slot.name, slot.section}),
           uprobeNamingBinary(lc.sema, {slot.name, slot.section})});
      continue;
    }
    if (!slot.name.empty()) {
      const bt::NamedParam &param = lc.sema.namedParams.at(slot.name);
      g.namedParams.push_back({slot.name, param.type, slot.offset,
                               param.type == obj::ParamType::String ? slot.size : 8,
                               param.defaultValue, param.description});
      continue;
    }
    if (slot.index == LowerContext::kPidNamespaceDevSlot) {
      g.pidNamespaceOffset = slot.offset; // the inode's slot follows it
      continue;
    }
    if (slot.index == LowerContext::kPidNamespaceInoSlot)
      continue;
    if (slot.index == LowerContext::kTaiDeltaSlot) {
      g.taiDeltaOffset = slot.offset;
      continue;
    }
    if (slot.index <= 0) {
      (slot.index == 0    ? g.paramCountOffset
       : slot.index == -1 ? g.childPidOffset
                          : g.ncpusOffset) = slot.offset;
      continue;
    }
    obj::PositionalParam p;
    p.index = slot.index;
    p.type = slot.isString ? obj::ParamType::String : obj::ParamType::Int;
    p.offset = slot.offset;
    p.size = slot.isString ? slot.size : 8;
    g.params.push_back(p);
  }
  return g;
}

llvm::Expected<obj::MapSpec> mapSpecOf(const SemaResult &sema, const MapLayout &ml) {
  const MapInfo &mi = *ml.info;
  obj::MapSpec m;
  m.name = mi.name;
  m.bpfName = ml.bpfName;
  m.bpfType = ml.bpfType;
  m.maxEntries = ml.maxEntries;
  if (ml.dropsField >= 0)
    m.dropsOffset = ml.dropsOffset;
  m.aggregation = manifestAggregation(mi.agg);
  m.keyless = mi.keys.empty();
  m.key.size = ml.keySize;
  for (const KeyField &f : ml.keyFields) {
    const Type &kt = sema.types.get(f.type);
    if ((kt.isRecord() && kt.origin != RecordOrigin::Tuple) || kt.isArray()) {
      m.key.fields.push_back(memberField(sema, f.type, f.offset, PointerText::Hex));
      continue;
    }
    auto field = fieldOf(sema, f.type, f.offset, true);
    if (!field)
      return field.takeError();
    field->isPointer = kt.isPointer();
    m.key.fields.push_back(*field);
  }
  m.valueSize = ml.valueSize;
  if (mi.agg == AggKind::None) {
    auto value = fieldOf(sema, mi.value, 0, true);
    if (!value)
      return value.takeError();
    m.valueType = *value;
    if (sema.types.get(mi.value).isPointer())
      m.valueType->isSigned = true; // bpftrace 0.17 prints a pointer value signed
  }
  // A sum of unsigned values names its type, which a signed sum leaves out (so that an
  // object without one reads as older btrun reads it).
  if (mi.agg == AggKind::Sum && !sema.types.get(mi.value).isSigned) {
    m.valueType = obj::Field{};
    m.valueType->isSigned = false;
  }
  if (ml.bucketOffset >= 0)
    m.bucketOffset = static_cast<uint32_t>(ml.bucketOffset);
  if (mi.agg == AggKind::Hist)
    m.histBits = uint32_t(std::max(mi.histBits, 0));
  if (mi.agg == AggKind::Lhist)
    m.lhist = obj::LhistParams{mi.lhistMin, mi.lhistMax, mi.lhistStep};
  if (mi.agg == AggKind::Tseries)
    m.tseries = obj::TseriesParams{uint64_t(mi.tseriesIntervalNs),
                                   uint64_t(mi.tseriesIntervals), mi.tseriesAgg};
  return m;
}

} // namespace

obj::Aggregation manifestAggregation(AggKind agg) {
  return manifestValue<obj::Aggregation>(aggName(agg));
}

namespace {

// The tracepoint fields attachment `index` of probe `pi` reads, each once, in script
// order, where it first reads them: btrun checks them against the host's format.
std::vector<obj::TracepointFieldRead> fieldsRead(const SemaResult &sema, const ProbeInfo &pi,
                                                 size_t index) {
  auto before = [](SourceLoc a, SourceLoc b) {
    return std::tie(a.file, a.line, a.col) < std::tie(b.file, b.line, b.col);
  };
  std::vector<std::pair<SourceLoc, const TracepointField *>> reads;
  for (const auto &[expr, read] : sema.tracepointFields) {
    if (read.probe != pi.probe || index >= read.fields.size())
      continue;
    reads.emplace_back(expr->fieldRange.begin, &pi.attachments[index].fields[read.fields[index]]);
  }
  // `args` whole reads all its fields at one place: those go in the record's order, so
  // that the manifest is the same on every compile.
  std::sort(reads.begin(), reads.end(), [&](const auto &a, const auto &b) {
    if (before(a.first, b.first) || before(b.first, a.first))
      return before(a.first, b.first);
    return a.second->offset < b.second->offset;
  });
  std::vector<obj::TracepointFieldRead> out;
  for (const auto &[at, f] : reads) {
    bool seen = false;
    for (const auto &o : out)
      seen |= o.name == f->name;
    if (!seen)
      out.push_back({f->name, f->offset, f->size, f->isSigned, int(at.line), int(at.col), int(at.file)});
  }
  return out;
}

} // namespace

llvm::Expected<obj::Manifest> buildManifest(const LowerContext &lc) {
  const SemaResult &sema = lc.sema;
  obj::Manifest m;
  m.producer = "btc " BT_VERSION_STRING;
  const std::string &text = lc.options.sourceText;
  m.source.name = lc.options.sourceName;
  m.source.text = text;
  for (const auto &[name, importedText] : lc.options.importedSources)
    m.source.imports.push_back(name);
  // The BPF C sources and objects after the scripts: no location names them (their code
  // has none of the script's), but the object carries their code.
  if (sema.options.externalC) {
    for (const ExternalCModule &c : sema.options.externalC->modules)
      m.source.imports.push_back(c.file);
    for (const ExternalCObject &o : sema.options.externalC->objects)
      m.source.imports.push_back(o.file);
  }
  m.source.sha256 = llvm::toHex(
      llvm::SHA256::hash(llvm::ArrayRef<uint8_t>((const uint8_t *)text.data(), text.size())), true);
  m.options.syncStart = lc.options.syncStart;
  m.options.warnings = lc.options.warnings;
  m.options.helperErrors = lc.options.helperErrors;
  m.options.strlen = sema.options.strlen;
  m.options.missingProbes = sema.options.missingProbes;
  m.options.run = sema.options.run;
  for (const auto &[call, id] : sema.functions)
    if ((id == FunctionId::Signal || id == FunctionId::SignalThread ||
         id == FunctionId::System || id == FunctionId::Override) &&
        !std::count(m.options.unsafeFunctions.begin(), m.options.unsafeFunctions.end(),
                    call->callee))
      m.options.unsafeFunctions.push_back(call->callee);
  m.globals = globalsOf(lc);
  m.ringbuf = "bt_events";
  if (lc.skbOutput)
    m.skbOutput = "bt_skb_output";
  if (lc.bpfMatchNames) {
    m.bpfMatchNames = obj::BpfMatchNames{obj::kBpfMatchNamesMap, obj::kBpfMatchProbeSize,
                                         obj::kBpfMatchFuncSize};
    m.require(obj::Feature::BpfMatchNames);
  }
  if (lc.watchMatchNames) {
    m.watchMatchNames = obj::WatchMatchNames{obj::kWatchMatchNamesMap, obj::kWatchMatchProbeSize};
    m.require(obj::Feature::WatchMatchNames);
  }
  m.targets = lc.options.targets;
  if (lc.sema.usesSyscallNames)
    m.syscallNames = syscallNames(lc.sema.arch);

  std::vector<std::string> reversed;
  size_t program = 0;
  for (size_t i = 0; i < sema.probes.size(); ++i) {
    const ProbeInfo &pi = sema.probes[i];
    obj::ProbeSpec p;
    p.index = i;
    p.text = pi.text;
    p.type = manifestValue<obj::ProbeType>(probeTypeName(pi.type));
    p.line = pi.probe->range.begin.line;
    p.col = pi.probe->range.begin.col;
    p.file = int(pi.probe->range.begin.file);
    bool shared = sharesProgram(pi);
    for (size_t ai = 0; ai < pi.attachments.size(); ++ai) {
      const Attachment &a = pi.attachments[ai];
      const auto &slot = lc.dispatch[program];
      const std::string &name = lc.programNames[program];
      bool sameProgram = ai > 0 && lc.programNames[program - 1] == name; // attached with the first
      ++program;
      // A dispatched syscall program reads its arguments from raw_syscalls' registers, not
      // from the tracepoint's format, so it has no fields for btrun to check.
      p.attachments.push_back({name, a.section, a.probeName, targetOf(pi.type, a), std::nullopt,
                               pi.type == ProbeType::Tracepoint && !slot
                                   ? fieldsRead(sema, pi, ai)
                                   : std::vector<obj::TracepointFieldRead>{},
                               std::nullopt});
      if (a.watchArgument)
        p.attachments.back().target.armProgram = watchpointArmProgram(name);
      // Its matches armed apart: each `probe` is the text around the binary with the
      // match in place of the pattern (`:incr*:4:w` is `:` FUNCTION `:4:w`).
      if (armsPerMatch(lc, pi, a)) {
        const auto &[before, after] = *a.probeNameAroundBinary;
        p.attachments.back().target.matchProbe.emplace(before,
                                                       after.substr(1 + a.symbol.size()));
      }
      if (auto id = sema.uprobeBuildIds.find(a.path);
          pi.type == ProbeType::Uprobe && id != sema.uprobeBuildIds.end())
        p.attachments.back().target.buildId = id->second;
      if (shared) { // one program in the probe's section, a cookie each
        p.attachments.back().section = sharedSection(pi);
        p.attachments.back().cookie = ai;
      }
      if (slot) {
        obj::AttachmentSpec &spec = p.attachments.back();
        spec.section = std::string("raw_tp/") + (slot->exit ? "sys_exit" : "sys_enter");
        spec.dispatch = obj::AttachmentSpec::Dispatch{slot->table->getName().str(), slot->nr};
        addUnique(m.requirements.tracepoints,
                  std::string("raw_syscalls/") + (slot->exit ? "sys_exit" : "sys_enter"));
      }
      if (!runsInBtrun(pi.type) && !sameProgram)
        (runsLastAttachedFirst(pi.type, a) ? reversed : m.attachOrder).push_back(name);
      if (pi.type == ProbeType::Tracepoint)
        addUnique(m.requirements.tracepoints, a.category + "/" + a.name);
      // A probe without a binary is on the -p process's, which btrun checks when it finds it.
      if ((pi.type == ProbeType::Uprobe || pi.type == ProbeType::Uretprobe ||
           pi.type == ProbeType::Usdt) && !a.path.empty())
        addUnique(m.requirements.binaries, a.path);
    }
    addUnique(m.requirements.probeTypes, p.type);
    if (shared)
      addUnique(m.requirements.multiLinks,
                std::string(pi.type == ProbeType::Uprobe || pi.type == ProbeType::Uretprobe
                                ? "uprobe_multi"
                                : "kprobe_multi"));
    m.probes.push_back(std::move(p));
  }
  m.attachOrder.insert(m.attachOrder.end(), reversed.rbegin(), reversed.rend());
  m.dispatchers = lc.dispatchers;

  for (const MapLayout &ml : lc.maps) {
    auto spec = mapSpecOf(lc.sema, ml);
    if (!spec)
      return spec.takeError();
    m.maps.push_back(std::move(*spec));
  }

  for (size_t i = 0; i < lc.events.size(); ++i) {
    const EventRecord &e = lc.events[i];
    obj::EventSpec spec = e.spec;
    spec.id = i;
    spec.size = e.size;
    for (const EventArg &a : e.args) {
      // A tuple, record or array reaches printf only under %s, printed as print() prints it.
      const Type &at = lc.type(a.type);
      bool composite = at.isRecord() || at.isArray();
      auto f = fieldOf(lc.sema, a.type, a.offset,
                       spec.kind == obj::EventKind::PrintValue || composite);
      if (!f)
        return f.takeError();
      if (lc.type(a.type).isString())
        f->size = a.size; // the slot, rounded up to 8
      // A struct of the running kernel's bytes in printf's record: the room it has there
      // (print()'s record is the running kernel's size of it: the compile-time size).
      if (holdsKernelType(*f))
        f->size = a.size;
      // print() of a pointer shows the address in hex, as upstream bpftrace prints one.
      f->isPointer = spec.kind == obj::EventKind::PrintValue && at.isPointer();
      spec.args.push_back(*f);
    }
    symbolicArgs(lc, e, spec);
    m.events.push_back(std::move(spec));
  }

  requireFeatures(sema, m);
  m.requirements.btf = false;
  m.requirements.helpers = lc.helpersUsed;
  std::sort(m.requirements.helpers.begin(), m.requirements.helpers.end());
  return m;
}

} // namespace bt::lower
