// fentry:bpf / fexit:bpf over the running BPF programs. Each attachment's program is
// loaded with the object for its first match; for every further match btrun loads a copy
// with bpf_prog_load: libbpf 1.1 gives a program one attach target, and after the load
// bpf_program__insns() are the instructions the kernel verified (CO-RE relocated, map fds
// in place, subprograms appended), so a copy needs no second pass over the object and
// shares every map with it. Each match's `probe`/`func` texts are a row of the names
// table, at the cookie its link carries.
#include "BpfMatches.h"
#include "ProgramFuncInfo.h"

#include "bt/Runtime/Attach.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace bt::rt {

namespace {

std::string matchProbe(const ProbeSpec &p, const BpfFunction &f) {
  return std::string(toString(p.type)) + ":bpf:" + std::to_string(f.progId) + ":" + f.name;
}

// The names table's row for one match: the probe's text, then the function's.
std::vector<char> namesRow(const obj::BpfMatchNames &names, const std::string &probe,
                           const std::string &func) {
  std::vector<char> row(names.probeSize + names.funcSize, '\0');
  std::memcpy(row.data(), probe.data(), probe.size());
  std::memcpy(row.data() + names.probeSize, func.data(), func.size());
  return row;
}

// The func_info of the loaded program `fd` and its BTF's fd, so that a copy carries the
// same description of its functions (the kernel wants one for global subprograms).
struct FuncInfo {
  int btfFd = -1;
  std::vector<bpf_func_info> records;
  FuncInfo() = default;
  FuncInfo(const FuncInfo &) = delete;
  FuncInfo &operator=(const FuncInfo &) = delete;
  ~FuncInfo() {
    if (btfFd >= 0)
      ::close(btfFd);
  }
};

void readFuncInfo(int fd, FuncInfo &out) {
  ProgramFuncInfo info = programFuncInfo(fd);
  if (info.records.empty())
    return;
  out.btfFd = bpf_btf_get_fd_by_id(info.btfId);
  if (out.btfFd >= 0)
    out.records = std::move(info.records);
}

} // namespace

Result<std::vector<BpfAttachmentMatches>> findBpfMatches(const Manifest &manifest) {
  std::vector<BpfAttachmentMatches> all;
  for (const auto &p : manifest.probes)
    for (const auto &a : p.attachments) {
      if (!a.target.onBpfProgram)
        continue;
      auto found = findBpfFunctions(a.target.symbol, a.target.bpfProgramId);
      if (!found)
        return Error(a.probe + ": " + found.error().message());
      if (manifest.bpfMatchNames)
        for (const BpfFunction &f : *found)
          if (f.name.size() >= manifest.bpfMatchNames->funcSize ||
              matchProbe(p, f).size() >= manifest.bpfMatchNames->probeSize)
            return Error(a.probe + ": the name of function '" + f.name + "' of BPF program " +
                         std::to_string(f.progId) + " is longer than `func` holds (" +
                         std::to_string(manifest.bpfMatchNames->funcSize - 1) + " bytes)");
      all.push_back({&p, &a, std::move(*found)});
    }
  return all;
}

// missing_probes = warn|ignore: a match that cannot be attached is left out (warn says
// so), as upstream leaves out a probe it cannot attach; false for missing_probes = error.
namespace {
bool leaveOutMatch(MissingProbes missing, const std::string &why) {
  if (missing == MissingProbes::Error)
    return false;
  if (missing == MissingProbes::Warn)
    std::fprintf(stderr, "btrun: warning: %s: left out (missing_probes = warn)\n", why.c_str());
  return true;
}
} // namespace

Result<int> openFirstRunningMatch(BpfAttachmentMatches &m, MissingProbes missing,
                                  const std::function<int(uint32_t)> &openProgram) {
  while (!m.functions.empty()) {
    int fd = openProgram(m.functions.front().progId);
    if (fd >= 0)
      return fd;
    int err = errno;
    const BpfFunction &f = m.functions.front();
    std::string why = matchProbe(*m.probe, f) + ": BPF program " + std::to_string(f.progId) +
                      " ended: " + std::strerror(err);
    if (!leaveOutMatch(missing, why))
      return Error(why);
    m.functions.erase(m.functions.begin());
  }
  return -1;
}

Result<std::vector<int>> targetFirstMatches(const BpfObject &obj, const Manifest &manifest,
                                            std::vector<BpfAttachmentMatches> &all) {
  std::vector<int> fds;
  auto fail = [&](const std::string &why) {
    for (int fd : fds)
      ::close(fd);
    return Error(why);
  };
  size_t rows = 0;
  for (BpfAttachmentMatches &m : all) {
    auto opened = openFirstRunningMatch(m, manifest.options.missingProbes,
                                        [](uint32_t id) { return bpf_prog_get_fd_by_id(id); });
    if (!opened)
      return fail(opened.error().message());
    int fd = *opened;
    // Every match ended: the program has no target to load against, so it is not
    // loaded, and attaching leaves its probe out (attachBpfMatches).
    if (fd < 0) {
      bpf_program__set_autoload(obj.program(m.attachment->program), false);
      continue;
    }
    const BpfFunction &first = m.functions.front();
    std::string prog = "BPF program " + std::to_string(first.progId);
    fds.push_back(fd);
    if (bpf_program__set_attach_target(obj.program(m.attachment->program), fd,
                                       first.name.c_str()) != 0)
      return fail(m.attachment->probe + ": cannot attach to " + prog + ": " + std::strerror(errno));
    rows += m.functions.size();
  }
  all.erase(std::remove_if(all.begin(), all.end(),
                           [](const BpfAttachmentMatches &m) { return m.functions.empty(); }),
            all.end());
  if (const auto &names = manifest.bpfMatchNames) {
    bpf_map *map = obj.map(names->map);
    if (!map)
      return fail("names table '" + names->map + "' (bpf_match_names) is not in the object");
    // btrun writes its rows at u32 keys (a match's cookie).
    if (bpf_map__key_size(map) != sizeof(uint32_t))
      return fail("names table '" + names->map + "' has " +
                  std::to_string(bpf_map__key_size(map)) + "-byte keys, not the 4 of a cookie");
    if (bpf_map__value_size(map) != names->probeSize + names->funcSize)
      return fail("names table '" + names->map + "' has " +
                  std::to_string(bpf_map__value_size(map)) + "-byte values, not the " +
                  std::to_string(names->probeSize + names->funcSize) + " bpf_match_names says");
    bpf_map__set_max_entries(map, static_cast<uint32_t>(std::max<size_t>(rows, 1)));
  }
  return fds;
}

Status loadBpfMatchCopies(BpfObject &obj, const Manifest &manifest,
                          const std::vector<BpfAttachmentMatches> &all) {
  const auto &names = manifest.bpfMatchNames;
  int namesFd = names ? bpf_map__fd(obj.map(names->map)) : -1;
  uint64_t cookie = 0;
  for (const BpfAttachmentMatches &m : all) {
    bpf_program *prog = obj.program(m.attachment->program);
    FuncInfo funcInfo;
    readFuncInfo(bpf_program__fd(prog), funcInfo);
    for (size_t i = 0; i < m.functions.size(); ++i, ++cookie) {
      const BpfFunction &f = m.functions[i];
      BpfMatch match{m.attachment->program, -1, cookie, matchProbe(*m.probe, f)};
      if (i > 0) {
        int target = bpf_prog_get_fd_by_id(f.progId);
        if (target < 0) {
          int err = errno;
          std::string why = match.probe + ": BPF program " + std::to_string(f.progId) +
                            " ended: " + std::strerror(err);
          if (!leaveOutMatch(manifest.options.missingProbes, why))
            return Error(why);
          continue;
        }
        LIBBPF_OPTS(bpf_prog_load_opts, opts);
        opts.expected_attach_type = bpf_program__expected_attach_type(prog);
        opts.attach_prog_fd = static_cast<uint32_t>(target);
        opts.attach_btf_id = f.btfId;
        opts.prog_flags = bpf_program__flags(prog);
        if (!funcInfo.records.empty()) {
          opts.prog_btf_fd = static_cast<uint32_t>(funcInfo.btfFd);
          opts.func_info = funcInfo.records.data();
          opts.func_info_cnt = static_cast<uint32_t>(funcInfo.records.size());
          opts.func_info_rec_size = sizeof(bpf_func_info);
        }
        match.progFd = bpf_prog_load(bpf_program__type(prog), bpf_program__name(prog), "GPL",
                                     bpf_program__insns(prog), bpf_program__insn_cnt(prog), &opts);
        int err = errno;
        ::close(target);
        if (match.progFd < 0) {
          std::string why = match.probe + ": the kernel refused the copy of program '" +
                            m.attachment->program + "' for it: " + std::strerror(err);
          // missing_probes = warn|ignore: this match is left out, the others run.
          if (!leaveOutMatch(manifest.options.missingProbes, why))
            return Error(why);
          continue;
        }
      }
      if (names) {
        std::vector<char> row = namesRow(*names, match.probe, f.name);
        uint32_t key = static_cast<uint32_t>(cookie);
        if (bpf_map_update_elem(namesFd, &key, row.data(), BPF_ANY) != 0) {
          int err = errno;
          if (match.progFd >= 0)
            ::close(match.progFd);
          return Error(match.probe + ": cannot write its `probe` and `func` into '" +
                       names->map + "': " + std::strerror(err));
        }
      }
      obj.addBpfMatch(std::move(match));
    }
  }
  return {};
}

Status Attachments::attachBpfMatches(const BpfObject &obj, const Manifest &manifest,
                                     const std::string &program) {
  bpf_program *prog = obj.program(program);
  bpf_attach_type type = bpf_program__expected_attach_type(prog);
  bool first = true;
  size_t before = linkFds_.size();
  size_t extraBefore = extraBpfMatches_;
  for (const BpfMatch &m : obj.bpfMatches()) {
    if (m.program != program)
      continue;
    int fd = m.progFd >= 0 ? m.progFd : bpf_program__fd(prog);
    // Only a program that reads its texts needs the cookie, which tracing links take
    // since Linux 5.19; without one the older attach serves every kernel with fentry.
    int link;
    if (manifest.bpfMatchNames) {
      LIBBPF_OPTS(bpf_link_create_opts, opts);
      opts.tracing.cookie = m.cookie;
      link = bpf_link_create(fd, 0, type, &opts);
    } else {
      link = bpf_raw_tracepoint_open(nullptr, fd);
    }
    // All of the probe's matches or none: under missing_probes=warn the run goes on
    // without this probe, so the matches attached before the failed one are detached.
    if (link < 0) {
      int err = errno;
      for (size_t i = before; i < linkFds_.size(); ++i)
        ::close(linkFds_[i]);
      linkFds_.resize(before);
      extraBpfMatches_ = extraBefore;
      return Error(m.probe + ": cannot attach " + (type == BPF_TRACE_FEXIT ? "fexit" : "fentry") +
                   ": " + std::strerror(err));
    }
    linkFds_.push_back(link);
    if (!first)
      ++extraBpfMatches_;
    first = false;
  }
  // Every match ended before the load (targetFirstMatches): nothing of the probe runs.
  if (first) {
    const AttachmentSpec *att = manifest.findProgram(program).second;
    return Error((att ? att->probe : "program '" + program + "'") +
                 ": every BPF program it matched has ended");
  }
  return {};
}

} // namespace bt::rt
