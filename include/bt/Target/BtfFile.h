// `btc --btf FILE` as the target's BTF (docs/TARGET.md, "--btf").
#pragma once

#include "bt/Target/Target.h"

#include <memory>
#include <optional>
#include <string>

namespace bt {

// The target with FILE's functions as its kernel functions where it lists none of its
// own (a description without "functions", a host whose available_filter_functions
// cannot be read): kprobe, kretprobe, fentry and fexit names and wildcards are FILE's
// functions, as they would be the target's own BTF's. A list the target has (ftrace's)
// is kept: it is what kprobes can attach to. Everything else, btfPath() included, is the
// target's (Sema reads kernel types from FILE itself). Several targets: each one
// wrapped, then combined.
std::unique_ptr<TargetInfo> withBtfFile(std::unique_ptr<TargetInfo> target, std::string file);

// The BTF file whose functions `target` lists as its kernel functions (withBtfFile's,
// where the target or one it combines lists none of its own), for messages about them.
std::optional<std::string> functionsBtfFile(const TargetInfo &target);

} // namespace bt
