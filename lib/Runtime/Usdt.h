// USDT sites from a binary's SystemTap notes (.note.stapsdt: bt/Target/UsdtNotes.h).
// Private to lib/Runtime: Attach.cpp attaches a uprobe per site, Runner.cpp's
// --dry-run lists them.
#ifndef BT_RUNTIME_USDT_H
#define BT_RUNTIME_USDT_H

#include "bt/Runtime/Result.h"
#include "bt/Target/UsdtNotes.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bt::rt {

/// One probe site: where to put the uprobe and, for a guarded probe, the semaphore
/// the kernel increments while it is attached. Offsets are file offsets.
struct UsdtSite {
  std::string provider, name;
  uint64_t pc = 0;              // the note's address, after the .stapsdt.base adjustment
  uint64_t offset = 0;          // file offset of pc
  uint64_t semaphore = 0;       // the semaphore's address (0: none)
  uint64_t semaphoreOffset = 0; // its file offset (0: none)
};

/// Each binary's SystemTap notes, read on first use.
class UsdtNoteFiles {
public:
  /// Every site in PATH whose name is NAME and whose provider is PROVIDER (any provider
  /// when PROVIDER is empty), in note order. No match is an empty vector, not an error;
  /// an unreadable file or a malformed note is an error (no probe prefix).
  Result<std::vector<UsdtSite>> sites(const std::string &path, const std::string &provider,
                                      const std::string &name);
  /// Whether PATH has such a probe (an unreadable file has none).
  bool has(const std::string &path, const std::string &provider, const std::string &name);

private:
  struct Notes {
    std::vector<UsdtNote> notes;
    std::string error; // why the file could not be read ("" when it could)
  };
  const Notes &notes(const std::string &path);
  std::map<std::string, Notes> files_;
};

/// "no USDT probe PROVIDER:NAME in PATH" (or "NAME" alone when PROVIDER is empty).
std::string noUsdtProbeMessage(const std::string &path, const std::string &provider,
                               const std::string &name);

} // namespace bt::rt

#endif
