// See ProcessBinaries.h.
#include "ProcessBinaries.h"
#include "UprobeSymbols.h"
#include "Usdt.h"

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

bool onProcess(const ProbeSpec &p, const AttachmentSpec &a) {
  return a.target.path.empty() && (p.type == ProbeType::Uprobe ||
                                   p.type == ProbeType::Uretprobe || p.type == ProbeType::Usdt);
}

} // namespace

Status findProcessBinaries(Manifest &m, std::optional<int> pid) {
  std::vector<std::string> files;
  UprobeSymbols symbols;
  for (ProbeSpec &p : m.probes)
    for (AttachmentSpec &a : p.attachments) {
      if (!onProcess(p, a))
        continue;
      if (!pid)
        return Error((a.probe.empty() ? p.text : a.probe) + ": the probe names no binary, " +
                     "so it is on the binary of the process btrun traces: give -p PID");
      if (files.empty())
        files = mappedFiles(*pid);
      AttachTarget &t = a.target;
      t.path = files.front();
      if (t.symbol.empty() && p.type != ProbeType::Usdt)
        continue; // an address: the executable's, as upstream reads it
      for (const std::string &file : files) {
        bool has = false;
        if (p.type == ProbeType::Usdt) {
          auto sites = findUsdtSites(file, t.provider, t.name);
          has = sites && !sites->empty();
        } else {
          has = bool(symbols.fileOffset(file, t.symbol));
        }
        if (has) {
          t.path = file;
          break;
        }
      }
    }
  return {};
}

} // namespace bt::rt
