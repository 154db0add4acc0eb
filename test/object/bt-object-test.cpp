// bt-object-test: lib/Object's manifest, checked from the structs.
//   round-trip          a manifest that sets every field survives JSON and text both ways
//   print               that manifest, pretty-printed: the fixture docs/OBJECT.md follows
//   doc-check FILE      every key the structs write and every enum value is in FILE
//   read FILE           readManifest of FILE's text: "ok" or the error line
//   section-keys N:I..  integrity.sections keys of sections named N at index I
#include "bt/Object/Integrity.h"
#include "bt/Object/Json.h"

#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>

using namespace bt::obj;
using json = bt::obj::Json;

namespace {

const ProbeType kProbeTypes[] = {
    ProbeType::Begin,     ProbeType::End,    ProbeType::Tracepoint, ProbeType::RawTracepoint,
    ProbeType::Interval,  ProbeType::Profile, ProbeType::Software,  ProbeType::Uprobe,
    ProbeType::Uretprobe, ProbeType::Usdt,   ProbeType::Kprobe,     ProbeType::Kretprobe,
    ProbeType::Fentry,    ProbeType::Fexit,  ProbeType::TpBtf,      ProbeType::Hardware,
    ProbeType::Watchpoint, ProbeType::AsyncWatchpoint, ProbeType::Iter, ProbeType::Self,
    ProbeType::Test,      ProbeType::Bench};
const Aggregation kAggregations[] = {Aggregation::None, Aggregation::Count, Aggregation::Sum,
                                     Aggregation::Min,  Aggregation::Max,   Aggregation::Avg,
                                     Aggregation::Stats, Aggregation::Hist, Aggregation::Lhist};
const MapType kMapTypes[] = {MapType::Hash, MapType::PercpuHash, MapType::PercpuArray,
                             MapType::StackTrace, MapType::Ringbuf};
const EventKind kEventKinds[] = {EventKind::Printf, EventKind::PrintValue, EventKind::PrintMap,
                                 EventKind::Clear,  EventKind::Zero,       EventKind::Time,
                                 EventKind::Exit,   EventKind::HelperError, EventKind::Join,
                                 EventKind::Cat,    EventKind::System,      EventKind::Errorf,
                                 EventKind::Warnf,  EventKind::SkbOutput,
                                 EventKind::WatchpointAttach, EventKind::WatchpointDetach};
const FieldType kFieldTypes[] = {FieldType::Int, FieldType::String, FieldType::KernelStack,
                                 FieldType::KernelSymbol, FieldType::Timestamp,
                                 FieldType::Tuple, FieldType::Record, FieldType::Array};

// The target a probe of `type` reads back: only the fields its type has.
AttachTarget targetFor(ProbeType type) {
  AttachTarget t;
  switch (type) {
  case ProbeType::Begin: case ProbeType::End: break;
  case ProbeType::Tracepoint: t.category = "syscalls"; t.name = "sys_enter_read"; break;
  case ProbeType::RawTracepoint: case ProbeType::TpBtf: t.name = "sched_switch"; break;
  case ProbeType::Interval: t.periodNs = 1000000; break;
  case ProbeType::Profile: t.frequencyHz = 99; break;
  case ProbeType::Software: t.event = "page-faults"; t.config = 2; t.count = 100; break;
  case ProbeType::Uprobe: case ProbeType::Uretprobe:
    t.path = "/bin/bash"; t.symbol = "readline"; t.offset = 16;
    if (type == ProbeType::Uprobe)
      t.buildId = "0123456789abcdef";
    break;
  case ProbeType::Usdt: t.path = "/usr/bin/python3"; t.provider = "python"; t.name = "gc__start"; break;
  case ProbeType::Kprobe: t.module = "ext4"; t.symbol = "ext4_file_open"; t.offset = 4; break;
  case ProbeType::Kretprobe: t.address = 0xffffffff81000000ull; break; // the address form
  case ProbeType::Fentry: case ProbeType::Fexit: t.symbol = "vfs_write"; break;
  case ProbeType::Hardware: t.event = "cache-misses"; t.config = 3; t.count = 1000; break;
  case ProbeType::Watchpoint: t.address = 0x10000000; t.length = 8; t.mode = "rw"; break;
  case ProbeType::AsyncWatchpoint: // the function-argument form
    t.symbol = "increment"; t.argument = 1; t.armProgram = "bt_p17_0_arm"; t.length = 4;
    t.mode = "w"; t.matchProbe.emplace("asyncwatchpoint:", ":4:w"); break;
  case ProbeType::Iter: t.name = "task"; break;
  case ProbeType::Self: t.name = "SIGUSR1"; break;
  case ProbeType::Test: case ProbeType::Bench: t.name = "label"; break;
  }
  return t;
}

// A manifest that sets every field of every struct to a value other than its default,
// with every probe type, aggregation, map type, event kind and field type.
Manifest fullManifest() {
  Manifest m;
  m.producer = "btc 9.9.9";
  m.source = {"all.bt", "BEGIN { }\n", std::string(64, 'a'), {}};
  m.options.syncStart = false;
  m.options.warnings = false;
  m.options.helperErrors = true;
  m.options.strlen = 128;
  m.options.run.printMapsOnExit = false;
  m.options.run.maxCatBytes = 5;
  m.options.run.cppDemangle = false;
  m.options.run.perfRbPages = 16;
  m.options.run.logSize = 4096;
  m.options.run.maxProbes = 3;
  m.globals.mapSection = ".data";
  m.globals.armedOffset = 8;
  m.globals.lostOffset = 16;
  m.globals.startOffset = 24;
  m.globals.paramCountOffset = 32;
  m.globals.childPidOffset = 40;
  m.globals.ncpusOffset = 120;
  m.globals.params = {{1, ParamType::Int, 48, 8}, {2, ParamType::String, 56, 64}};
  m.ringbuf = "bt_events";
  m.skbOutput = "bt_skb_output";
  uint64_t index = 0;
  for (ProbeType type : kProbeTypes) {
    ProbeSpec p;
    p.index = index;
    p.type = type;
    p.text = std::string(toString(type)) + ":x";
    p.line = 10 + int(index);
    p.col = 3;
    std::string program = "bt_p" + std::to_string(index) + "_0";
    p.attachments.push_back({program, std::string("sec/") + toString(type),
                             std::string(toString(type)) + ":y", targetFor(type), std::nullopt, {},
                             std::nullopt});
    if (type == ProbeType::Tracepoint)
      p.attachments.back().fields = {{"filename", 24, 8, false, 9, 30}, {"ret", 16, 8, true, 0, 0}};
    if (!runsInBtrun(type))
      m.attachOrder.push_back(program);
    if (type == ProbeType::Tracepoint) // served by a raw_syscalls dispatcher
      p.attachments.back().dispatch = AttachmentSpec::Dispatch{"bt_sys_enter_0", 257};
    m.requirements.probeTypes.push_back(type);
    m.probes.push_back(p);
    ++index;
  }
  m.dispatchers.push_back({"bt_sys_enter", "raw_tp/sys_enter", "sys_enter"});
  Field i32 = Field::integer(false, 0);
  i32.size = 4;
  std::vector<Field> keyFields = {
      i32,
      Field::string(16, 8),
      Field::kernelStack("bt_kstack_3", StackMode::Perf, 24),
      Field::kernelSymbol(32),
      Field::timestamp("%H:%M", 40)};
  for (size_t i = 0; i < std::size(kAggregations); ++i) {
    Aggregation agg = kAggregations[i];
    MapSpec map;
    map.name = std::string("@") + toString(agg);
    map.bpfName = toString(agg);
    map.bpfType = kMapTypes[i % std::size(kMapTypes)];
    map.maxEntries = 4096 + i;
    map.aggregation = agg;
    map.keyless = i % 2 == 1;
    map.key.size = 48;
    map.key.fields = keyFields;
    map.valueSize = 16;
    if (agg == Aggregation::None)
      map.valueType = Field::string(32);
    if (map.hasBuckets())
      map.bucketOffset = 48;
    if (agg == Aggregation::Lhist)
      map.lhist = LhistParams{-10, 100, 5};
    if (!map.keyless)
      map.dropsOffset = 24 + 8 * i;
    m.maps.push_back(map);
  }
  for (size_t i = 0; i < std::size(kEventKinds); ++i) {
    EventSpec e;
    e.id = i;
    e.kind = kEventKinds[i];
    e.size = 8 + 8 * uint32_t(i);
    e.line = 20 + int(i);
    e.col = 5;
    switch (e.kind) {
    case EventKind::Printf:
    case EventKind::Cat:
    case EventKind::System:
      e.format = "%d %s %s %s %s\n";
      e.args = keyFields;
      for (Field &a : e.args)
        a.offset += 8;
      break;
    case EventKind::Errorf:
    case EventKind::Warnf:
      e.format = "%s\n";
      e.endCol = 30;
      e.args = {Field::string(16, 8)};
      break;
    case EventKind::PrintValue: {
      Field a = Field::integer(true, 0), d = Field::array(2, Field::integer(false), 4);
      a.size = d.elements[0].size = 4;
      d.size = 8;
      a.name = "a";
      d.name = "d";
      e.args = {Field::tuple(40, {Field::integer(true, 0), Field::string(16, 8),
                                  Field::record(12, {a, d}, 24)}, 8)};
      break;
    }
    case EventKind::HelperError:
      e.helper = "map_update_elem";
      e.lineText = "\t@m[1] = 1;";
      e.args = {Field::integer(true, 8)};
      break;
    case EventKind::PrintMap: e.map = "@count"; e.top = 3; e.div = 10; break;
    case EventKind::Clear: e.map = "@sum"; break;
    case EventKind::Zero: e.map = "hist"; break;
    case EventKind::Time: e.format = "%Y\n"; break;
    case EventKind::Exit: break;
    case EventKind::Join:
      e.separator = ",";
      e.args = {Field::string(16, 8), Field::string(16, 24)};
      break;
    case EventKind::SkbOutput:
      e.size = 24;
      e.pcapPath = "out.pcap";
      e.pcapOffset = 14;
      break;
    case EventKind::WatchpointAttach:
    case EventKind::WatchpointDetach:
      e.args = {Field::integer(false, 8)};
      if (e.kind == EventKind::WatchpointAttach) { // a match armed apart: its row too
        e.program = "bt_p17_0";
        e.args.push_back(Field::integer(false, 16));
        e.size = 24;
      }
      break;
    }
    m.events.push_back(e);
  }
  m.require(Feature::SymbolicValues);
  m.require(Feature::StackFrameCounts);
  m.require(Feature::WatchMatchNames);
  m.watchMatchNames = WatchMatchNames{"bt_watch_matches", 416};
  m.checks = Checks{"passed", 1, 14, std::string(64, 'b')};
  m.requirements.tracepoints = {"syscalls/sys_enter_read"};
  m.requirements.binaries = {"/bin/bash"};
  m.requirements.btf = true;
  m.requirements.helpers = {1, 2, 130};
  m.targets = {{"host", "", "x86_64", "6.18.44"}, {"description", "fleet.json", "aarch64", ""}};
  m.integrity.sections = {{".text", std::string(64, 'c')}, {"license#7", std::string(64, 'd')}};
  m.integrity.fileSha256 = std::string(64, 'e');
  m.integrity.signatureHex = std::string(128, 'f');
  return m;
}

int roundTrip() {
  Manifest m = fullManifest();
  int failures = 0;
  auto check = [&](bool ok, const std::string &what) {
    std::cout << what << ": " << (ok ? "ok" : "FAILED") << "\n";
    failures += !ok;
  };
  json j = m;
  check(j.get<Manifest>() == m, "fromJson(toJson(m)) == m");
  ManifestOrError read = readManifest(writeManifest(m));
  check(read.manifest && *read.manifest == m, "readManifest(writeManifest(m)) == m");
  if (!read.manifest)
    std::cout << "  " << read.error << "\n";
  check(json(j.get<Manifest>()) == j, "toJson(fromJson(toJson(m))) == toJson(m)");
  // Equality sees each part: a manifest that differs in one leaf is not equal.
  Manifest changed = m;
  changed.events.back().col += 1;
  check(!(changed == m), "a changed field makes manifests differ");
  changed = m;
  changed.probes[2].attachments[0].target.name += "x";
  check(!(changed == m), "a changed target makes manifests differ");
  changed = m;
  changed.dispatchers.back().rawTracepoint = "sys_exit";
  check(!(changed == m), "a changed dispatcher makes manifests differ");
  return failures ? 1 : 0;
}

// Every key of an object in `j`, at any depth, except the keys of maps whose keys are
// data (integrity.sections).
void collectKeys(const json &j, std::set<std::string> &keys, bool dataKeys = false) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!dataKeys)
        keys.insert(it.key());
      collectKeys(*it, keys, it.key() == "sections");
    }
  } else if (j.is_array()) {
    for (const json &e : j)
      collectKeys(e, keys);
  }
}

int docCheck(const std::string &path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "bt-object-test: cannot read " << path << "\n";
    return 2;
  }
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::set<std::string> keys;
  collectKeys(json(fullManifest()), keys);
  int missing = 0;
  for (const std::string &k : keys)
    if (!std::regex_search(doc, std::regex("(^|[^A-Za-z0-9_])" + k + "([^A-Za-z0-9_]|$)"))) {
      std::cout << "docs miss key '" << k << "'\n";
      ++missing;
    }
  auto value = [&](const char *v) {
    if (doc.find(std::string("`") + v + "`") == std::string::npos) {
      std::cout << "docs miss value `" << v << "`\n";
      ++missing;
    }
  };
  for (auto v : kProbeTypes) value(toString(v));
  for (auto v : kAggregations) value(toString(v));
  for (auto v : kMapTypes) value(toString(v));
  for (auto v : kEventKinds) value(toString(v));
  for (auto v : kFieldTypes) value(toString(v));
  value(toString(Feature::StackFrameCounts));
  value(toString(Feature::SymbolicValues));
  value(toString(StackMode::Bpftrace));
  value(toString(StackMode::Perf));
  value(toString(StackMode::Raw));
  value(toString(StackMode::BuildId));
  std::cout << keys.size() << " keys checked, " << missing << " missing\n";
  return missing ? 1 : 0;
}

int readFile(const std::string &path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ManifestOrError read = readManifest(text);
  std::cout << (read.manifest ? "ok" : read.error) << "\n";
  return read.manifest ? 0 : 1;
}

int sectionKeys(int argc, char **argv) {
  std::vector<SectionName> sections;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    size_t colon = a.rfind(':');
    sections.push_back({std::stoul(a.substr(colon + 1)), a.substr(0, colon)});
  }
  std::vector<std::string> keys = sectionDigestKeys(sections);
  for (size_t i = 0; i < keys.size(); ++i)
    std::cout << sections[i].name << " -> " << (keys[i].empty() ? "(not digested)" : keys[i]) << "\n";
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "round-trip")
    return roundTrip();
  if (cmd == "print") {
    std::cout << json(fullManifest()).dump(2) << "\n";
    return 0;
  }
  if (cmd == "doc-check" && argc == 3)
    return docCheck(argv[2]);
  if (cmd == "read" && argc == 3)
    return readFile(argv[2]);
  if (cmd == "section-keys")
    return sectionKeys(argc, argv);
  std::cerr << "usage: bt-object-test round-trip | print | doc-check FILE | read FILE | "
               "section-keys NAME:INDEX...\n";
  return 2;
}
