// kaddr("name") compiles to a typeless `.ksyms` extern that libbpf fills from the run
// host's /proc/kallsyms at load; a host without the symbol would fail the load with
// libbpf's own words. btrun looks the names up first and says which one is missing.
#ifndef BT_RUNTIME_KADDRSYMBOLS_H
#define BT_RUNTIME_KADDRSYMBOLS_H

#include "bt/Runtime/ObjectReader.h"
#include "bt/Runtime/Result.h"

#include <string>
#include <string_view>
#include <vector>

namespace bt::rt {

/// The names of the object's typeless kernel-symbol externs (kaddr's), in BTF order,
/// read from its .BTF section as btc wrote it (libbpf retypes them once it opens it).
std::vector<std::string> kaddrSymbols(const ObjectFile &file);

/// The first of `names` that `kallsyms` ("ADDRESS TYPE NAME [MODULE]" lines) lacks,
/// as an error naming kaddr and the symbol. Pure.
Status checkKaddrSymbols(const std::vector<std::string> &names, std::string_view kallsyms);

/// kaddrSymbols checked against this host's /proc/kallsyms; nothing to check reads nothing.
Status checkKaddrSymbols(const ObjectFile &file);

} // namespace bt::rt

#endif
