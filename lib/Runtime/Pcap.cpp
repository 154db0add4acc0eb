// skboutput()'s pcap files. The classic pcap format is two fixed little structs, so
// btrun writes it itself rather than link libpcap, whose capture machinery btrun has
// no use for (btrun-static stays small). Record layout: lib/Lower/Skboutput.cpp.
#include "Pcap.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace bt::rt {

namespace {

constexpr uint32_t kPcapMagic = 0xa1b2c3d4; // microsecond timestamps, the writer's order
constexpr uint16_t kPcapMajor = 2, kPcapMinor = 4;
constexpr uint32_t kSnapLength = 65535;
constexpr uint32_t kLinkTypeRaw = 101; // LINKTYPE_RAW: the packet starts at its IP header
// Per CPU unless perf_rb_pages says otherwise: bpftrace's default BPFTRACE_PERF_RB_PAGES.
constexpr size_t kPerfPagesPerCpu = 64;
constexpr uint32_t kRecordHeader = 24;  // event id, boot-clock ns, captured length

struct FileHeader {
  uint32_t magic;
  uint16_t major, minor;
  int32_t zone;
  uint32_t sigfigs, snapLength, linkType;
};
struct PacketHeader {
  uint32_t seconds, micros, capturedLength, length;
};

int64_t clockNs(clockid_t clock) {
  struct timespec ts;
  ::clock_gettime(clock, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

} // namespace

Result<std::unique_ptr<PcapFile>> PcapFile::create(const std::string &path) {
  std::FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return Error("skboutput: cannot create pcap file '" + path + "': " + std::strerror(errno));
  std::unique_ptr<PcapFile> file(new PcapFile(path, f));
  FileHeader h{kPcapMagic, kPcapMajor, kPcapMinor, 0, 0, kSnapLength, kLinkTypeRaw};
  if (std::fwrite(&h, sizeof h, 1, f) != 1 || std::fflush(f) != 0)
    return Error("skboutput: cannot write pcap file '" + path + "': " + std::strerror(errno));
  return file;
}

PcapFile::~PcapFile() { std::fclose(file_); }

Status PcapFile::write(uint64_t realNs, const uint8_t *data, uint32_t size) {
  PacketHeader h{static_cast<uint32_t>(realNs / 1000000000),
                 static_cast<uint32_t>(realNs % 1000000000 / 1000), size, size};
  if (std::fwrite(&h, sizeof h, 1, file_) != 1 ||
      (size && std::fwrite(data, size, 1, file_) != 1))
    return Error("skboutput: cannot write pcap file '" + path_ + "': " + std::strerror(errno));
  return {};
}

Status PcapFile::flush() {
  if (std::fflush(file_) != 0)
    return Error("skboutput: cannot write pcap file '" + path_ + "': " + std::strerror(errno));
  return {};
}

SkbOutputChannel::SkbOutputChannel(const Manifest &m)
    : m_(m), bootToRealNs_(clockNs(CLOCK_REALTIME) - clockNs(CLOCK_BOOTTIME)) {}

SkbOutputChannel::~SkbOutputChannel() {
  if (pb_)
    perf_buffer__free(pb_);
}

Result<std::unique_ptr<SkbOutputChannel>> SkbOutputChannel::open(const BpfObject &obj,
                                                                 const Manifest &m) {
  bpf_map *map = obj.map(m.skbOutput);
  if (!map)
    return Error("skboutput map '" + m.skbOutput + "' is not in the object");
  std::unique_ptr<SkbOutputChannel> ch(new SkbOutputChannel(m));
  ch->fileOfEvent_.assign(m.events.size(), nullptr);
  for (const EventSpec &e : m.events) {
    if (e.kind != EventKind::SkbOutput)
      continue;
    auto &file = ch->files_[e.pcapPath];
    if (!file) {
      auto created = PcapFile::create(e.pcapPath);
      if (!created)
        return std::move(created).error();
      file = std::move(*created);
    }
    ch->fileOfEvent_[e.id] = file.get();
  }
  ch->pb_ = perf_buffer__new(bpf_map__fd(map), m.options.run.perfRbPages.value_or(kPerfPagesPerCpu),
                             &SkbOutputChannel::onSample, &SkbOutputChannel::onLost, ch.get(),
                             nullptr);
  if (!ch->pb_)
    return Error("cannot open the perf buffers of skboutput map '" + m.skbOutput +
                 "': " + std::strerror(errno));
  return ch;
}

void SkbOutputChannel::onSample(void *ctx, int, void *data, uint32_t size) {
  auto *self = static_cast<SkbOutputChannel *>(ctx);
  if (self->error_)
    return;
  if (auto st = self->write(static_cast<const uint8_t *>(data), size); !st)
    self->error_ = std::move(st).error();
}

void SkbOutputChannel::onLost(void *ctx, int, unsigned long long count) {
  static_cast<SkbOutputChannel *>(ctx)->lost_ += count;
}

Status SkbOutputChannel::write(const uint8_t *data, uint32_t size) {
  if (size < kRecordHeader)
    return Error("skboutput: a record of " + std::to_string(size) + " bytes has no header");
  uint64_t id, bootNs, length;
  std::memcpy(&id, data, 8);
  std::memcpy(&bootNs, data + 8, 8);
  std::memcpy(&length, data + 16, 8);
  if (id >= fileOfEvent_.size() || !fileOfEvent_[id])
    return Error("skboutput: a record names event " + std::to_string(id) +
                 ", which is not an skboutput()");
  // The sample is padded to 8 bytes: the length in the header says where the packet ends.
  if (length > size - kRecordHeader)
    return Error("skboutput: a record of " + std::to_string(size) + " bytes claims " +
                 std::to_string(length) + " packet bytes");
  // As upstream: the first `offset` bytes are left out, and nothing is left without data.
  uint64_t offset = m_.events[id].pcapOffset;
  if (offset >= length)
    return {};
  return fileOfEvent_[id]->write(static_cast<uint64_t>(int64_t(bootNs) + bootToRealNs_),
                                 data + kRecordHeader + offset,
                                 static_cast<uint32_t>(length - offset));
}

Status SkbOutputChannel::consume() {
  int n = perf_buffer__consume(pb_);
  if (error_) {
    Error e = std::move(*error_);
    error_.reset();
    return e;
  }
  if (n < 0 && n != -EINTR)
    return Error("skboutput: reading the perf buffers failed: " + std::string(std::strerror(-n)));
  for (auto &[path, file] : files_)
    if (auto st = file->flush(); !st)
      return st;
  return {};
}

} // namespace bt::rt
