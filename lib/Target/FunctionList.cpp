// Kernel function lists with module tags (available_filter_functions and the
// description file's "functions", which keeps its entries as ftrace writes them).
#include "bt/Target/KernelModules.h"

#include <algorithm>
#include <fstream>

namespace bt {

namespace {

void sortUnique(std::vector<std::string> &v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

} // namespace

KernelFunctionList parseKernelFunctionList(const std::vector<std::string> &entries) {
  KernelFunctionList out;
  for (const std::string &entry : entries) {
    auto space = entry.find(' ');
    std::string name = entry.substr(0, space);
    // A function ftrace could not place (kernels ≥ 6.5 list them under this name).
    if (name.empty() || name.find("__ftrace_invalid_address__") != std::string::npos)
      continue;
    out.all.push_back(name);
    // An untagged entry is the kernel's own: "vmlinux", as upstream names its module.
    auto open = entry.find('[', space), close = entry.find(']', space);
    if (space == std::string::npos || open == std::string::npos ||
        close == std::string::npos || close < open + 2) {
      out.byModule["vmlinux"].push_back(name);
      continue;
    }
    out.byModule[entry.substr(open + 1, close - open - 1)].push_back(name);
    out.tagged = true;
  }
  sortUnique(out.all);
  for (auto &[module, names] : out.byModule)
    sortUnique(names);
  return out;
}

std::optional<std::vector<std::string>> readKprobeBlacklist(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    return std::nullopt;
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    // "0xSTART-0xEND<TAB>name", a module's "name [module]": the name only, as kprobes
    // name functions without their module.
    auto tab = line.find('\t');
    if (tab == std::string::npos)
      continue;
    std::string name = line.substr(tab + 1, line.find(' ', tab + 1) - tab - 1);
    if (!name.empty())
      out.push_back(std::move(name));
  }
  sortUnique(out);
  return out;
}

OrError<std::vector<std::string>> TargetInfo::moduleFunctions(const std::string &) const {
  return OrError<std::vector<std::string>>::failure(name() +
                                                    " does not say which module has a function");
}

std::vector<std::string> taggedModules(const KernelFunctionList &list) {
  std::vector<std::string> out;
  for (const auto &[module, names] : list.byModule)
    if (module != "vmlinux")
      out.push_back(module);
  return out;
}

} // namespace bt
