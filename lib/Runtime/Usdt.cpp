// USDT sites: the binary's SystemTap notes as lib/Target reads them
// (bt/Target/UsdtNotes.h), those of one probe, each with the file offsets a uprobe needs.
#include "Usdt.h"

#include "bt/Basic/Glob.h"

#include <algorithm>

namespace bt::rt {

std::string noUsdtProbeMessage(const std::string &path, const std::string &provider,
                               const std::string &name) {
  return "no USDT probe " + (provider.empty() ? name : provider + ":" + name) + " in " + path;
}

const UsdtNoteFiles::Notes &UsdtNoteFiles::notes(const std::string &path) {
  auto it = files_.find(path);
  if (it != files_.end())
    return it->second;
  Notes read;
  if (auto notes = usdtNotes(path))
    read.notes = std::move(*notes);
  else
    read.error = notes.error();
  return files_.emplace(path, std::move(read)).first->second;
}

// A probe without a binary may name a pattern (`usdt:*`, `usdt::prov:t*`); an empty
// provider is any.
static bool noteMatches(const UsdtNote &n, const std::string &provider, const std::string &name) {
  return globMatches(name, n.name) && (provider.empty() || globMatches(provider, n.provider));
}

bool UsdtNoteFiles::has(const std::string &path, const std::string &provider,
                        const std::string &name) {
  const std::vector<UsdtNote> &all = notes(path).notes;
  return std::any_of(all.begin(), all.end(), [&](const UsdtNote &n) {
    return noteMatches(n, provider, name);
  });
}

Result<std::vector<UsdtSite>> UsdtNoteFiles::sites(const std::string &path,
                                                   const std::string &provider,
                                                   const std::string &name) {
  const Notes &file = notes(path);
  if (!file.error.empty())
    return Error(file.error);
  std::vector<UsdtSite> sites;
  for (const UsdtNote &n : file.notes) {
    if (!noteMatches(n, provider, name))
      continue;
    if (!n.pcOffset)
      return Error("'" + path + "': USDT probe " + n.provider + ":" + n.name +
                   " is at an address outside every loaded segment");
    if (n.semaphore && !n.semaphoreOffset)
      return Error("'" + path + "': the semaphore of USDT probe " + n.provider + ":" + n.name +
                   " is outside every loaded segment");
    UsdtSite s;
    s.provider = n.provider;
    s.name = n.name;
    s.pc = n.pc;
    s.offset = *n.pcOffset;
    s.semaphore = n.semaphore;
    s.semaphoreOffset = n.semaphoreOffset.value_or(0);
    sites.push_back(std::move(s));
  }
  return sites;
}

} // namespace bt::rt
