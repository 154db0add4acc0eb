// The manifest's probes in JSON (docs/OBJECT.md): each probe type's attach target, and
// a probe's attachments with the tracepoint fields they read. Json.cpp holds the rest.
#include "bt/Object/Json.h"

#include "JsonRead.h"

#include <algorithm>

namespace bt::obj {

using namespace json_read;

// -------------------------------------------------------------------------- probes

Json targetToJson(ProbeType type, const AttachTarget &t) {
  switch (type) {
  case ProbeType::Begin:
  case ProbeType::End:
    return Json::object();
  case ProbeType::Self:
    return {{"signal", t.name}};
  case ProbeType::Test:
  case ProbeType::Bench:
    return {{"name", t.name}};
  case ProbeType::Tracepoint:
    return {{"category", t.category}, {"name", t.name}};
  case ProbeType::RawTracepoint:
  case ProbeType::TpBtf:
    return {{"name", t.name}};
  case ProbeType::Interval:
  case ProbeType::Profile: {
    Json j = Json::object();
    if (t.periodNs)
      j["period_ns"] = *t.periodNs;
    if (t.frequencyHz)
      j["frequency_hz"] = *t.frequencyHz;
    return j;
  }
  case ProbeType::Software:
  case ProbeType::Hardware:
    return {{"event", t.event}, {"config", t.config}, {"count", t.count}};
  case ProbeType::Watchpoint:
  case ProbeType::AsyncWatchpoint:
    if (t.argument) {
      Json j = {{"function", t.symbol}, {"argument", *t.argument}, {"length", t.length},
                {"mode", t.mode},       {"arm_program", t.armProgram}};
      if (t.matchProbe)
        j["match_probe"] = {{"before", t.matchProbe->first}, {"after", t.matchProbe->second}};
      return j;
    }
    return {{"address", t.address.value_or(0)}, {"length", t.length}, {"mode", t.mode}};
  case ProbeType::Iter:
    if (!t.pin.empty())
      return {{"name", t.name}, {"pin", t.pin}};
    return {{"name", t.name}};
  case ProbeType::Uprobe:
  case ProbeType::Uretprobe: {
    Json j = {{"path", t.path}, {"symbol", t.symbol}, {"offset", t.offset}};
    if (!t.buildId.empty())
      j["build_id"] = t.buildId;
    return j;
  }
  case ProbeType::Usdt:
    return {{"path", t.path}, {"provider", t.provider}, {"name", t.name}};
  case ProbeType::Kprobe:
  case ProbeType::Kretprobe:
    if (t.address)
      return {{"address", *t.address}};
    if (!t.module.empty())
      return {{"module", t.module}, {"symbol", t.symbol}, {"offset", t.offset}};
    return {{"symbol", t.symbol}, {"offset", t.offset}};
  case ProbeType::Fentry:
  case ProbeType::Fexit:
    if (t.onBpfProgram) {
      Json j = {{"bpf_function", t.symbol}};
      if (t.bpfProgramId)
        j["bpf_program_id"] = *t.bpfProgramId;
      return j;
    }
    if (!t.module.empty())
      return {{"module", t.module}, {"symbol", t.symbol}};
    return {{"symbol", t.symbol}};
  }
  return Json::object();
}

AttachTarget targetFromJson(ProbeType type, const Json &j) {
  requireObject(j);
  AttachTarget t;
  switch (type) {
  case ProbeType::Begin:
  case ProbeType::End:
    break;
  case ProbeType::Self:
    t.name = str(j, "signal", true);
    break;
  case ProbeType::Test:
  case ProbeType::Bench:
    t.name = str(j, "name", true);
    break;
  case ProbeType::Tracepoint:
    t.category = str(j, "category", true);
    t.name = str(j, "name", true);
    break;
  case ProbeType::RawTracepoint:
  case ProbeType::TpBtf:
    t.name = str(j, "name", true);
    break;
  case ProbeType::Interval:
  case ProbeType::Profile:
    if (has(j, "period_ns"))
      t.periodNs = unsignedInt(j, "period_ns", true);
    if (has(j, "frequency_hz"))
      t.frequencyHz = unsignedInt(j, "frequency_hz", true);
    if (!t.periodNs && !t.frequencyHz)
      throw SchemaError("missing required key '", "period_ns", "' (or 'frequency_hz')");
    if ((t.periodNs && *t.periodNs == 0) || (t.frequencyHz && *t.frequencyHz == 0))
      fail("", "has a zero period or frequency");
    break;
  case ProbeType::Software:
  case ProbeType::Hardware:
    t.event = str(j, "event", true);
    t.config = unsignedInt(j, "config", true);
    t.count = unsignedInt(j, "count", true);
    if (t.count == 0)
      fail("count", "must be positive");
    break;
  case ProbeType::Watchpoint:
  case ProbeType::AsyncWatchpoint:
    // On an address, or on what a function's argument holds when the function runs.
    if (has(j, "function")) {
      t.symbol = str(j, "function", true);
      t.argument = unsignedInt(j, "argument", true);
      t.armProgram = str(j, "arm_program", true);
      if (t.symbol.empty())
        fail("function", "must not be empty");
      if (t.armProgram.empty())
        fail("arm_program", "must not be empty");
      if (const Json *around = find(j, "match_probe", false))
        within("match_probe", [&] {
          requireObject(*around);
          t.matchProbe.emplace(str(*around, "before", true), str(*around, "after", true));
        });
    } else {
      t.address = unsignedInt(j, "address", true);
      if (*t.address == 0)
        fail("address", "must not be zero");
    }
    t.length = unsignedInt(j, "length", true);
    t.mode = str(j, "mode", true);
    if (t.length != 1 && t.length != 2 && t.length != 4 && t.length != 8)
      fail("length", "must be 1, 2, 4 or 8");
    if (t.mode.empty() || t.mode.find_first_not_of("rwx") != std::string::npos)
      fail("mode", "must be a combination of r, w and x");
    break;
  case ProbeType::Iter:
    t.name = str(j, "name", true);
    t.pin = str(j, "pin", false);
    break;
  case ProbeType::Uprobe:
  case ProbeType::Uretprobe:
    t.path = str(j, "path", true);
    t.symbol = str(j, "symbol", false);
    t.offset = unsignedInt(j, "offset", false, 0);
    t.buildId = str(j, "build_id", false);
    if (t.buildId.find_first_not_of("0123456789abcdef") != std::string::npos)
      fail("build_id", "must be lower-case hex");
    break;
  case ProbeType::Usdt:
    t.path = str(j, "path", true);
    t.provider = str(j, "provider", false);
    t.name = str(j, "name", true);
    break;
  case ProbeType::Kprobe:
  case ProbeType::Kretprobe:
    if (has(j, "address")) {
      t.address = unsignedInt(j, "address", true);
      break;
    }
    t.symbol = str(j, "symbol", true);
    t.offset = unsignedInt(j, "offset", false, 0);
    t.module = str(j, "module", false);
    break;
  case ProbeType::Fentry:
  case ProbeType::Fexit:
    t.onBpfProgram = has(j, "bpf_function");
    t.symbol = str(j, t.onBpfProgram ? "bpf_function" : "symbol", true);
    if (t.onBpfProgram && has(j, "bpf_program_id"))
      t.bpfProgramId = unsignedInt(j, "bpf_program_id", true);
    if (t.onBpfProgram && t.symbol.empty())
      fail("bpf_function", "must not be empty");
    if (!t.onBpfProgram)
      t.module = str(j, "module", false);
    break;
  }
  return t;
}

void to_json(Json &j, const ProbeSpec &v) {
  Json atts = Json::array();
  for (const AttachmentSpec &a : v.attachments) {
    atts.push_back({{"program", a.program},
                    {"section", a.section},
                    {"probe", a.probe},
                    {"target", targetToJson(v.type, a.target)}});
    if (a.dispatch)
      atts.back()["dispatch"] = {{"map", a.dispatch->map}, {"key", a.dispatch->key}};
    if (a.cookie)
      atts.back()["cookie"] = *a.cookie;
    if (!a.fields.empty()) {
      Json fields = Json::array();
      for (const TracepointFieldRead &f : a.fields)
        fields.push_back({{"name", f.name},
                          {"offset", f.offset},
                          {"size", f.size},
                          {"signed", f.isSigned},
                          {"line", f.line},
                          {"col", f.col}});
      for (size_t i = 0; i < a.fields.size(); ++i)
        if (a.fields[i].file)
          fields[i]["file"] = a.fields[i].file;
      atts.back()["fields"] = fields;
    }
  }
  j = {{"index", v.index},
       {"text", v.text},
       {"type", toString(v.type)},
       {"line", v.line},
       {"col", v.col},
       {"attachments", atts}};
  if (v.file)
    j["file"] = v.file;
}

void from_json(const Json &j, ProbeSpec &v) {
  requireObject(j);
  v.index = unsignedInt(j, "index", false, v.index);
  std::string type = str(j, "type", true);
  v.type = enumValue<ProbeType>("type", type);
  v.text = str(j, "text", false, type);
  v.line = static_cast<int>(integer(j, "line", false, 0));
  v.col = static_cast<int>(integer(j, "col", false, 0));
  v.file = static_cast<int>(unsignedInt(j, "file", false, 0));
  bool needsTarget = v.type != ProbeType::Begin && v.type != ProbeType::End;
  v.attachments = elements<AttachmentSpec>(j, "attachments", true, [&](const Json &aj, size_t) {
    requireObject(aj);
    AttachmentSpec a;
    a.program = str(aj, "program", true);
    a.section = str(aj, "section", false);
    a.probe = str(aj, "probe", false, v.text);
    if (const Json *tj = find(aj, "target", needsTarget))
      a.target = within("target", [&] { return targetFromJson(v.type, *tj); });
    if (const Json *dj = find(aj, "dispatch", false))
      a.dispatch = within("dispatch", [&] {
        requireObject(*dj);
        return AttachmentSpec::Dispatch{str(*dj, "map", true), unsignedInt(*dj, "key", true)};
      });
    if (find(aj, "cookie", false))
      a.cookie = unsignedInt(aj, "cookie", true);
    a.fields = elements<TracepointFieldRead>(aj, "fields", false, [](const Json &fj, size_t) {
      requireObject(fj);
      TracepointFieldRead f;
      f.name = str(fj, "name", true);
      f.offset = static_cast<uint32_t>(unsignedInt(fj, "offset", true));
      f.size = static_cast<uint32_t>(unsignedInt(fj, "size", true));
      f.isSigned = boolean(fj, "signed", false, false);
      f.line = static_cast<int>(integer(fj, "line", false));
      f.col = static_cast<int>(integer(fj, "col", false));
      f.file = static_cast<int>(unsignedInt(fj, "file", false, 0));
      return f;
    });
    return a;
  });
}

} // namespace bt::obj
