// See ProcessBinaries.h.
#include "ProcessBinaries.h"

#include "bt/Basic/Glob.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <sstream>

namespace bt::rt {

namespace {

std::string readLink(const std::string &path) {
  char buf[PATH_MAX];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

// The files process `pid` maps executable, its executable first, each once, as paths
// btrun can open: through /proc/PID/root when the process sees another mount namespace.
std::vector<std::string> mappedFiles(int pid) {
  std::string proc = "/proc/" + std::to_string(pid);
  bool ownMounts = readLink("/proc/self/ns/mnt") == readLink(proc + "/ns/mnt");
  std::string root = ownMounts ? "" : proc + "/root";
  std::vector<std::string> files;
  std::string exe = readLink(proc + "/exe");
  // A deleted or unreadable executable is still the process's own through its link.
  files.push_back(exe.empty() || exe.find(" (deleted)") != std::string::npos ? proc + "/exe"
                                                                             : root + exe);
  std::ifstream maps(proc + "/maps");
  for (std::string line; std::getline(maps, line);) {
    // "start-end perms offset dev inode   path": a file mapped executable.
    std::istringstream fields(line);
    std::string range, perms, offset, dev, inode, path;
    fields >> range >> perms >> offset >> dev >> inode;
    std::getline(fields >> std::ws, path);
    if (perms.find('x') == std::string::npos || path.empty() || path[0] != '/' ||
        path.find(" (deleted)") != std::string::npos || path == exe)
      continue;
    if (std::find(files.begin(), files.end(), root + path) == files.end())
      files.push_back(root + path);
  }
  return files;
}

// The attach point of one match of a watchpoint on a pattern's functions, for btrun's
// messages: `watchpoint:incr*+arg0:4:w` on incr_one is `watchpoint:incr_one+arg0:4:w`.
std::string watchedFunctionProbe(const std::string &probe, const std::string &pattern,
                                 const std::string &match) {
  size_t at = probe.find(pattern + "+");
  if (at == std::string::npos)
    return probe;
  return probe.substr(0, at) + match + probe.substr(at + pattern.size());
}

bool onProcess(const ProbeSpec &p, const AttachmentSpec &a) {
  return a.target.path.empty() &&
         (p.type == ProbeType::Uprobe || p.type == ProbeType::Uretprobe ||
          p.type == ProbeType::Usdt || a.target.argument);
}

} // namespace

Status findProcessBinaries(Manifest &m, const TracedProcessFiles &process,
                           BinaryFiles &binaries) {
  std::vector<std::string> files;
  uint64_t matchRows = 0; // the matches armed apart, numbered (WatchMatches.h)
  for (ProbeSpec &p : m.probes) {
    std::vector<AttachmentSpec> filled;
    for (AttachmentSpec &a : p.attachments) {
      if (!onProcess(p, a)) {
        filled.push_back(std::move(a));
        continue;
      }
      // A watchpoint needs the process anyway: attaching says so, in its words.
      if (!process.pid && process.commandProgram.empty() && a.target.argument) {
        filled.push_back(std::move(a));
        continue;
      }
      if (!process.pid && process.commandProgram.empty())
        return Error((a.probe.empty() ? p.text : a.probe) + ": the probe names no binary, " +
                     "so it is on the binary of the process btrun traces: give -p PID or " +
                     "-c CMD");
      if (files.empty())
        files = process.pid ? mappedFiles(*process.pid)
                            : std::vector<std::string>{process.commandProgram};
      AttachTarget &t = a.target;
      if (p.type == ProbeType::Usdt) {
        size_t before = filled.size();
        for (const std::string &file : files)
          if (binaries.usdt.has(file, t.provider, t.name)) {
            filled.push_back(a);
            filled.back().target.path = file;
          }
        if (filled.size() == before) { // attaching says what the executable lacks
          filled.push_back(std::move(a));
          filled.back().target.path = files.front();
        }
        continue;
      }
      t.path = files.front();
      // A watchpoint on a pattern's functions (`watchpoint:incr*+arg0:4:w`): one each in
      // the executable, as bpftrace 0.17 expands it; where the probe reads `probe`, each
      // armed apart with its own row.
      if (a.target.argument && hasGlob(t.symbol)) {
        std::vector<std::string> matches = binaries.symbols.functionsMatching(t.path, t.symbol);
        if (matches.empty())
          return Error(a.probe + ": no function of " + t.path + " matches '" + t.symbol + "'");
        for (const std::string &match : matches) {
          filled.push_back(a);
          filled.back().target.symbol = match;
          if (a.target.matchProbe)
            filled.back().target.matchRow = matchRows++;
          filled.back().probe = watchedFunctionProbe(a.probe, t.symbol, match);
        }
        continue;
      }
      // An address is the executable's, as upstream reads it.
      if (!t.symbol.empty())
        for (const std::string &file : files)
          if (binaries.symbols.fileOffset(file, t.symbol)) {
            t.path = file;
            break;
          }
      filled.push_back(std::move(a));
    }
    p.attachments = std::move(filled);
  }
  return {};
}

std::vector<std::string> tracedBinaryNames(const Manifest &m, const TracedProcessFiles &process) {
  std::string proc = process.pid ? "/proc/" + std::to_string(*process.pid) : "";
  std::vector<std::string> names;
  for (const obj::TracedBinaryNameSlot &slot : m.globals.tracedBinaryNames) {
    std::string file = process.pid ? proc + "/exe" : process.commandProgram;
    if (!slot.attachment.empty()) {
      for (const ProbeSpec &p : m.probes)
        for (const AttachmentSpec &a : p.attachments)
          if (a.probe == slot.attachment)
            file = a.target.path;
      // 0.17 reads the executable's link and puts the process's root before it.
      if (process.pid) {
        if (file == proc + "/exe")
          file = readLink(file);
        if (file.rfind(proc + "/root", 0) != 0)
          file = proc + "/root" + (file.empty() || file[0] != '/' ? "/" : "") + file;
      }
    }
    names.push_back(std::move(file));
  }
  return names;
}

} // namespace bt::rt
