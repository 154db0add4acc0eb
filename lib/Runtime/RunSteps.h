// The steps a trace run (Runner.cpp) and a test or bench run (TestMode.cpp) share.
#ifndef BT_RUNTIME_RUNSTEPS_H
#define BT_RUNTIME_RUNSTEPS_H

#include "bt/Runtime/EventLoop.h"
#include "bt/Runtime/Loader.h"
#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/ObjectReader.h"
#include "bt/Runtime/Result.h"
#include "bt/Runtime/Runner.h"
#include "ProcessBinaries.h"

#include <memory>
#include <string>
#include <vector>

namespace bt::rt {

struct Loaded {
  LoadedObject file;
  std::unique_ptr<BpfObject> bpf;
};

/// Read + verify the object and the host, keep the probes `mode` runs, load.
/// `run`: btrun's options for the run-time settings, which win over the manifest's.
/// `process`: the traced process, whose binaries findProcessBinaries finds (into
/// `binaries`) before the load, which sizes the table of a watchpoint pattern's matches.
Result<Loaded> prepare(const std::string &path, bool verbose, const TrustPolicy &trust,
                       const RunSettingOverrides &run = {}, RunMode mode = RunMode::Trace,
                       const TracedProcessFiles *process = nullptr,
                       BinaryFiles *binaries = nullptr);

/// Takes out of `manifest` the probes a run in `mode` leaves out (TestMode.cpp), with
/// what only they needed of the host: the loader then leaves their programs unloaded.
void selectRunMode(Manifest &manifest, RunMode mode);

/// Every attachment of the probes of `type`, in the manifest's order.
std::vector<const AttachmentSpec *> programsOfType(const Manifest &m, ProbeType type);

/// Runs the programs of every probe of `type` (BEGIN, END, self) once, in order.
Status runSpecial(const BpfObject &bpf, const Manifest &m, ProbeType type);

/// What a loaded run holds: the runtime globals, disarmed, with the positional and named
/// parameters of `opt`, and the loop that reads what the programs send.
struct RunState {
  std::unique_ptr<Globals64> globals;
  std::unique_ptr<EventLoop> loop;
};

/// Refuses an unsafe function without --unsafe, then sets up the globals and the loop.
Result<RunState> startRun(const RunOptions &opt, const Manifest &m, BpfObject &bpf, Output &out);

} // namespace bt::rt

#endif
