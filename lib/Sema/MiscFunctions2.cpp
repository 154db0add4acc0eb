// Typing of upstream's find, globmatch, kfunc_allowed, comm(pid) and in_cgroup(id).
// find(@m, key, $v) is has_key and a map read in one lookup, the value written into
// the variable only when the key is there; of count(), sum(), avg(), min() and max()
// maps, the value @m[key] reads (AggregationValue.cpp). globmatch(s, "pattern") is
// compiled from its literal pattern (globPattern); another string pattern is matched
// at run time. kfunc_allowed("name") is known only on the run host: btrun probes the
// kernel for each kfunc and program type and writes the answer into a .bss slot
// (kfuncAllowed). comm(pid) reads the comm of the task bpf_task_from_pid finds in the
// probe kinds whose programs the kernel lets call it (kTaskKfuncKinds), of the thread
// whose pid matches in a walk of them all in the others (Lower); its members are typed
// here as curtask->comm and curtask->pid, whose relocations Lower reuses. in_cgroup(id)
// takes an integer id (its walk over the task's cgroups needs no kfunc: Lower).
#include "Typer.h"

#include "bt/Sema/Glob.h"
#include "bt/Sema/TaskKfuncs.h"

#include <algorithm>
#include <iterator>

namespace bt::sema {

using namespace ast;

namespace {

// The probe kinds whose programs the kernel lets call bpf_task_from_pid and
// bpf_task_release (comm(pid)). Both are in kernel/bpf/helpers.c's generic kfunc set,
// which kfunc_init registers for BPF_PROG_TYPE_TRACING (fentry, fexit, tp_btf, iter;
// btf.c maps tracepoint and perf_event programs to the same hook) and XDP (bench),
// never for raw_tp (BEGIN, END, self, test, rawtracepoint) nor kprobe programs
// (kprobes, uprobes, usdt). Measured on Linux 6.18 by kfunc_allowed() in each kind.
// bpf-next (December 2025, "bpf: allow calling kfuncs from raw_tp programs") maps
// raw_tp programs to the tracing hook too: a kernel with it lets BEGIN and END call
// them, which this table, not knowing the target's registration, does not assume.
constexpr ProbeType kTaskKfuncKinds[] = {
    ProbeType::Tracepoint, ProbeType::Fentry,   ProbeType::Fexit,
    ProbeType::TpBtf,      ProbeType::Iter,     ProbeType::Interval,
    ProbeType::Profile,    ProbeType::Software, ProbeType::Hardware,
    ProbeType::Watchpoint, ProbeType::AsyncWatchpoint, ProbeType::Bench};

} // namespace

bool mayCallTaskKfuncs(ProbeType t) {
  return std::find(std::begin(kTaskKfuncKinds), std::end(kTaskKfuncKinds), t) !=
         std::end(kTaskKfuncKinds);
}

TypeId Typer::findCall(const CallExpr *c) {
  const FunctionInfo &info = functionInfo(FunctionId::Find);
  auto *m = as<MapRef>(c->args[0].get());
  auto *var = as<VariableRef>(c->args[2].get());
  if (!m || !m->keys.empty()) {
    err(c->args[0]->range, info.usage);
    return R.types.none();
  }
  if (!var) {
    err(c->args[2]->range, "find() writes the value into a variable, as in find(@m, key, $v)");
    return R.types.none();
  }
  MapInfo &mi = mapKeysApart(m, c->args[1].get());
  // An aggregation's value is what reading @m[key] gives: its CPUs' slots combined.
  TypeId value = mi.value;
  if (mi.agg != AggKind::None) {
    value = aggregationValue(m, mi.agg);
    if (ty(value).isNone())
      return R.types.none();
  }
  // The value goes into the variable as an assignment would put it.
  DeclId d = assignedVariable(var);
  if (!ty(value).isNone()) {
    const Declaration &decl = R.scopes.declaration(d);
    if (!(decl.typed && ty(decl.type).isInt() && ty(value).isInt()))
      unifyVariable(d, value, var->range);
  }
  assigned_.insert(d);
  record(var, R.scopes.declaration(d).type);
  return u64();
}

TypeId Typer::globmatchCall(const CallExpr *c) {
  const Type &s = ty(expr(c->args[0].get()));
  if (!s.isNone() && !s.isString())
    err(c->args[0]->range, "globmatch() matches a string, got " + s.str());
  auto *pat = as<StringLit>(c->args[1].get());
  if (!pat) { // matched at run time (lib/Lower/GlobMatch.cpp)
    const Type &p = ty(expr(c->args[1].get()));
    if (!p.isNone() && !p.isString())
      err(c->args[1]->range, "globmatch() takes a pattern string, got " + p.str());
    return u64();
  }
  std::string why;
  auto tokens = globPattern(pat->value, why);
  if (!tokens) {
    err(c->args[1]->range, "globmatch() pattern " + why);
    return R.types.none();
  }
  return u64();
}

TypeId Typer::kfuncAllowedCall(const CallExpr *c) {
  auto *name = as<StringLit>(c->args[0].get());
  if (!name) {
    err(c->args[0]->range, functionInfo(FunctionId::KfuncAllowed).usage);
    return R.types.none();
  }
  // The answer is the probe's program type's: outside a probe there is none.
  if (!inProbe(c->range, "kfunc_allowed()"))
    return R.types.none();
  R.kfuncAllowed.insert({name->value, probeKind(probe_->type).section});
  return u64();
}

TypeId Typer::commOfPidCall(const CallExpr *c) {
  const Type &t = ty(expr(c->args[0].get()));
  if (t.isNone())
    return R.types.none();
  if (!t.isInt()) {
    err(c->args[0]->range, "comm() takes a pid, got " + t.str());
    return R.types.none();
  }
  // Both members: comm to read, pid to find the task by where Lower walks the threads
  // (the probe kinds whose programs may not call bpf_task_from_pid).
  auto it = R.expansions.find(c);
  if (it == R.expansions.end()) {
    auto both = std::make_shared<TupleExpr>(c->range);
    for (const char *member : {"comm", "pid"}) {
      auto task = std::make_unique<BuiltinRef>(c->range);
      task->name = "curtask";
      both->elems.push_back(makeFieldExpr(std::move(task), member, true, c->range));
    }
    it = R.expansions.emplace(c, std::move(both)).first;
  }
  auto *both = static_cast<const TupleExpr *>(it->second.get());
  if (ty(expr(both->elems[1].get())).isNone())
    return R.types.none();
  return expr(both->elems[0].get());
}

TypeId Typer::inCgroupCall(const CallExpr *c) {
  const Type &t = ty(expr(c->args[0].get()));
  if (t.isNone())
    return R.types.none();
  if (!t.isInt()) {
    err(c->args[0]->range, "in_cgroup() takes a cgroup id, got " + t.str());
    return R.types.none();
  }
  return u64();
}

// `*` any run of characters, `?` one, `[abc]`, `[a-z]` and `[!abc]` one of a set (a `]`
// first in the set is a member), anything else itself; the whole string must match.
std::optional<std::vector<GlobToken>> globPattern(const std::string &p, std::string &why) {
  std::vector<GlobToken> tokens;
  for (size_t i = 0; i < p.size(); ++i) {
    GlobToken t;
    if (p[i] == '*') {
      t.kind = GlobToken::Kind::Star;
      if (!tokens.empty() && tokens.back().kind == GlobToken::Kind::Star)
        continue; // `**` is `*`
    } else if (p[i] == '?') {
      t.kind = GlobToken::Kind::Any;
    } else if (p[i] == '[') {
      t.kind = GlobToken::Kind::Set;
      size_t j = i + 1;
      if (j < p.size() && p[j] == '!') {
        t.negated = true;
        ++j;
      }
      size_t first = j;
      for (; j < p.size() && (p[j] != ']' || j == first); ++j) {
        unsigned char lo = p[j], hi = p[j];
        if (j + 2 < p.size() && p[j + 1] == '-' && p[j + 2] != ']') {
          hi = p[j + 2];
          j += 2;
        }
        if (lo > hi) {
          why = "has the empty range '" + std::string(1, lo) + "-" + std::string(1, hi) + "'";
          return std::nullopt;
        }
        t.ranges.push_back({lo, hi});
      }
      if (j >= p.size()) {
        why = "has a '[' without its ']'";
        return std::nullopt;
      }
      i = j;
    } else {
      t.kind = GlobToken::Kind::Char;
      t.ranges.push_back({(unsigned char)p[i], (unsigned char)p[i]});
    }
    tokens.push_back(std::move(t));
  }
  if (tokens.size() > kMaxGlobTokens) {
    why = "has more than " + std::to_string(kMaxGlobTokens) + " parts";
    return std::nullopt;
  }
  return tokens;
}

} // namespace bt::sema
