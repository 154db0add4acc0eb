// Kernel modules' BTF files a target description names beside its vmlinux's
// (`"btf": {"vmlinux": FILE, "MODULE": FILE}`, docs/TARGET.md).
#pragma once

#include "bt/Target/Target.h"

#include <map>
#include <string>

namespace bt {

// Module -> its BTF file, of the target whose BTF types the script (several targets:
// the first with BTF). A module not named is the file of its name beside btfPath(), as
// /sys/kernel/btf lays them out; the host names none.
std::map<std::string, std::string> moduleBtfFiles(const TargetInfo &target);

} // namespace bt
