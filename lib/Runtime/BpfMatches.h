// fentry:bpf / fexit:bpf over the running BPF programs: the matches of each such
// attachment, the object's program for the first, a copy of it for each other.
#ifndef BT_RUNTIME_BPFMATCHES_H
#define BT_RUNTIME_BPFMATCHES_H

#include "bt/Runtime/BpfPrograms.h"
#include "bt/Runtime/Loader.h"
#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/Result.h"

#include <functional>
#include <string>
#include <vector>

namespace bt::rt {

/// The matches of one fentry:bpf attachment, found before the object loads.
struct BpfAttachmentMatches {
  const ProbeSpec *probe;
  const AttachmentSpec *attachment;
  std::vector<BpfFunction> functions; // never empty
};

/// The matches of every fentry:bpf attachment of `manifest`, or why one has none or
/// its `probe`/`func` texts do not fit the names table.
Result<std::vector<BpfAttachmentMatches>> findBpfMatches(const Manifest &manifest);

/// The fd of the first of `m`'s matches whose program still runs (`openProgram` gives a
/// program's fd by id, or -1 with errno). One whose program ended is an error under
/// missing_probes = error; under warn|ignore it is dropped from `m` (warn says so), and
/// -1 with `m` left without matches when every one ended.
Result<int> openFirstRunningMatch(BpfAttachmentMatches &m, MissingProbes missing,
                                  const std::function<int(uint32_t)> &openProgram);

/// Before the load: the object's program of each attachment targets its first match,
/// and the names table gets a row per match. Returns the targets' fds, which the caller
/// closes after the load (the kernel takes its references then). A match whose program
/// ended since it was found is left out under missing_probes = warn|ignore (the next
/// becomes the first), an error otherwise; an attachment whose every match ended is
/// dropped from `all` and its program not loaded.
Result<std::vector<int>> targetFirstMatches(const BpfObject &obj, const Manifest &manifest,
                                            std::vector<BpfAttachmentMatches> &all);

/// After the load: a copy of the program for every further match, and the names
/// table's rows. The copies belong to `obj` (closed with it).
Status loadBpfMatchCopies(BpfObject &obj, const Manifest &manifest,
                          const std::vector<BpfAttachmentMatches> &all);

} // namespace bt::rt

#endif
