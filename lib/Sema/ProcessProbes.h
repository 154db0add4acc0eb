// uprobes and usdt probes on the binary of btrun's -p PID (`uprobe:fn`, `uprobe::fn`,
// `usdt:probe`, `usdt::provider:probe`, upstream's spellings without a binary): btc
// leaves the binary to run time, an attachment whose `path` is empty, which btrun fills
// with the process's executable or one of its mapped libraries. Private to lib/Sema.
#pragma once

#include "SemaInternal.h"

namespace bt::sema {

// Whether `ap` names no binary: `uprobe:fn`, `uprobe::fn`, `usdt:probe`, `usdt::probe`,
// `usdt::provider:probe`.
bool namesNoBinary(const ast::AttachPoint &ap, ProbeType type);

// The attachment of such an attach point (uprobe, uretprobe, usdt); what needs the
// binary at compile time (a wildcard, `cpp:`) is reported. False after an error.
bool expandOnProcessBinary(const ast::AttachPoint &ap, ProbeType type, DiagnosticEngine &diags,
                           std::vector<Attachment> &out);

// Whether `a` is on the -p process's binary, which only btrun knows.
bool onProcessBinary(const Attachment &a, ProbeType type);

// Why `what` cannot be used in a probe on the -p process's binary (`what` needs the
// binary when btc compiles): the end of a located error.
std::string needsBinaryAtCompileTime(const std::string &what, const Attachment &a);

} // namespace bt::sema
