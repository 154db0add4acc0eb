// USDT sites: the binary's SystemTap notes as lib/Target reads them
// (bt/Target/UsdtNotes.h), those of one probe, each with the file offsets a uprobe needs.
#include "Usdt.h"

#include "bt/Target/UsdtNotes.h"

namespace bt::rt {

std::string noUsdtProbeMessage(const std::string &path, const std::string &provider,
                               const std::string &name) {
  return "no USDT probe " + (provider.empty() ? name : provider + ":" + name) + " in " + path;
}

Result<std::vector<UsdtSite>> findUsdtSites(const std::string &path, const std::string &provider,
                                            const std::string &name) {
  auto notes = usdtNotes(path);
  if (!notes)
    return Error(notes.error());
  std::vector<UsdtSite> sites;
  for (UsdtNote &n : *notes) {
    if (n.name != name || (!provider.empty() && n.provider != provider))
      continue;
    if (!n.pcOffset)
      return Error("'" + path + "': USDT probe " + n.provider + ":" + n.name +
                   " is at an address outside every loaded segment");
    if (n.semaphore && !n.semaphoreOffset)
      return Error("'" + path + "': the semaphore of USDT probe " + n.provider + ":" + n.name +
                   " is outside every loaded segment");
    UsdtSite s;
    s.provider = std::move(n.provider);
    s.name = std::move(n.name);
    s.pc = n.pc;
    s.offset = *n.pcOffset;
    s.semaphore = n.semaphore;
    s.semaphoreOffset = n.semaphoreOffset.value_or(0);
    sites.push_back(std::move(s));
  }
  return sites;
}

} // namespace bt::rt
