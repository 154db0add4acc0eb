// The manifest (docs/OBJECT.md) from what lowering produced; Compilation adds
// the checks and the integrity digests.
#include "LowerContext.h"

#include "llvm/Support/SHA256.h"
#include "llvm/ADT/StringExtras.h"

namespace bt::lower {

using nlohmann::json;

namespace {

const char *bpfTypeName(int t) {
  switch (t) {
  case 1: return "hash";
  case 5: return "percpu_hash";
  case 6: return "percpu_array";
  case 27: return "ringbuf";
  }
  return "unknown";
}

json typeJson(const Type &t) {
  if (t.isString())
    return {{"type", "string"}, {"size", t.size}};
  if (t.isTimestamp())
    return {{"type", "strftime"}, {"size", 8}, {"format", t.timeFormat}};
  if (t.isKernelSymbol())
    return {{"type", "ksym"}, {"size", 8}};
  if (t.isKernelStack())
    return {{"type", "kstack"}, {"size", 8}, {"stack_map", kernelStackMapName(t.size)},
            {"mode", t.perfMode ? "perf" : "bpftrace"}};
  return {{"type", "int"}, {"size", 8}, {"signed", t.isSigned}};
}

json targetJson(ProbeType type, const Attachment &a) {
  switch (type) {
  case ProbeType::Begin:
  case ProbeType::End:
    return json::object();
  case ProbeType::Tracepoint:
    return {{"category", a.category}, {"name", a.name}};
  case ProbeType::RawTracepoint:
    return {{"name", a.name}};
  case ProbeType::Interval:
  case ProbeType::Profile:
    if (a.frequencyHz)
      return {{"frequency_hz", a.frequencyHz}};
    return {{"period_ns", a.periodNs}};
  case ProbeType::Software:
    return {{"event", a.eventName}, {"config", a.eventConfig}, {"count", a.sampleCount}};
  case ProbeType::Uprobe:
  case ProbeType::Uretprobe:
    return {{"path", a.path}, {"symbol", a.symbol}, {"offset", a.offset}};
  case ProbeType::Usdt:
    return {{"path", a.path}, {"provider", a.provider}, {"name", a.name}};
  case ProbeType::Kprobe:
  case ProbeType::Kretprobe:
    return {{"symbol", a.symbol}, {"offset", a.offset}};
  case ProbeType::Fentry:
  case ProbeType::Fexit:
    return {{"symbol", a.symbol}};
  }
  return json::object();
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

} // namespace

json buildManifest(const LowerContext &lc) {
  const SemaResult &sema = lc.sema;
  json m;
  m["schema_version"] = 1;
  m["producer"] = "btc " BT_VERSION_STRING;
  const std::string &text = lc.options.sourceText;
  m["source"] = {{"name", lc.options.sourceName},
                 {"text", text},
                 {"sha256", llvm::toHex(llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(
                                            (const uint8_t *)text.data(), text.size())),
                                        true)}};
  m["options"] = {{"sync_start", lc.options.syncStart},
                  {"warnings", lc.options.warnings},
                  {"helper_errors", lc.options.helperErrors},
                  {"strlen", sema.options.strlen}};
  m["globals"] = {{"map_section", ".bss"},
                  {"armed_offset", 8 * kArmedIndex},
                  {"lost_offset", 8 * kLostIndex},
                  {"start_offset", 8 * kStartIndex}};
  if (!lc.paramSlots.empty()) {
    json params = json::array();
    for (const auto &slot : lc.paramSlots) {
      if (slot.index <= 0) {
        m["globals"][slot.index == 0    ? "param_count_offset"
                     : slot.index == -1 ? "child_pid_offset"
                                        : "ncpus_offset"] = slot.offset;
        continue;
      }
      json p = {{"index", slot.index}, {"type", slot.isString ? "string" : "int"},
                {"offset", slot.offset}};
      if (slot.isString)
        p["size"] = slot.size;
      params.push_back(p);
    }
    m["globals"]["params"] = params;
  }
  m["ringbuf"] = "bt_events";

  json probes = json::array();
  std::vector<std::string> forward, reversed;
  std::vector<std::string> probeTypes, tracepoints, binaries;
  auto addUnique = [](std::vector<std::string> &v, const std::string &s) {
    if (std::find(v.begin(), v.end(), s) == v.end())
      v.push_back(s);
  };
  size_t program = 0;
  for (size_t i = 0; i < sema.probes.size(); ++i) {
    const ProbeInfo &pi = sema.probes[i];
    json atts = json::array();
    for (const Attachment &a : pi.attachments) {
      const std::string &name = lc.programNames[program++];
      atts.push_back({{"program", name},
                      {"section", a.section},
                      {"probe", a.probeName},
                      {"target", targetJson(pi.type, a)}});
      if (pi.type != ProbeType::Begin && pi.type != ProbeType::End)
        (runsLastAttachedFirst(pi.type, a) ? reversed : forward).push_back(name);
      if (pi.type == ProbeType::Tracepoint)
        addUnique(tracepoints, a.category + "/" + a.name);
      if (pi.type == ProbeType::Uprobe || pi.type == ProbeType::Uretprobe ||
          pi.type == ProbeType::Usdt)
        addUnique(binaries, a.path);
    }
    addUnique(probeTypes, probeTypeName(pi.type));
    probes.push_back({{"index", i},
                      {"text", pi.text},
                      {"type", probeTypeName(pi.type)},
                      {"line", pi.probe->range.begin.line},
                      {"col", pi.probe->range.begin.col},
                      {"attachments", atts}});
  }
  m["probes"] = probes;
  json order = forward;
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it)
    order.push_back(*it);
  m["attach_order"] = order;

  json maps = json::array();
  for (const MapLayout &ml : lc.maps) {
    const MapInfo &mi = *ml.info;
    json fields = json::array();
    for (const KeyField &f : ml.keyFields) {
      json jf = typeJson(f.type);
      jf["size"] = f.type.isString() ? f.type.size : 8;
      jf["offset"] = f.offset;
      fields.push_back(jf);
    }
    json jm = {{"name", mi.name},
               {"bpf_name", ml.bpfName},
               {"bpf_type", bpfTypeName(ml.bpfType)},
               {"max_entries", ml.maxEntries},
               {"aggregation", aggName(mi.agg)},
               {"keyless", mi.keys.empty()},
               {"key", {{"size", ml.keySize}, {"fields", fields}}},
               {"value_size", ml.valueSize}};
    if (mi.agg == AggKind::None)
      jm["value_type"] = typeJson(mi.value);
    if (ml.bucketOffset >= 0)
      jm["bucket_offset"] = ml.bucketOffset;
    if (mi.agg == AggKind::Lhist)
      jm["lhist"] = {{"min", mi.lhistMin}, {"max", mi.lhistMax}, {"step", mi.lhistStep}};
    maps.push_back(jm);
  }
  m["maps"] = maps;

  json events = json::array();
  for (size_t i = 0; i < lc.events.size(); ++i) {
    const Event &e = lc.events[i];
    json je = e.json;
    je["id"] = i;
    je["size"] = e.size;
    json args = json::array();
    for (const EventArg &a : e.args) {
      json ja = typeJson(a.type);
      if (a.type.isString())
        ja["size"] = a.size;
      ja["offset"] = a.offset;
      args.push_back(ja);
    }
    je["args"] = args;
    events.push_back(je);
  }
  m["events"] = events;

  std::vector<int> helpers = lc.helpersUsed;
  std::sort(helpers.begin(), helpers.end());
  m["requirements"] = {{"probe_types", probeTypes},
                       {"tracepoints", tracepoints},
                       {"binaries", binaries},
                       {"btf", false},
                       {"helpers", helpers}};
  return m;
}

} // namespace bt::lower
