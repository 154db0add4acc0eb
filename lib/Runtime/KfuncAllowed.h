// kfunc_allowed(name): whether this kernel lets a program of a given type call a kfunc.
#pragma once

#include <string>

namespace bt::rt {

// Loads a program of the type libbpf gives `section` that calls the kfunc, as upstream
// bpftrace probes it: the kernel checks a kfunc against the program type before anything
// else, so the call is allowed unless the verifier's log says it is not. False for a
// kfunc the kernel's BTF lacks.
bool kfuncAllowed(const std::string &kfunc, const std::string &section);

} // namespace bt::rt
