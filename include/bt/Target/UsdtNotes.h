// A binary's USDT probes: its SystemTap SDT notes (.note.stapsdt), read with libelf.
// btc lists and expands them (btc -l 'usdt:/path:*', usdt wildcards); btrun attaches a
// uprobe to each site.
#pragma once

#include "bt/Target/Target.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bt {

// One probe site. Addresses are after the .stapsdt.base adjustment (a binary moved
// after linking); file offsets are none where no loadable segment holds the address.
struct UsdtNote {
  std::string provider, name;
  std::string arguments; // the argument specs, space-separated: "-4@%edi 8@-16(%rbp) -4@$5"
  uint64_t pc = 0;
  std::optional<uint64_t> pcOffset;
  uint64_t semaphore = 0; // its address; 0: none
  std::optional<uint64_t> semaphoreOffset;
};

// Every site of the ELF file at `path`, in note order; or why the file cannot be read
// or a note is malformed ("'/bin/x': malformed .note.stapsdt note (too short)").
OrError<std::vector<UsdtNote>> usdtNotes(const std::string &path);

} // namespace bt
