// Manifest JSON -> C++ structs (docs/OBJECT.md, schema version 1).
#include "bt/Runtime/Manifest.h"

#include "bt/Runtime/Format.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>

namespace bt::rt {

using nlohmann::json;

namespace {

/// Walks the JSON with a path for messages; remembers the first error.
class Reader {
public:
  std::optional<Error> error;

  bool failed() const { return error.has_value(); }

  void fail(const std::string &msg) {
    if (!error)
      error = Error("invalid manifest: " + msg);
  }

  const json *get(const json &obj, const std::string &path, const char *key, bool required) {
    if (failed())
      return nullptr;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required)
        fail("missing required key '" + join(path, key) + "'");
      return nullptr;
    }
    return &*it;
  }

  static std::string join(const std::string &path, const std::string &key) {
    return path.empty() ? key : path + "." + key;
  }

  bool isObject(const json &j, const std::string &path) {
    if (!j.is_object()) {
      fail("'" + path + "' must be an object");
      return false;
    }
    return true;
  }

  const json *object(const json &obj, const std::string &path, const char *key, bool required) {
    const json *j = get(obj, path, key, required);
    if (j && !isObject(*j, join(path, key)))
      return nullptr;
    return j;
  }

  const json *array(const json &obj, const std::string &path, const char *key, bool required) {
    const json *j = get(obj, path, key, required);
    if (j && !j->is_array()) {
      fail("'" + join(path, key) + "' must be an array");
      return nullptr;
    }
    return j;
  }

  /// A string value. Names, paths and the like end up in btrun's one-line messages
  /// and output, so they may not hold control characters; only the few values that
  /// are text (the source, printf and time formats) pass `text = true`.
  std::string str(const json &obj, const std::string &path, const char *key, bool required,
                  std::string def = {}, bool text = false) {
    const json *j = get(obj, path, key, required);
    if (!j)
      return def;
    if (!j->is_string()) {
      fail("'" + join(path, key) + "' must be a string");
      return def;
    }
    std::string v = j->get<std::string>();
    if (!text && hasControl(v)) {
      fail("'" + join(path, key) + "' contains a control character");
      return def;
    }
    return v;
  }

  /// C0 controls, DEL and C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F).
  static bool hasControl(const std::string &s) {
    for (size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c < 0x20 || c == 0x7f)
        return true;
      if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
          static_cast<unsigned char>(s[i + 1]) <= 0x9f)
        return true;
    }
    return false;
  }

  int64_t integer(const json &obj, const std::string &path, const char *key, bool required,
                  int64_t def = 0) {
    const json *j = get(obj, path, key, required);
    if (!j)
      return def;
    if (!j->is_number_integer()) {
      fail("'" + join(path, key) + "' must be an integer");
      return def;
    }
    if (j->is_number_unsigned())
      return static_cast<int64_t>(j->get<uint64_t>());
    return j->get<int64_t>();
  }

  uint64_t unsignedInt(const json &obj, const std::string &path, const char *key, bool required,
                       uint64_t def = 0) {
    const json *j = get(obj, path, key, required);
    if (!j)
      return def;
    if (!j->is_number_integer() || (j->is_number_integer() && !j->is_number_unsigned() &&
                                    j->get<int64_t>() < 0)) {
      fail("'" + join(path, key) + "' must be a non-negative integer");
      return def;
    }
    return j->get<uint64_t>();
  }

  bool boolean(const json &obj, const std::string &path, const char *key, bool required,
               bool def) {
    const json *j = get(obj, path, key, required);
    if (!j)
      return def;
    if (!j->is_boolean()) {
      fail("'" + join(path, key) + "' must be a boolean");
      return def;
    }
    return j->get<bool>();
  }

  std::vector<std::string> strings(const json &obj, const std::string &path, const char *key,
                                   bool required) {
    std::vector<std::string> out;
    const json *a = array(obj, path, key, required);
    if (!a)
      return out;
    for (size_t i = 0; i < a->size(); ++i) {
      if (!(*a)[i].is_string()) {
        fail("'" + join(path, key) + "[" + std::to_string(i) + "]' must be a string");
        return out;
      }
      if (hasControl((*a)[i].get_ref<const std::string &>())) {
        fail("'" + join(path, key) + "[" + std::to_string(i) + "]' contains a control character");
        return out;
      }
      out.push_back((*a)[i].get<std::string>());
    }
    return out;
  }

  // kstack, ksym, strftime: an 8-byte value that btrun turns into text.
  void hostTextField(Field &f, FieldType type, const json &j, const std::string &path,
                     const std::string &name) {
    f.type = type;
    f.size = static_cast<uint32_t>(unsignedInt(j, path, "size", false, 8));
    f.isSigned = false;
    if (!failed() && f.size != 8)
      fail("'" + path + ".size' must be 8 for a " + name);
  }

  Field field(const json &j, const std::string &path, bool withOffset) {
    Field f;
    if (!isObject(j, path))
      return f;
    std::string type = str(j, path, "type", true);
    if (failed())
      return f;
    if (type == "int") {
      f.type = FieldType::Int;
      f.size = static_cast<uint32_t>(unsignedInt(j, path, "size", false, 8));
      f.isSigned = boolean(j, path, "signed", false, true);
      if (f.size != 1 && f.size != 2 && f.size != 4 && f.size != 8)
        fail("'" + path + ".size' must be 1, 2, 4 or 8 for an int");
    } else if (type == "string") {
      f.type = FieldType::String;
      f.size = static_cast<uint32_t>(unsignedInt(j, path, "size", true));
      f.isSigned = false;
    } else if (type == "strftime") {
      hostTextField(f, FieldType::Timestamp, j, path, type);
      f.timeFormat = str(j, path, "format", true, {}, /*text=*/true);
    } else if (type == "ksym") {
      hostTextField(f, FieldType::KernelSymbol, j, path, type);
    } else if (type == "kstack") {
      hostTextField(f, FieldType::KernelStack, j, path, type);
      f.isSigned = true;
      f.stackMap = str(j, path, "stack_map", true);
      std::string mode = str(j, path, "mode", false);
      f.perfMode = mode == "perf";
      if (!failed() && !mode.empty() && mode != "perf" && mode != "bpftrace")
        fail("'" + path + ".mode' has unknown value '" + mode + "' (expected bpftrace or perf)");
    } else {
      fail("'" + path + ".type' has unknown value '" + type +
           "' (expected int, string, kstack, ksym or strftime)");
    }
    if (withOffset)
      f.offset = static_cast<uint32_t>(unsignedInt(j, path, "offset", true));
    return f;
  }
};

std::optional<Aggregation> parseAggregation(const std::string &s) {
  static const std::pair<const char *, Aggregation> table[] = {
      {"none", Aggregation::None}, {"count", Aggregation::Count}, {"sum", Aggregation::Sum},
      {"min", Aggregation::Min},   {"max", Aggregation::Max},     {"avg", Aggregation::Avg},
      {"stats", Aggregation::Stats}, {"hist", Aggregation::Hist}, {"lhist", Aggregation::Lhist}};
  for (auto &[name, a] : table)
    if (s == name)
      return a;
  return std::nullopt;
}

std::optional<EventKind> parseEventKind(const std::string &s) {
  static const std::pair<const char *, EventKind> table[] = {
      {"printf", EventKind::Printf}, {"print_value", EventKind::PrintValue},
      {"print_map", EventKind::PrintMap}, {"clear", EventKind::Clear},
      {"zero", EventKind::Zero},     {"time", EventKind::Time},
      {"exit", EventKind::Exit},     {"helper_error", EventKind::HelperError}};
  for (auto &[name, k] : table)
    if (s == name)
      return k;
  return std::nullopt;
}

void parseTarget(Reader &r, const json &j, const std::string &path, const std::string &type,
                 Target &t) {
  if (!r.isObject(j, path))
    return;
  if (type == "tracepoint") {
    t.category = r.str(j, path, "category", true);
    t.name = r.str(j, path, "name", true);
  } else if (type == "rawtracepoint") {
    t.name = r.str(j, path, "name", true);
  } else if (type == "interval" || type == "profile") {
    if (j.contains("period_ns"))
      t.periodNs = r.unsignedInt(j, path, "period_ns", true);
    if (j.contains("frequency_hz"))
      t.frequencyHz = r.unsignedInt(j, path, "frequency_hz", true);
    if (!r.failed() && !t.periodNs && !t.frequencyHz)
      r.fail("missing required key '" + path + ".period_ns' (or 'frequency_hz')");
    if (!r.failed() && ((t.periodNs && *t.periodNs == 0) || (t.frequencyHz && *t.frequencyHz == 0)))
      r.fail("'" + path + "' has a zero period or frequency");
  } else if (type == "software") {
    t.event = r.str(j, path, "event", true);
    t.config = r.unsignedInt(j, path, "config", true);
    t.count = r.unsignedInt(j, path, "count", true);
    if (!r.failed() && t.count == 0)
      r.fail("'" + path + ".count' must be positive");
  } else if (type == "uprobe" || type == "uretprobe") {
    t.path = r.str(j, path, "path", true);
    t.symbol = r.str(j, path, "symbol", false);
    t.offset = r.unsignedInt(j, path, "offset", false, 0);
  } else if (type == "usdt") {
    t.path = r.str(j, path, "path", true);
    t.provider = r.str(j, path, "provider", false);
    t.name = r.str(j, path, "name", true);
  } else if (type == "kprobe" || type == "kretprobe") {
    t.symbol = r.str(j, path, "symbol", true);
    t.offset = r.unsignedInt(j, path, "offset", false, 0);
  } else if (type == "fentry" || type == "fexit") {
    t.symbol = r.str(j, path, "symbol", true);
  }
  // begin/end: {}; unknown types are reported by host verification, naming the probe.
}

Manifest parseChecked(const json &root, Reader &r) {
  Manifest m;
  if (!root.is_object()) {
    r.fail("the top level must be a JSON object");
    return m;
  }
  // Schema version first: an unknown version must not be reported as a missing key.
  int64_t version = r.integer(root, "", "schema_version", true);
  if (r.failed())
    return m;
  if (version != kSchemaVersion) {
    r.error = Error("unsupported manifest schema_version " + std::to_string(version) +
                    " (this btrun reads version " + std::to_string(kSchemaVersion) + ")");
    return m;
  }
  m.schemaVersion = static_cast<int>(version);
  m.producer = r.str(root, "", "producer", false);

  if (const json *s = r.object(root, "", "source", false)) {
    m.source.name = r.str(*s, "source", "name", false);
    m.source.text = r.str(*s, "source", "text", false, {}, /*text=*/true);
    m.source.sha256 = r.str(*s, "source", "sha256", false);
  }
  if (const json *o = r.object(root, "", "options", false)) {
    m.options.syncStart = r.boolean(*o, "options", "sync_start", false, true);
    m.options.warnings = r.boolean(*o, "options", "warnings", false, true);
    m.options.strlen = r.unsignedInt(*o, "options", "strlen", false, 64);
  }
  if (const json *g = r.object(root, "", "globals", true)) {
    m.globals.mapSection = r.str(*g, "globals", "map_section", false, ".bss");
    m.globals.armedOffset = r.unsignedInt(*g, "globals", "armed_offset", true);
    m.globals.lostOffset = r.unsignedInt(*g, "globals", "lost_offset", true);
    m.globals.startOffset = r.unsignedInt(*g, "globals", "start_offset", true);
    if (r.get(*g, "globals", "child_pid_offset", false))
      m.globals.childPidOffset = r.unsignedInt(*g, "globals", "child_pid_offset", true);
    if (r.get(*g, "globals", "ncpus_offset", false))
      m.globals.ncpusOffset = r.unsignedInt(*g, "globals", "ncpus_offset", true);
    if (r.get(*g, "globals", "param_count_offset", false))
      m.globals.paramCountOffset = r.unsignedInt(*g, "globals", "param_count_offset", true);
    if (const json *ps = r.array(*g, "globals", "params", false)) {
      for (size_t i = 0; i < ps->size() && !r.failed(); ++i) {
        std::string path = "globals.params[" + std::to_string(i) + "]";
        const json &pj = (*ps)[i];
        if (!r.isObject(pj, path))
          break;
        PositionalParam p;
        p.index = static_cast<int>(r.unsignedInt(pj, path, "index", true));
        std::string type = r.str(pj, path, "type", true);
        p.isString = type == "string";
        p.offset = r.unsignedInt(pj, path, "offset", true);
        p.size = static_cast<uint32_t>(p.isString ? r.unsignedInt(pj, path, "size", true) : 8);
        if (!r.failed() && (p.index < 1 || p.index > 1000))
          r.fail("'" + path + ".index' must be from 1 to 1000");
        else if (!r.failed() && type != "int" && type != "string")
          r.fail("'" + path + ".type' has unknown value '" + type + "' (expected int or string)");
        else if (!r.failed() && (p.size == 0 || p.size > 4096))
          r.fail("'" + path + ".size' must be from 1 to 4096");
        m.globals.params.push_back(p);
      }
    }
  }
  m.ringbuf = r.str(root, "", "ringbuf", true);

  if (const json *probes = r.array(root, "", "probes", true)) {
    for (size_t i = 0; i < probes->size() && !r.failed(); ++i) {
      std::string path = "probes[" + std::to_string(i) + "]";
      const json &pj = (*probes)[i];
      if (!r.isObject(pj, path))
        break;
      Probe p;
      p.index = r.unsignedInt(pj, path, "index", false, i);
      p.type = r.str(pj, path, "type", true);
      p.text = r.str(pj, path, "text", false, p.type);
      p.line = static_cast<int>(r.integer(pj, path, "line", false, 0));
      p.col = static_cast<int>(r.integer(pj, path, "col", false, 0));
      if (const json *atts = r.array(pj, path, "attachments", true)) {
        for (size_t k = 0; k < atts->size() && !r.failed(); ++k) {
          std::string apath = path + ".attachments[" + std::to_string(k) + "]";
          const json &aj = (*atts)[k];
          if (!r.isObject(aj, apath))
            break;
          Attachment a;
          a.program = r.str(aj, apath, "program", true);
          a.section = r.str(aj, apath, "section", false);
          a.probe = r.str(aj, apath, "probe", false, p.text);
          bool needsTarget = p.type != "begin" && p.type != "end";
          if (const json *tj = r.get(aj, apath, "target", needsTarget))
            parseTarget(r, *tj, apath + ".target", p.type, a.target);
          p.attachments.push_back(std::move(a));
        }
      }
      m.probes.push_back(std::move(p));
    }
  }
  m.attachOrder = r.strings(root, "", "attach_order", true);

  if (const json *maps = r.array(root, "", "maps", true)) {
    for (size_t i = 0; i < maps->size() && !r.failed(); ++i) {
      std::string path = "maps[" + std::to_string(i) + "]";
      const json &mj = (*maps)[i];
      if (!r.isObject(mj, path))
        break;
      MapInfo mi;
      mi.name = r.str(mj, path, "name", true);
      mi.bpfName = r.str(mj, path, "bpf_name", true);
      mi.bpfType = r.str(mj, path, "bpf_type", true);
      mi.maxEntries = r.unsignedInt(mj, path, "max_entries", false, 0);
      std::string agg = r.str(mj, path, "aggregation", true);
      if (r.failed())
        break;
      auto a = parseAggregation(agg);
      if (!a) {
        r.fail("'" + path + ".aggregation' has unknown value '" + agg + "'");
        break;
      }
      mi.aggregation = *a;
      mi.keyless = r.boolean(mj, path, "keyless", false, false);
      if (const json *kj = r.object(mj, path, "key", true)) {
        mi.key.size = static_cast<uint32_t>(r.unsignedInt(*kj, path + ".key", "size", true));
        if (const json *fj = r.array(*kj, path + ".key", "fields", true))
          for (size_t k = 0; k < fj->size() && !r.failed(); ++k)
            mi.key.fields.push_back(
                r.field((*fj)[k], path + ".key.fields[" + std::to_string(k) + "]", true));
      }
      mi.valueSize = static_cast<uint32_t>(r.unsignedInt(mj, path, "value_size", false, 8));
      if (mi.aggregation == Aggregation::None) {
        if (const json *vj = r.get(mj, path, "value_type", true))
          mi.valueType = r.field(*vj, path + ".value_type", false);
      }
      if (mi.aggregation == Aggregation::Hist || mi.aggregation == Aggregation::Lhist)
        mi.bucketOffset = static_cast<uint32_t>(r.unsignedInt(mj, path, "bucket_offset", true));
      if (mi.aggregation == Aggregation::Lhist) {
        if (const json *lj = r.object(mj, path, "lhist", true)) {
          LhistParams lp;
          lp.min = r.integer(*lj, path + ".lhist", "min", true);
          lp.max = r.integer(*lj, path + ".lhist", "max", true);
          lp.step = r.integer(*lj, path + ".lhist", "step", true);
          if (!r.failed() && (lp.step <= 0 || lp.max <= lp.min))
            r.fail("'" + path + ".lhist' needs step > 0 and max > min");
          mi.lhist = lp;
        }
      }
      m.maps.push_back(std::move(mi));
    }
  }

  if (const json *events = r.array(root, "", "events", true)) {
    for (size_t i = 0; i < events->size() && !r.failed(); ++i) {
      std::string path = "events[" + std::to_string(i) + "]";
      const json &ej = (*events)[i];
      if (!r.isObject(ej, path))
        break;
      Event e;
      e.id = r.unsignedInt(ej, path, "id", false, i);
      if (!r.failed() && e.id != i) {
        r.fail("'" + path + ".id' is " + std::to_string(e.id) + ", expected its index " +
               std::to_string(i));
        break;
      }
      std::string kind = r.str(ej, path, "kind", true);
      if (r.failed())
        break;
      auto k = parseEventKind(kind);
      if (!k) {
        r.fail("'" + path + ".kind' has unknown value '" + kind + "'");
        break;
      }
      e.kind = *k;
      e.line = static_cast<int>(r.integer(ej, path, "line", false, 0));
      e.col = static_cast<int>(r.integer(ej, path, "col", false, 0));
      e.size = static_cast<uint32_t>(r.unsignedInt(ej, path, "size", false, 8));
      switch (e.kind) {
      case EventKind::HelperError:
        e.helper = r.str(ej, path, "helper", true);
        [[fallthrough]];
      case EventKind::Printf:
        if (e.kind == EventKind::Printf)
          e.format = r.str(ej, path, "format", true, {}, /*text=*/true);
        [[fallthrough]];
      case EventKind::PrintValue:
        if (const json *aj = r.array(ej, path, "args", true))
          for (size_t k2 = 0; k2 < aj->size() && !r.failed(); ++k2)
            e.args.push_back(r.field((*aj)[k2], path + ".args[" + std::to_string(k2) + "]", true));
        if (!r.failed() && e.kind != EventKind::Printf && e.args.size() != 1)
          r.fail("'" + path + ".args' of " + kind + " must hold exactly one argument");
        break;
      case EventKind::PrintMap:
        e.top = r.unsignedInt(ej, path, "top", false, 0);
        e.div = r.unsignedInt(ej, path, "div", false, 1);
        if (!r.failed() && e.div == 0)
          r.fail("'" + path + ".div' must not be 0");
        [[fallthrough]];
      case EventKind::Clear:
      case EventKind::Zero:
        e.map = r.str(ej, path, "map", true);
        break;
      case EventKind::Time:
        e.format = r.str(ej, path, "format", false, "%H:%M:%S\n", /*text=*/true);
        break;
      case EventKind::Exit:
        break;
      }
      m.events.push_back(std::move(e));
    }
  }

  if (const json *rq = r.object(root, "", "requirements", false)) {
    m.requirements.probeTypes = r.strings(*rq, "requirements", "probe_types", false);
    m.requirements.tracepoints = r.strings(*rq, "requirements", "tracepoints", false);
    m.requirements.binaries = r.strings(*rq, "requirements", "binaries", false);
    m.requirements.btf = r.boolean(*rq, "requirements", "btf", false, false);
    if (const json *h = r.array(*rq, "requirements", "helpers", false))
      for (auto &x : *h)
        if (x.is_number_integer())
          m.requirements.helpers.push_back(x.get<int>());
  }

  if (const json *in = r.object(root, "", "integrity", true)) {
    m.integrityAlgorithm = r.str(*in, "integrity", "algorithm", true);
    if (!r.failed() && m.integrityAlgorithm != "sha256")
      r.fail("unsupported integrity.algorithm '" + m.integrityAlgorithm + "' (expected sha256)");
    if (const json *secs = r.object(*in, "integrity", "sections", true)) {
      for (auto it = secs->begin(); it != secs->end() && !r.failed(); ++it) {
        if (Reader::hasControl(it.key())) {
          r.fail("'integrity.sections' has a key that contains a control character");
          break;
        }
        if (!it->is_string()) {
          r.fail("'integrity.sections." + it.key() + "' must be a string");
          break;
        }
        m.integritySections[it.key()] = it->get<std::string>();
      }
    }
    m.fileSha256 = r.str(*in, "integrity", "file_sha256", true);
    if (!r.failed() && (m.fileSha256.size() != 64 ||
                        m.fileSha256.find_first_not_of("0123456789abcdef") != std::string::npos))
      r.fail("'integrity.file_sha256' must be 64 lowercase hex digits");
    if (const json *sig = r.object(*in, "integrity", "signature", false)) {
      std::string alg = r.str(*sig, "integrity.signature", "algorithm", true);
      m.signatureHex = r.str(*sig, "integrity.signature", "value", true);
      if (!r.failed() && alg != "ed25519")
        r.fail("unsupported integrity.signature.algorithm '" + alg + "' (expected ed25519)");
      if (!r.failed() && (m.signatureHex.size() != 128 ||
                          m.signatureHex.find_first_not_of("0123456789abcdef") != std::string::npos))
        r.fail("'integrity.signature.value' must be 128 lowercase hex digits");
    }
  }

  // printf formats are checked against their arguments now, not at the first event
  // after everything is attached: formatted once on a zeroed record.
  if (!r.failed()) {
    for (const auto &e : m.events) {
      if (e.kind != EventKind::Printf)
        continue;
      uint64_t need = 8;
      for (const auto &a : e.args)
        need = std::max<uint64_t>(need, uint64_t(a.offset) + a.size);
      if (need > (1u << 20)) {
        r.fail("'events[" + std::to_string(e.id) + "].args' lie beyond 1 MiB");
        break;
      }
      std::vector<uint8_t> record(need, 0);
      auto text = formatPrintf(e.format, e.args, record.data(), record.size());
      if (!text) {
        r.fail("'events[" + std::to_string(e.id) + "]': " + text.error().message());
        break;
      }
    }
  }

  // Cross-checks: names used elsewhere must exist.
  if (!r.failed()) {
    for (const auto &prog : m.attachOrder)
      if (!m.findProgram(prog).second) {
        r.fail("attach_order names program '" + prog + "' that no probe has");
        break;
      }
  }
  if (!r.failed()) {
    for (const auto &e : m.events)
      if ((e.kind == EventKind::PrintMap || e.kind == EventKind::Clear ||
           e.kind == EventKind::Zero) &&
          !m.findMap(e.map)) {
        r.fail("events[" + std::to_string(e.id) + "] names unknown map '" + e.map + "'");
        break;
      }
  }
  return m;
}

} // namespace

std::pair<const Probe *, const Attachment *> Manifest::findProgram(const std::string &program) const {
  for (const auto &p : probes)
    for (const auto &a : p.attachments)
      if (a.program == program)
        return {&p, &a};
  return {nullptr, nullptr};
}

bool Manifest::usesKernelSymbols() const {
  auto isStack = [](const Field &f) {
    return f.type == FieldType::KernelStack || f.type == FieldType::KernelSymbol;
  };
  for (const MapInfo &mi : maps)
    if (std::any_of(mi.key.fields.begin(), mi.key.fields.end(), isStack))
      return true;
  for (const Event &e : events)
    if (std::any_of(e.args.begin(), e.args.end(), isStack))
      return true;
  return false;
}

bool Manifest::sendsOnlyExit() const {
  return std::all_of(events.begin(), events.end(),
                     [](const Event &e) { return e.kind == EventKind::Exit; });
}

const MapInfo *Manifest::findMap(const std::string &name) const {
  for (const auto &m : maps)
    if (m.name == name)
      return &m;
  for (const auto &m : maps)
    if (m.bpfName == name)
      return &m;
  return nullptr;
}

size_t Manifest::attachPointCount() const {
  size_t n = 0;
  for (const auto &p : probes)
    n += p.attachments.size();
  return n;
}

const char *aggregationName(Aggregation a) {
  switch (a) {
  case Aggregation::None: return "none";
  case Aggregation::Count: return "count";
  case Aggregation::Sum: return "sum";
  case Aggregation::Min: return "min";
  case Aggregation::Max: return "max";
  case Aggregation::Avg: return "avg";
  case Aggregation::Stats: return "stats";
  case Aggregation::Hist: return "hist";
  case Aggregation::Lhist: return "lhist";
  }
  return "?";
}

Result<Manifest> parseManifest(std::string_view text) {
  try {
    json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded())
      return Error("invalid manifest: not valid JSON");
    Reader r;
    Manifest m = parseChecked(root, r);
    if (r.error)
      return std::move(*r.error);
    return m;
  } catch (const std::exception &e) {
    return Error(std::string("invalid manifest: ") + e.what());
  }
}

} // namespace bt::rt
