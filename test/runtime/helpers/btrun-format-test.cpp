// btrun-format-test: prints what btrun would print for maps and records described in
// JSON, through lib/Runtime's pure formatting functions. Input (stdin), one of:
//   {"map": <manifest map entry>, "ncpus": N, "format": "text" (default), "json" or
//    "prometheus" (with "max_series": the cap), "strlen" and "str_trunc_trailer" (options),
//    "entries": [{"key": [values of the key fields], "bucket": B,
//                 "value": <per-CPU values: [v, ...] for count/sum/hist/none,
//                           [[value, isset], ...] for min/max, [[total, count], ...]
//                           for avg/stats; a string for a string value>}]}
//    (a key field's value: a number, a string, or an array of the field's bytes)
//   {"printf": "<format>", "args": [{"type": "int", "value": -1, "signed": true},
//                                    {"type": "string", "value": "abc", "size": 16}]}
//   {"value": {"type": "int", ...}}  (print_value)
#include "bt/Runtime/Format.h"
#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/MapPrinter.h"
#include "bt/Runtime/Metrics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <iterator>

using nlohmann::json;
using namespace bt::rt;

namespace {

void put64(std::vector<uint8_t> &buf, size_t off, uint64_t v) {
  if (buf.size() < off + 8)
    buf.resize(off + 8);
  std::memcpy(buf.data() + off, &v, 8);
}

void putField(std::vector<uint8_t> &buf, const Field &f, const json &v) {
  if (buf.size() < f.offset + f.size)
    buf.resize(f.offset + f.size);
  if (f.type == FieldType::String) {
    std::string s = v.get<std::string>();
    std::memcpy(buf.data() + f.offset, s.data(), std::min<size_t>(s.size(), f.size));
  } else if (v.is_array()) { // the field's bytes (an inet value: family, then address)
    for (size_t i = 0; i < v.size() && i < f.size; ++i)
      buf[f.offset + i] = v[i].get<uint8_t>();
  } else {
    uint64_t x = v.is_number_unsigned() ? v.get<uint64_t>() : static_cast<uint64_t>(v.get<int64_t>());
    std::memcpy(buf.data() + f.offset, &x, std::min<size_t>(f.size, 8));
  }
}

int doMap(const json &in) {
  json wrapped = {{"schema_version", 1}, {"globals", {{"armed_offset", 0}, {"lost_offset", 8}, {"start_offset", 16}}},
                  {"ringbuf", "r"}, {"probes", json::array()}, {"attach_order", json::array()},
                  {"maps", json::array({in["map"]})}, {"events", json::array()},
                  {"integrity", {{"algorithm", "sha256"}, {"sections", json::object()},
                                 {"file_sha256", std::string(64, '0')}}}};
  // The manifest's strlen and str_trunc_trailer, when the input gives them.
  if (in.contains("str_trunc_trailer"))
    wrapped["options"] = {{"strlen", in.value("strlen", uint64_t(64))},
                          {"str_trunc_trailer", in["str_trunc_trailer"]}};
  auto m = parseManifest(wrapped.dump());
  if (!m) {
    std::cerr << "btrun-format-test: " << m.error().message() << "\n";
    return 1;
  }
  const MapSpec &map = m->maps.front();
  unsigned ncpus = in.value("ncpus", 1u);
  unsigned copies = map.perCpu() ? ncpus : 1;
  uint32_t stride = valueStride(map);
  std::vector<RawEntry> entries;
  for (const auto &e : in["entries"]) {
    RawEntry r;
    r.key.resize(map.key.size);
    if (e.contains("key"))
      for (size_t i = 0; i < map.key.fields.size(); ++i)
        putField(r.key, map.key.fields[i], e["key"][i]);
    if (map.aggregation == Aggregation::Hist || map.aggregation == Aggregation::Lhist) {
      r.key.resize(map.bucketOffset);
      put64(r.key, map.bucketOffset, e["bucket"].get<uint64_t>());
    }
    r.value.assign(static_cast<size_t>(stride) * copies, 0);
    const json &v = e["value"];
    if (v.is_string() || (v.is_number() && map.aggregation == Aggregation::None)) {
      Field f = *map.valueType;
      f.offset = 0;
      putField(r.value, f, v);
    } else {
      for (size_t c = 0; c < v.size() && c < copies; ++c) {
        if (v[c].is_array()) {
          put64(r.value, c * stride, static_cast<uint64_t>(v[c][0].get<int64_t>()));
          put64(r.value, c * stride + 8, static_cast<uint64_t>(v[c][1].get<int64_t>()));
        } else {
          put64(r.value, c * stride, static_cast<uint64_t>(v[c].get<int64_t>()));
        }
      }
    }
    r.value.resize(static_cast<size_t>(stride) * copies);
    entries.push_back(std::move(r));
  }
  if (in.value("format", "text") == "prometheus") {
    MetricsLimits limits;
    limits.maxSeries = in.value("max_series", limits.maxSeries);
    std::cout << formatPrometheus({{&map, entries}}, ncpus, *m, RunnerStats{}, limits);
    return 0;
  }
  // The manifest's settings, as btrun prints an object's maps.
  FormatContext ctx = FormatContext::of(*m);
  std::cout << (in.value("format", "text") == "json" ? formatMapJson(map, entries, ncpus, ctx)
                                                     : formatMap(map, entries, ncpus, ctx));
  return 0;
}

std::vector<uint8_t> record(const json &args, std::vector<Field> &fields) {
  std::vector<uint8_t> buf(8, 0);
  uint32_t off = 8;
  for (const auto &a : args) {
    Field f;
    if (a["type"] == "string") {
      f.type = FieldType::String;
      f.size = a.value("size", 16u);
    } else {
      f.type = FieldType::Int;
      f.size = 8;
      f.isSigned = a.value("signed", true);
    }
    f.offset = off;
    off += (f.size + 7) / 8 * 8;
    putField(buf, f, a["value"]);
    fields.push_back(f);
  }
  buf.resize(off);
  return buf;
}

} // namespace

int main() {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  json in = json::parse(text, nullptr, false);
  if (in.is_discarded()) {
    std::cerr << "btrun-format-test: input is not JSON\n";
    return 2;
  }
  if (in.contains("map"))
    return doMap(in);
  if (in.contains("printf")) {
    std::vector<Field> fields;
    auto rec = record(in["args"], fields);
    auto parsed = parsePrintfEvent(in["printf"].get<std::string>(), fields);
    if (!parsed) {
      std::cerr << "btrun-format-test: " << parsed.error().message() << "\n";
      return 1;
    }
    // The manifest's strlen and str_trunc_trailer, when the input gives them.
    FormatContext ctx{in.value("strlen", uint64_t(0)), in.value("str_trunc_trailer", std::string())};
    auto out = formatPrintf(*parsed, fields, rec.data(), rec.size(), ctx);
    if (!out) {
      std::cerr << "btrun-format-test: " << out.error().message() << "\n";
      return 1;
    }
    std::cout << *out;
    return 0;
  }
  if (in.contains("value")) {
    std::vector<Field> fields;
    auto rec = record(json::array({in["value"]}), fields);
    std::cout << formatValue(fields.front(), rec.data(), FormatContext{});
    return 0;
  }
  std::cerr << "btrun-format-test: expected \"map\", \"printf\" or \"value\"\n";
  return 2;
}
