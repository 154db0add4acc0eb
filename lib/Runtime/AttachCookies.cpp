// Refusing, before load, the programs that read their attach cookie on a kernel that has
// none, each probe named with the reason: the verifier would reject only the first of
// them, with "unknown func" in a dump. Programs that read one: a usdt probe's reads of its arguments (libbpf's spec
// index), and a program that serves several attach points (its `probe`/`func` index).
#include "AttachCookies.h"

#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <cstdlib>
#include <map>
#include <set>

namespace bt::rt {

namespace {

bool hostHasAttachCookies() {
  // Tests take the refusal on a kernel that has cookies (test/runtime/usdt-no-cookies.test).
  if (std::getenv("BT_TEST_NO_ATTACH_COOKIES"))
    return false;
  return libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_attach_cookie, nullptr) == 1;
}

bool readsCookie(const bpf_program *prog) {
  const bpf_insn *insns = bpf_program__insns(prog);
  for (size_t i = 0, n = bpf_program__insn_cnt(prog); i < n; ++i)
    if (insns[i].code == (BPF_JMP | BPF_CALL) && insns[i].src_reg == 0 &&
        insns[i].imm == BPF_FUNC_get_attach_cookie)
      return true;
  return false;
}

} // namespace

Status checkAttachCookies(bpf_object *obj, const Manifest &manifest) {
  std::set<std::string> refused;
  std::map<const bpf_program *, bool> reads; // scanned once: one program may serve 1000s
  Error e;
  bool probed = false, have = true;
  for (const auto &p : manifest.probes)
    for (const auto &a : p.attachments) {
      bpf_program *prog = bpf_object__find_program_by_name(obj, a.program.c_str());
      if (!prog || !bpf_program__autoload(prog))
        continue;
      auto [it, fresh] = reads.try_emplace(prog, false);
      if (fresh)
        it->second = readsCookie(prog);
      if (!it->second ||
          !refused.insert(a.probe).second)
        continue;
      if (!probed) {
        have = hostHasAttachCookies();
        probed = true;
      }
      if (have)
        return {};
      e.messages.push_back(a.probe + ": " +
                           (p.type == ProbeType::Usdt
                                ? "reads its arguments through BPF attach cookies"
                                : "tells its attach points apart by BPF attach cookies") +
                           ", which this kernel lacks (Linux 5.15+)");
    }
  if (e.messages.empty())
    return {};
  return e;
}

} // namespace bt::rt
