// Private to lib/Target: tracepoint formats read from a kernel's BTF, for a host
// whose tracefs cannot be read (an unprivileged user, a container). BTF has one
// `struct trace_event_raw_<class>` per event class and nothing that names an
// event's category, so categories are taken as written and only names are checked
// (btrun checks the rest on the host it runs on).
#pragma once

#include "bt/Target/Target.h"

#include <map>
#include <memory>
#include <optional>

struct btf;

namespace bt::target {

class BtfFormats {
public:
  // Parses `path` (vmlinux BTF) of a kernel for `arch`; the error says why it cannot.
  static OrError<std::unique_ptr<BtfFormats>> open(const std::string &path, const Arch &arch);
  ~BtfFormats();

  // The fields of tracepoint category:name past `struct trace_entry`, or why
  // there are none ("... not found", "cannot tell ...").
  OrError<TracepointFormat> format(const std::string &category, const std::string &name) const;

  const std::string &path() const { return path_; }

private:
  BtfFormats(std::string path, const Arch &arch, struct btf *btf)
      : path_(std::move(path)), arch_(arch), btf_(btf) {}
  OrError<std::vector<TracepointField>> classFields(int structId) const;
  TracepointFormat syscallFormat(const std::string &name) const;
  std::vector<int> prototypeKey(int typeId) const;
  std::string spelling(int typeId) const;
  std::string declaration(int typeId, const std::string &name) const;
  bool isSigned(int typeId) const;
  int classBound(int event) const;

  std::string path_;
  const Arch &arch_;
  struct btf *btf_;
  // Event classes by the parameter types of trace_event_raw_event_<class>, built
  // the first time an event has no class of its own name.
  mutable std::optional<std::map<std::vector<int>, std::vector<std::string>>> classesByProto_;
  // btf_trace_<event> typedef id -> trace_event_raw_<event> id, for events with a
  // class of their own name.
  mutable std::optional<std::map<int, int>> anchors_;
};

} // namespace bt::target
