// Attaching a program that serves every attachment of its probe (each with its cookie,
// docs/OBJECT.md): one multi link where the loader set the program's expected attach
// type (the host has the link type), one perf-event link per attachment otherwise.
#include "bt/Runtime/Attach.h"
#include "MultiLink.h"
#include "BinaryFiles.h"

#include <bpf/libbpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bt::rt {

Status Attachments::attachShared(const BpfObject &obj, const ProbeSpec &probe,
                                 const std::string &program, MissingProbes missing) {
  bpf_program *prog = obj.program(program);
  if (!prog)
    return Error(probe.text + ": program '" + program + "' is not in the object");
  const bool uprobe = probe.type == ProbeType::Uprobe || probe.type == ProbeType::Uretprobe;
  const bool retprobe = probe.type == ProbeType::Uretprobe || probe.type == ProbeType::Kretprobe;
  // A function the binary lacks is left out alone under missing_probes = warn|ignore,
  // as bpftrace leaves out each attach point it cannot attach.
  std::vector<const AttachmentSpec *> atts;
  std::vector<uint64_t> offsets, cookies;
  for (const AttachmentSpec &a : probe.attachments) {
    if (a.program != program)
      continue;
    if (uprobe) {
      if (!binaries_)
        binaries_ = std::make_shared<BinaryFiles>();
      auto offset = binaries_->symbols.fileOffset(a.target.path, a.target.symbol, a.target.offset,
                                               retprobe);
      if (!offset) {
        Status why = Error(a.probe + ": " + offset.error().message());
        if (!leaveOut(missing, why, 1))
          return why;
        continue;
      }
      offsets.push_back(*offset);
    }
    atts.push_back(&a);
    cookies.push_back(a.cookie.value_or(0));
  }
  if (atts.empty())
    return {};
  const int type = bpf_program__expected_attach_type(prog);
  if (type == kTraceUprobeMulti || type == kTraceKprobeMulti) {
    Result<int> link = Error("");
    if (uprobe) {
      link = createUprobeMultiLink(bpf_program__fd(prog), atts[0]->target.path, offsets, cookies,
                                   retprobe, pid_);
    } else {
      std::vector<std::string> symbols;
      for (const AttachmentSpec *a : atts)
        symbols.push_back(a->target.symbol);
      link = createKprobeMultiLink(bpf_program__fd(prog), symbols, cookies, retprobe);
    }
    if (!link)
      return Error(probe.text + ": " + link.error().message());
    linkFds_.push_back(*link);
    return {};
  }
  for (size_t i = 0; i < atts.size(); ++i) {
    bpf_link *link = nullptr;
    if (uprobe) {
      LIBBPF_OPTS(bpf_uprobe_opts, opts);
      opts.retprobe = retprobe;
      opts.bpf_cookie = cookies[i];
      link = bpf_program__attach_uprobe_opts(prog, pid_, atts[i]->target.path.c_str(), offsets[i],
                                             &opts);
    } else {
      LIBBPF_OPTS(bpf_kprobe_opts, opts);
      opts.retprobe = retprobe;
      opts.bpf_cookie = cookies[i];
      opts.offset = atts[i]->target.offset;
      link = bpf_program__attach_kprobe_opts(prog, atts[i]->target.symbol.c_str(), &opts);
    }
    if (!link)
      return Error(atts[i]->probe + ": cannot attach " + std::string(toString(probe.type)) + ": " +
                   std::strerror(errno));
    links_.push_back(link);
  }
  return {};
}

} // namespace bt::rt
