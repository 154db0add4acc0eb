// The manifest's JSON (docs/OBJECT.md): each struct's writer and reader side by side.
// Globals, probes and typed fields have files of their own (JsonGlobals.cpp,
// JsonProbes.cpp, JsonField.cpp).
// Readers check kinds, required keys and values, and throw SchemaError naming the key
// relative to the object they read; the enclosing reader puts its own key in front.
#include "bt/Object/Json.h"

#include "bt/Object/Integrity.h"
#include "bt/Object/Layout.h"

#include "JsonRead.h"

#include <algorithm>
#include <exception>

namespace bt::obj {

using namespace json_read;

void SchemaError::nest(const std::string &outer) { path_ = joinPath(outer, path_); }

std::string SchemaError::message() const { return before_ + path_ + after_; }

// ------------------------------------------------------------------- source, options

void to_json(Json &j, const SourceInfo &v) {
  j = {{"name", v.name}, {"text", v.text}, {"sha256", v.sha256}};
  if (!v.imports.empty())
    j["imports"] = v.imports;
}

void from_json(const Json &j, SourceInfo &v) {
  requireObject(j);
  v.name = str(j, "name", false);
  v.text = str(j, "text", false, {}, Text::Free);
  v.sha256 = str(j, "sha256", false);
  if (has(j, "imports"))
    v.imports = strings(j, "imports", false);
}

void to_json(Json &j, const ManifestOptions &v) {
  j = {{"sync_start", v.syncStart},
       {"warnings", v.warnings},
       {"helper_errors", v.helperErrors},
       {"strlen", v.strlen}};
  if (!v.unsafeFunctions.empty())
    j["unsafe_functions"] = v.unsafeFunctions;
  if (v.missingProbes != MissingProbes::Error)
    j["missing_probes"] = toString(v.missingProbes);
  // The run-time settings, each only when the script or btc changed it.
  const RunSettings defaults;
  if (v.run.printMapsOnExit != defaults.printMapsOnExit)
    j["print_maps_on_exit"] = v.run.printMapsOnExit;
  if (v.run.maxCatBytes != defaults.maxCatBytes)
    j["max_cat_bytes"] = v.run.maxCatBytes;
  if (v.run.cppDemangle != defaults.cppDemangle)
    j["cpp_demangle"] = v.run.cppDemangle;
  if (v.run.perfRbPages)
    j["perf_rb_pages"] = *v.run.perfRbPages;
  if (v.run.logSize)
    j["log_size"] = *v.run.logSize;
  if (v.run.maxProbes)
    j["max_probes"] = *v.run.maxProbes;
  if (!v.run.strTruncTrailer.empty())
    j["str_trunc_trailer"] = v.run.strTruncTrailer;
}

void from_json(const Json &j, ManifestOptions &v) {
  requireObject(j);
  v.syncStart = boolean(j, "sync_start", false, true);
  v.warnings = boolean(j, "warnings", false, true);
  v.helperErrors = boolean(j, "helper_errors", false, false);
  v.strlen = unsignedInt(j, "strlen", false, 64);
  if (j.contains("unsafe_functions"))
    v.unsafeFunctions = j.at("unsafe_functions").get<std::vector<std::string>>();
  v.missingProbes = enumValue<MissingProbes>("missing_probes",
                                             str(j, "missing_probes", false, "error"));
  const RunSettings defaults;
  v.run.printMapsOnExit = boolean(j, "print_maps_on_exit", false, defaults.printMapsOnExit);
  v.run.maxCatBytes = unsignedInt(j, "max_cat_bytes", false, defaults.maxCatBytes);
  v.run.cppDemangle = boolean(j, "cpp_demangle", false, defaults.cppDemangle);
  v.run.strTruncTrailer = str(j, "str_trunc_trailer", false, "");
  for (auto [key, field] : {std::pair{"perf_rb_pages", &v.run.perfRbPages},
                            std::pair{"log_size", &v.run.logSize},
                            std::pair{"max_probes", &v.run.maxProbes}})
    if (has(j, key))
      *field = unsignedInt(j, key, true);
}

// ----------------------------------------------------------------------------- maps

void to_json(Json &j, const MapSpec &v) {
  Json fields = Json::array();
  for (const Field &f : v.key.fields)
    fields.push_back(fieldToJson(f, true));
  j = {{"name", v.name},
       {"bpf_name", v.bpfName},
       {"bpf_type", toString(v.bpfType)},
       {"max_entries", v.maxEntries},
       {"aggregation", toString(v.aggregation)},
       {"keyless", v.keyless},
       {"key", {{"size", v.key.size}, {"fields", fields}}},
       {"value_size", v.valueSize}};
  if ((v.aggregation == Aggregation::None || v.aggregation == Aggregation::Sum) && v.valueType)
    j["value_type"] = fieldToJson(*v.valueType, false);
  if (v.hasBuckets())
    j["bucket_offset"] = v.bucketOffset;
  if (v.aggregation == Aggregation::Hist && v.histBits)
    j["hist_bits"] = v.histBits;
  if (v.aggregation == Aggregation::Lhist && v.lhist)
    j["lhist"] = {{"min", v.lhist->min}, {"max", v.lhist->max}, {"step", v.lhist->step}};
  if (v.aggregation == Aggregation::Tseries && v.tseries)
    j["tseries"] = {{"interval_ns", v.tseries->intervalNs},
                    {"intervals", v.tseries->intervals},
                    {"aggregation", v.tseries->aggregation}};
  if (v.dropsOffset)
    j["drops_offset"] = *v.dropsOffset;
}

void from_json(const Json &j, MapSpec &v) {
  requireObject(j);
  v.name = str(j, "name", true);
  v.bpfName = str(j, "bpf_name", true);
  v.bpfType = enumValue<MapType>("bpf_type", str(j, "bpf_type", true));
  v.maxEntries = unsignedInt(j, "max_entries", false, 0);
  v.aggregation = enumValue<Aggregation>("aggregation", str(j, "aggregation", true));
  v.keyless = boolean(j, "keyless", false, false);
  const Json *kj = object(j, "key", true);
  within("key", [&] {
    v.key.size = static_cast<uint32_t>(unsignedInt(*kj, "size", true));
    v.key.fields = elements<Field>(*kj, "fields", true,
                                   [](const Json &f, size_t) { return fieldFromJson(f, true); });
  });
  v.valueSize = static_cast<uint32_t>(unsignedInt(j, "value_size", false, 8));
  v.valueType.reset();
  if (v.aggregation == Aggregation::None) {
    const Json *vj = find(j, "value_type", true);
    v.valueType = within("value_type", [&] { return fieldFromJson(*vj, false); });
  }
  // A sum's is optional: an unsigned 8-byte int, or left out for a signed sum.
  if (v.aggregation == Aggregation::Sum && has(j, "value_type")) {
    const Json *vj = find(j, "value_type", true);
    v.valueType = within("value_type", [&] { return fieldFromJson(*vj, false); });
    if (v.valueType->type != FieldType::Int || v.valueType->size != 8)
      fail("value_type", "of a sum must be an 8-byte int");
  }
  v.bucketOffset = 0;
  if (v.hasBuckets())
    v.bucketOffset = static_cast<uint32_t>(unsignedInt(j, "bucket_offset", true));
  v.histBits = 0;
  if (v.aggregation == Aggregation::Hist) {
    v.histBits = static_cast<uint32_t>(unsignedInt(j, "hist_bits", false, 0));
    if (v.histBits > 5)
      fail("hist_bits", "must be 0 to 5");
  }
  v.lhist.reset();
  if (v.aggregation == Aggregation::Lhist) {
    const Json *lj = object(j, "lhist", true);
    LhistParams lp;
    within("lhist", [&] {
      lp.min = integer(*lj, "min", true);
      lp.max = integer(*lj, "max", true);
      lp.step = integer(*lj, "step", true);
    });
    if (lp.step <= 0 || lp.max <= lp.min)
      fail("lhist", "needs step > 0 and max > min");
    v.lhist = lp;
  }
  v.tseries.reset();
  if (v.aggregation == Aggregation::Tseries) {
    const Json *tj = object(j, "tseries", true);
    TseriesParams tp;
    within("tseries", [&] {
      tp.intervalNs = unsignedInt(*tj, "interval_ns", true);
      tp.intervals = unsignedInt(*tj, "intervals", true);
      tp.aggregation = str(*tj, "aggregation", true);
    });
    if (tp.intervalNs == 0 || tp.intervals == 0 || tp.intervals > 1000)
      fail("tseries", "needs interval_ns > 0 and 1 to 1000 intervals");
    if (!tp.aggregation.empty() && tp.aggregation != "avg" && tp.aggregation != "max" &&
        tp.aggregation != "min" && tp.aggregation != "sum")
      fail("tseries", "aggregation must be \"avg\", \"max\", \"min\", \"sum\" or \"\"");
    if (v.valueSize < tseriesValueSize(tp.intervals))
      fail("tseries", "value_size is smaller than its intervals need");
    v.tseries = tp;
  }
  v.dropsOffset.reset();
  if (has(j, "drops_offset"))
    v.dropsOffset = unsignedInt(j, "drops_offset", true);
}

// --------------------------------------------------------------------------- events

void to_json(Json &j, const EventSpec &v) {
  Json args = Json::array();
  for (const Field &a : v.args)
    args.push_back(fieldToJson(a, true));
  j = {{"id", v.id},
       {"kind", toString(v.kind)},
       {"line", v.line},
       {"col", v.col},
       {"size", v.size},
       {"args", args}};
  if (v.file)
    j["file"] = v.file;
  if (v.hasPrintfFormat() || v.kind == EventKind::Time)
    j["format"] = v.format;
  if (v.namesMap())
    j["map"] = v.map;
  // print(@m, top, div): top is written whenever div is, as the script wrote it.
  if (v.kind == EventKind::PrintMap && (v.top != 0 || v.div != 1))
    j["top"] = v.top;
  if (v.kind == EventKind::PrintMap && v.div != 1)
    j["div"] = v.div;
  if (v.kind == EventKind::HelperError) {
    j["helper"] = v.helper;
    if (v.endCol)
      j["end_col"] = v.endCol;
    if (v.endLine)
      j["end_line"] = v.endLine;
    if (!v.lineText.empty())
      j["line_text"] = v.lineText;
  }
  if (v.kind == EventKind::Errorf || v.kind == EventKind::Warnf)
    j["end_col"] = v.endCol;
  if (v.kind == EventKind::Join)
    j["separator"] = v.separator;
  if (v.kind == EventKind::Exit && v.exitCode)
    j["code"] = v.exitCode;
  if (v.kind == EventKind::SkbOutput) {
    j["path"] = v.pcapPath;
    j["offset"] = v.pcapOffset;
  }
  if (v.kind == EventKind::WatchpointAttach)
    j["program"] = v.program;
}

void from_json(const Json &j, EventSpec &v) {
  requireObject(j);
  v.id = unsignedInt(j, "id", false, v.id);
  v.kind = enumValue<EventKind>("kind", str(j, "kind", true));
  v.line = static_cast<int>(integer(j, "line", false, 0));
  v.col = static_cast<int>(integer(j, "col", false, 0));
  v.file = static_cast<int>(unsignedInt(j, "file", false, 0));
  v.size = static_cast<uint32_t>(unsignedInt(j, "size", false, 8));
  auto readArgs = [&] {
    v.args = elements<Field>(j, "args", true,
                             [](const Json &a, size_t) { return fieldFromJson(a, true); });
    // A watchpoint match armed apart sends its row after the address.
    bool matchRow = v.kind == EventKind::WatchpointAttach && v.args.size() == 2;
    if (!v.hasPrintfFormat() && v.args.size() != 1 && !matchRow)
      fail("args", std::string("of ") + toString(v.kind) + " must hold exactly one argument");
  };
  switch (v.kind) {
  case EventKind::HelperError:
    v.helper = str(j, "helper", true);
    v.endCol = static_cast<int>(integer(j, "end_col", false, 0));
    v.endLine = static_cast<int>(integer(j, "end_line", false, 0));
    v.lineText = str(j, "line_text", false, {}, Text::Free);
    readArgs();
    break;
  case EventKind::Printf:
  case EventKind::Cat:
  case EventKind::System:
    v.format = str(j, "format", true, {}, Text::Free);
    readArgs();
    break;
  case EventKind::Errorf:
  case EventKind::Warnf:
    v.format = str(j, "format", true, {}, Text::Free);
    v.endCol = static_cast<int>(integer(j, "end_col", true));
    readArgs();
    break;
  case EventKind::PrintValue:
    readArgs();
    break;
  case EventKind::PrintMap:
    v.top = unsignedInt(j, "top", false, 0);
    v.div = unsignedInt(j, "div", false, 1);
    if (v.div == 0)
      fail("div", "must not be 0");
    v.map = str(j, "map", true);
    break;
  case EventKind::Clear:
  case EventKind::Zero:
    v.map = str(j, "map", true);
    break;
  case EventKind::Time:
    v.format = str(j, "format", false, "%H:%M:%S\n", Text::Free);
    break;
  case EventKind::Exit:
    // The code is the manifest's, or (one integer argument) the record's.
    v.exitCode = static_cast<int>(integer(j, "code", false, 0));
    v.args = elements<Field>(j, "args", false,
                             [](const Json &a, size_t) { return fieldFromJson(a, true); });
    if (v.args.size() > 1 || (v.args.size() == 1 && v.args[0].type != FieldType::Int))
      fail("args", "of exit must be empty or one integer");
    break;
  case EventKind::Join:
    v.separator = str(j, "separator", true, {}, Text::Free);
    v.args = elements<Field>(j, "args", true,
                             [](const Json &a, size_t) { return fieldFromJson(a, true); });
    for (const Field &a : v.args)
      if (a.type != FieldType::String)
        fail("args", "of join must all be strings");
    break;
  case EventKind::SkbOutput:
    v.pcapPath = str(j, "path", true, {}, Text::Free);
    if (v.pcapPath.empty())
      fail("path", "must not be empty");
    v.pcapOffset = unsignedInt(j, "offset", false, 0);
    if (v.size != 24)
      fail("size", "of skb_output must be 24: the event id, the time and the length");
    break;
  case EventKind::WatchpointAttach:
  case EventKind::WatchpointDetach:
    if (v.kind == EventKind::WatchpointAttach)
      v.program = str(j, "program", true);
    readArgs();
    for (const Field &a : v.args)
      if (a.type != FieldType::Int || a.size != 8)
        fail("args", std::string("of ") + toString(v.kind) +
                         (v.args.size() == 1 ? " must be one 8-byte address"
                                             : " must be an 8-byte address and match row"));
    break;
  }
}

// ------------------------------------------------------- checks, requirements, integrity

void to_json(Json &j, const Checks &v) {
  j = {{"lifetime",
        {{"status", v.lifetimeStatus},
         {"checker_version", v.lifetimeCheckerVersion},
         {"functions", v.lifetimeFunctions}}},
       {"ir_sha256", v.irSha256}};
}

void from_json(const Json &j, Checks &v) {
  requireObject(j);
  if (const Json *lj = object(j, "lifetime", false))
    within("lifetime", [&] {
      v.lifetimeStatus = str(*lj, "status", false);
      v.lifetimeCheckerVersion = unsignedInt(*lj, "checker_version", false);
      v.lifetimeFunctions = unsignedInt(*lj, "functions", false);
    });
  v.irSha256 = str(j, "ir_sha256", false);
}

void to_json(Json &j, const Requirements &v) {
  Json probeTypes = Json::array();
  for (ProbeType t : v.probeTypes)
    probeTypes.push_back(toString(t));
  j = {{"probe_types", probeTypes},
       {"tracepoints", v.tracepoints},
       {"binaries", v.binaries},
       {"btf", v.btf},
       {"helpers", v.helpers}};
  if (!v.multiLinks.empty())
    j["multi_links"] = v.multiLinks;
}

void from_json(const Json &j, Requirements &v) {
  requireObject(j);
  v.probeTypes = enumValues<ProbeType>(j, "probe_types", false);
  v.tracepoints = strings(j, "tracepoints", false);
  v.binaries = strings(j, "binaries", false);
  v.btf = boolean(j, "btf", false, false);
  v.multiLinks = strings(j, "multi_links", false);
  for (const std::string &l : v.multiLinks)
    if (l != "uprobe_multi" && l != "kprobe_multi")
      throw SchemaError("unknown ", "multi_links", " value '" + l +
                                                   "' (expected uprobe_multi or kprobe_multi)");
  v.helpers.clear();
  if (const Json *h = array(j, "helpers", false))
    for (const Json &x : *h)
      if (x.is_number_integer())
        v.helpers.push_back(x.get<int>());
}

void to_json(Json &j, const TargetRecord &v) {
  j = {{"kind", v.kind}, {"arch", v.arch}};
  if (!v.file.empty())
    j["file"] = v.file;
  if (!v.kernelRelease.empty())
    j["kernel_release"] = v.kernelRelease;
}

void from_json(const Json &j, TargetRecord &v) {
  requireObject(j);
  v.kind = str(j, "kind", true);
  if (v.kind != "host" && v.kind != "description")
    fail("kind", "is '" + v.kind + "', expected host or description");
  v.arch = str(j, "arch", true);
  v.file = str(j, "file", false);
  v.kernelRelease = str(j, "kernel_release", false);
}

void to_json(Json &j, const Integrity &v) {
  j = {{"algorithm", "sha256"}, {"sections", v.sections}, {"file_sha256", v.fileSha256}};
  if (!v.signatureHex.empty())
    j["signature"] = {{"algorithm", "ed25519"}, {"value", v.signatureHex}};
}

void from_json(const Json &j, Integrity &v) {
  requireObject(j);
  std::string algorithm = str(j, "algorithm", true);
  if (algorithm != "sha256")
    throw SchemaError("unsupported ", "algorithm", " '" + algorithm + "' (expected sha256)");
  const Json *secs = object(j, "sections", true);
  v.sections.clear();
  for (auto it = secs->begin(); it != secs->end(); ++it) {
    if (hasControl(it.key()))
      fail("sections", "has a key that contains a control character");
    if (!it->is_string())
      fail("sections." + it.key(), "must be a string");
    v.sections[it.key()] = it->get<std::string>();
  }
  v.fileSha256 = str(j, "file_sha256", true);
  if (!isLowerHex(v.fileSha256, kFileDigestHexSize))
    fail("file_sha256", "must be 64 lowercase hex digits");
  v.signatureHex.clear();
  if (const Json *sig = object(j, "signature", false)) {
    within("signature", [&] {
      std::string alg = str(*sig, "algorithm", true);
      v.signatureHex = str(*sig, "value", true);
      if (alg != "ed25519")
        throw SchemaError("unsupported ", "algorithm", " '" + alg + "' (expected ed25519)");
      if (!isLowerHex(v.signatureHex, kSignatureHexSize))
        fail("value", "must be 128 lowercase hex digits");
    });
  }
}

// ------------------------------------------------------------------------- manifest

void to_json(Json &j, const Manifest &v) {
  j = {{"schema_version", v.schemaVersion},
       {"producer", v.producer},
       {"source", v.source},
       {"options", v.options},
       {"globals", v.globals},
       {"ringbuf", v.ringbuf},
       {"probes", v.probes},
       {"attach_order", v.attachOrder},
       {"maps", v.maps},
       {"events", v.events},
       {"requirements", v.requirements},
       {"integrity", v.integrity}};
  if (v.schemaVersion >= 2) {
    Json features = Json::array();
    for (Feature f : v.features)
      features.push_back(toString(f));
    j["features"] = std::move(features);
  }
  if (v.checks)
    j["checks"] = *v.checks;
  if (!v.targets.empty())
    j["targets"] = v.targets;
  if (!v.syscallNames.empty())
    j["syscall_names"] = v.syscallNames;
  if (!v.skbOutput.empty())
    j["skb_output"] = v.skbOutput;
  if (v.bpfMatchNames)
    j["bpf_match_names"] = {{"map", v.bpfMatchNames->map},
                            {"probe_size", v.bpfMatchNames->probeSize},
                            {"func_size", v.bpfMatchNames->funcSize}};
  if (v.watchMatchNames)
    j["watch_match_names"] = {{"map", v.watchMatchNames->map}, {"size", v.watchMatchNames->size}};
  if (!v.dispatchers.empty()) {
    Json ds = Json::array();
    for (const Dispatcher &d : v.dispatchers)
      ds.push_back({{"program", d.program},
                    {"section", d.section},
                    {"raw_tracepoint", d.rawTracepoint}});
    j["dispatchers"] = ds;
  }
}

namespace {

/// An optional section read into `out`, which keeps its defaults when it is absent.
template <typename T> void section(const Json &root, const char *key, bool required, T &out) {
  if (const Json *s = find(root, key, required))
    within(key, [&] { from_json(*s, out); });
}

} // namespace

void from_json(const Json &root, Manifest &m) {
  if (!root.is_object())
    throw SchemaError("the top level must be a JSON object", "", "");
  m = Manifest();
  m.schemaVersion = static_cast<int>(integer(root, "schema_version", true));
  if (m.schemaVersion < kFirstSchemaVersion || m.schemaVersion > kSchemaVersion)
    fail("schema_version", "is " + std::to_string(m.schemaVersion) + ", expected " +
                               std::to_string(kFirstSchemaVersion) + " to " +
                               std::to_string(kSchemaVersion));
  // Version 2's features: each one this reader knows how to read, or the object is
  // refused before anything is read wrong; version 1 has none.
  if (m.schemaVersion == 1 && has(root, "features"))
    fail("features", "needs schema_version 2");
  if (m.schemaVersion >= 2)
    for (const std::string &name : strings(root, "features", true)) {
      auto f = fromString<Feature>(name);
      if (!f)
        fail("features", "names '" + name + "', which this btrun cannot read (it reads " +
                             expectedValues<Feature>() + "): the object needs a newer btrun");
      m.require(*f);
    }
  m.producer = str(root, "producer", false);
  section(root, "source", false, m.source);
  section(root, "options", false, m.options);
  section(root, "globals", true, m.globals);
  m.ringbuf = str(root, "ringbuf", true);
  m.skbOutput = str(root, "skb_output", false);
  if (const Json *names = find(root, "bpf_match_names", false))
    within("bpf_match_names", [&] {
      requireObject(*names);
      BpfMatchNames n;
      n.map = str(*names, "map", true);
      n.probeSize = static_cast<uint32_t>(unsignedInt(*names, "probe_size", true));
      n.funcSize = static_cast<uint32_t>(unsignedInt(*names, "func_size", true));
      if (n.probeSize == 0 || n.funcSize == 0 || n.probeSize % 8 || n.funcSize % 8 ||
          n.probeSize > 4096 || n.funcSize > 4096)
        fail("probe_size", "and func_size must be multiples of 8 from 8 to 4096");
      m.bpfMatchNames = std::move(n);
    });
  if (const Json *names = find(root, "watch_match_names", false))
    within("watch_match_names", [&] {
      requireObject(*names);
      WatchMatchNames n;
      n.map = str(*names, "map", true);
      n.size = static_cast<uint32_t>(unsignedInt(*names, "size", true));
      if (n.size == 0 || n.size % 8 || n.size > 4096)
        fail("size", "must be a multiple of 8 from 8 to 4096");
      m.watchMatchNames = std::move(n);
    });
  m.probes = elements<ProbeSpec>(root, "probes", true, [](const Json &pj, size_t i) {
    ProbeSpec p;
    p.index = i;
    from_json(pj, p);
    return p;
  });
  m.attachOrder = strings(root, "attach_order", true);
  if (has(root, "dispatchers"))
    m.dispatchers = elements<Dispatcher>(root, "dispatchers", false, [](const Json &dj, size_t) {
      requireObject(dj);
      return Dispatcher{str(dj, "program", true), str(dj, "section", false),
                        str(dj, "raw_tracepoint", true)};
    });
  m.maps = elements<MapSpec>(root, "maps", true,
                             [](const Json &mj, size_t) { return mj.get<MapSpec>(); });
  m.events = elements<EventSpec>(root, "events", true, [](const Json &ej, size_t i) {
    EventSpec e;
    e.id = i;
    if (ej.is_object()) {
      uint64_t id = unsignedInt(ej, "id", false, i);
      if (id != i)
        fail("id", "is " + std::to_string(id) + ", expected its index " + std::to_string(i));
    }
    from_json(ej, e);
    return e;
  });
  for (const EventSpec &e : m.events)
    if (e.kind == EventKind::Exit && !e.args.empty() &&
        std::find(m.features.begin(), m.features.end(), Feature::ExitCodes) == m.features.end())
      throw SchemaError("events[" + std::to_string(e.id) +
                            "] takes its exit code from the record, which needs the feature exit_codes",
                        "", "");
  section(root, "requirements", false, m.requirements);
  if (has(root, "targets"))
    m.targets = elements<TargetRecord>(root, "targets", false,
                                       [](const Json &tj, size_t) { return tj.get<TargetRecord>(); });
  if (has(root, "checks")) {
    m.checks.emplace();
    section(root, "checks", false, *m.checks);
  }
  section(root, "integrity", true, m.integrity);
  if (has(root, "syscall_names"))
    m.syscallNames = strings(root, "syscall_names", false);

  // Names used elsewhere must exist.
  for (const auto &program : m.attachOrder)
    if (!m.findProgram(program).second)
      throw SchemaError("attach_order names program '" + program + "' that no probe has", "", "");
  auto checkFile = [&](int file, const std::string &what) {
    if (size_t(file) > m.source.imports.size())
      throw SchemaError(what + " names file " + std::to_string(file) + ", and source.imports has " +
                            std::to_string(m.source.imports.size()),
                        "", "");
  };
  for (const auto &p : m.probes) {
    checkFile(p.file, "probes[" + std::to_string(p.index) + "]");
    for (const auto &a : p.attachments)
      for (const auto &f : a.fields)
        checkFile(f.file, "the field '" + f.name + "' of " + a.program);
  }
  for (const auto &e : m.events)
    checkFile(e.file, "events[" + std::to_string(e.id) + "]");
  for (const auto &e : m.events)
    if (e.namesMap() && !m.findMap(e.map))
      throw SchemaError("events[" + std::to_string(e.id) + "] names unknown map '" + e.map + "'",
                        "", "");
  for (const auto &e : m.events)
    if (e.kind == EventKind::SkbOutput && m.skbOutput.empty())
      throw SchemaError("events[" + std::to_string(e.id) +
                            "] is an skb_output, and the manifest names no skb_output map",
                        "", "");
  // A watchpoint_attach record opens the watchpoint of a function's argument: btrun
  // acts on whatever program it names, so it must be one.
  for (const auto &e : m.events) {
    if (e.kind != EventKind::WatchpointAttach)
      continue;
    auto [probe, att] = m.findProgram(e.program);
    if (!att || att->program != e.program || !att->target.argument)
      throw SchemaError("events[" + std::to_string(e.id) + "] arms program '" + e.program +
                            "', which is no watchpoint on a function's argument",
                        "", "");
    // A match row comes from, and only from, matches armed apart.
    if ((e.args.size() == 2) != att->target.matchProbe.has_value())
      throw SchemaError("events[" + std::to_string(e.id) +
                            "]: a match row must follow the address where, and only where, "
                            "the target of program '" + e.program + "' has match_probe",
                        "", "");
  }
  for (const ProbeSpec &p : m.probes)
    for (const AttachmentSpec &a : p.attachments)
      if (a.target.matchProbe && !m.watchMatchNames)
        throw SchemaError(a.probe + ": match_probe needs the manifest's watch_match_names", "",
                          "");
}

Json parseJson(std::string_view text) {
  return Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

ManifestOrError readManifest(std::string_view text) {
  ManifestOrError out;
  try {
    Json root = parseJson(text);
    if (root.is_discarded()) {
      out.error = "invalid manifest: not valid JSON";
      return out;
    }
    // Schema version first: an unknown version must not be reported as a missing key.
    if (root.is_object() && has(root, "schema_version")) {
      int64_t version = integer(root, "schema_version", true);
      if (version < kFirstSchemaVersion || version > kSchemaVersion) {
        out.error = "unsupported manifest schema_version " + std::to_string(version) +
                    " (this btrun reads versions " + std::to_string(kFirstSchemaVersion) +
                    " to " + std::to_string(kSchemaVersion) + ")";
        return out;
      }
    }
    out.manifest = root.get<Manifest>();
  } catch (const SchemaError &e) {
    out.error = "invalid manifest: " + e.message();
  } catch (const std::exception &e) {
    out.error = std::string("invalid manifest: ") + e.what();
  }
  return out;
}

} // namespace bt::obj
