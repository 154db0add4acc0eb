// bpf-match-ended-test: which match of a fentry:bpf attachment btrun targets when some
// or all of the matched programs ended between finding them and loading the object
// (bt::rt::openFirstRunningMatch), under each missing_probes mode. The programs are a
// fixed list, and "opening" one that ended fails with ENOENT as bpf_prog_get_fd_by_id
// does. One line per case on stdout: the fd it opened (100 + the program's id), -1 when
// every match ended, or the error, then the matches that remain; warnings go to stderr.
// test/lit/basic/bpf-match-ended.test checks them.
#include "BpfMatches.h"

#include <cerrno>
#include <iostream>
#include <set>

namespace {

using namespace bt::rt;

void run(const char *name, MissingProbes missing, const std::set<uint32_t> &ended) {
  ProbeSpec probe;
  probe.type = ProbeType::Fentry;
  AttachmentSpec att;
  att.probe = "fentry:bpf:*:handle_*";
  BpfAttachmentMatches m{&probe, &att, {{123, "handle_exec", 3}, {45, "handle_exec", 4},
                                        {45, "handle_exit", 5}}};
  auto open = [&](uint32_t id) {
    if (ended.count(id)) {
      errno = ENOENT;
      return -1;
    }
    return static_cast<int>(100 + id);
  };
  std::cerr << name << ":\n";
  auto fd = openFirstRunningMatch(m, missing, open);
  std::cout << name << ": ";
  if (fd)
    std::cout << "fd " << *fd;
  else
    std::cout << "error " << fd.error().message();
  std::cout << " ->";
  for (const BpfFunction &f : m.functions)
    std::cout << " " << f.progId << ":" << f.name;
  std::cout << "\n";
}

} // namespace

int main() {
  run("none-ended", MissingProbes::Error, {});
  run("first-ended-error", MissingProbes::Error, {123});
  run("first-ended-warn", MissingProbes::Warn, {123});
  run("all-ended-warn", MissingProbes::Warn, {123, 45});
  run("all-ended-ignore", MissingProbes::Ignore, {123, 45});
  return 0;
}
