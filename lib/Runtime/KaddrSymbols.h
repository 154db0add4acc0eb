// kaddr("name") compiles to a typeless `.ksyms` extern that libbpf fills from the run
// host's /proc/kallsyms at load, percpu_kaddr("name") to a typed one that the kernel's
// BTF types and kallsyms places (the verifier asks it); a host without the symbol would
// fail the load with libbpf's or the verifier's own words. btrun looks the names up
// first and says which one is missing.
#ifndef BT_RUNTIME_KADDRSYMBOLS_H
#define BT_RUNTIME_KADDRSYMBOLS_H

#include "bt/Runtime/ObjectReader.h"
#include "bt/Runtime/Result.h"

#include <string>
#include <string_view>
#include <vector>

namespace bt::rt {

/// A kernel variable the object names: kaddr's (typeless) or percpu_kaddr's (typed).
struct KernelVariableExtern {
  std::string name;
  bool typed = false;
};

/// The object's kernel-variable externs, in BTF order, read from its .BTF section as
/// btc wrote it (libbpf retypes them once it opens it).
std::vector<KernelVariableExtern> kaddrSymbols(const ObjectFile &file);

/// The first of `names` that `kallsyms` ("ADDRESS TYPE NAME [MODULE]" lines) lacks,
/// as an error naming the function (kaddr or percpu_kaddr) and the symbol. Pure.
Status checkKaddrSymbols(const std::vector<KernelVariableExtern> &names,
                         std::string_view kallsyms);

/// kaddrSymbols checked against this host's /proc/kallsyms; nothing to check reads nothing.
Status checkKaddrSymbols(const ObjectFile &file);

} // namespace bt::rt

#endif
