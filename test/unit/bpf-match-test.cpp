// bpf-match-test: which running BPF programs' functions fentry:bpf[:ID]:NAME names
// (bt::rt::matchBpfFunctions) over a fixed list, one line per pattern with its matches
// in attach order. test/lit/basic/bpf-function-match.test checks them.
#include "bt/Runtime/BpfPrograms.h"

#include <iostream>

namespace {

void show(const std::vector<bt::rt::BpfFunction> &all, const std::string &pattern,
          std::optional<uint64_t> id) {
  std::cout << (id ? std::to_string(*id) : "*") << ":" << pattern << " ->";
  for (const auto &f : bt::rt::matchBpfFunctions(all, pattern, id))
    std::cout << " " << f.progId << ":" << f.name << "#" << f.btfId;
  std::cout << "\n";
}

} // namespace

int main() {
  // Program 123 has handle_exec and a subprogram; 1000 and 45 have handle_exec too; 45
  // lists it twice (the program's name and its func_info's first entry).
  std::vector<bt::rt::BpfFunction> all = {
      {123, "handle_exec", 3}, {123, "handle_exit", 7}, {123, "helper_sub", 9},
      {1000, "handle_exec", 2}, {45, "handle_exec", 4}, {45, "handle_exec", 4},
  };
  show(all, "handle_exec", std::nullopt);
  show(all, "handle_*", std::nullopt);
  show(all, "handle_*", 123);
  show(all, "*", 1000);
  show(all, "h?lper_[a-z]ub", std::nullopt);
  show(all, "handle_exec", 99);
  show(all, "nothing*", std::nullopt);
  // Brace alternatives: a function matching two of them comes once, in the text's order.
  show(all, "{helper_sub,handle_exit}", std::nullopt);
  show(all, "handle_{ex*,exit}", std::nullopt);
  show(all, "h{a,e}{ndle,lper}_{exit,sub}", 123);
  return 0;
}
