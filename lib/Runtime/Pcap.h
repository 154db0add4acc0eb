// skboutput()'s packets: records from the bt_skb_output perf event array, written to
// pcap files (lib/Lower/Skboutput.cpp lays the records out).
#pragma once

#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/Loader.h"
#include "bt/Runtime/Result.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct perf_buffer;

namespace bt::rt {

// A pcap file (the classic format, microsecond times, link type RAW: the packets
// start at their IP header) as upstream bpftrace writes it for skboutput().
class PcapFile {
public:
  static Result<std::unique_ptr<PcapFile>> create(const std::string &path);
  ~PcapFile();
  PcapFile(const PcapFile &) = delete;
  PcapFile &operator=(const PcapFile &) = delete;
  // One packet at `realNs` (nanoseconds since the epoch).
  Status write(uint64_t realNs, const uint8_t *data, uint32_t size);
  Status flush();

private:
  PcapFile(std::string path, std::FILE *file) : path_(std::move(path)), file_(file) {}
  std::string path_;
  std::FILE *file_;
};

// The perf buffers of bt_skb_output and the pcap file of each skb_output event.
// Created before anything attaches, so a file that cannot be written stops btrun
// with nothing attached.
class SkbOutputChannel {
public:
  static Result<std::unique_ptr<SkbOutputChannel>> open(const BpfObject &obj, const Manifest &m);
  ~SkbOutputChannel();
  SkbOutputChannel(const SkbOutputChannel &) = delete;
  SkbOutputChannel &operator=(const SkbOutputChannel &) = delete;
  // Writes every record already in the buffers, then flushes the files.
  Status consume();
  // Records the kernel dropped because a buffer was full.
  uint64_t lost() const { return lost_; }

private:
  explicit SkbOutputChannel(const Manifest &m);
  static void onSample(void *ctx, int cpu, void *data, uint32_t size);
  static void onLost(void *ctx, int cpu, unsigned long long count);
  Status write(const uint8_t *data, uint32_t size);

  const Manifest &m_;
  perf_buffer *pb_ = nullptr;
  std::map<std::string, std::unique_ptr<PcapFile>> files_; // by path
  std::vector<PcapFile *> fileOfEvent_;                     // by event id
  int64_t bootToRealNs_ = 0; // CLOCK_REALTIME - CLOCK_BOOTTIME
  uint64_t lost_ = 0;
  std::optional<Error> error_;
};

} // namespace bt::rt
