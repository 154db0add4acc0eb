// `config`: upstream's record of the config values a script runs with
// (`config.max_strlen`, `print(config)`), fields in upstream's order. Sema builds the
// record literal a script would write, `(cpp_demangle = true, ..., license = "GPL")`,
// from the values btc compiles the script with (its config block, btc's options and
// BPFTRACE_* variables), and types it as the script's own; Lower lowers that literal.
// A key btc leaves to btrun unless set (log_size, max_probes, max_bpf_progs,
// perf_rb_pages) is bpftrace's default when unset; a key btc does not vary is what btc
// and btrun always do (no blazesym, no debug info, lazy symbolication).
#include "Typer.h"

#include "bt/Object/Schema.h"

namespace bt::sema {

using namespace ast;

namespace {

// bpftrace's defaults for the keys btc records only when a script or option sets them.
constexpr uint64_t kDefaultLogSize = 1000000, kDefaultMaxBpfProgs = 1024,
                   kDefaultMaxProbes = 1024, kDefaultMaxMapKeys = 4096;

class RecordBuilder {
public:
  explicit RecordBuilder(SourceRange r) : rec_(std::make_shared<TupleExpr>(r)), r_(r) {}

  void boolean(const char *name, bool v) {
    auto i = std::make_unique<IntegerLit>(r_);
    i->value = v ? 1 : 0;
    i->text = v ? "true" : "false";
    add(name, std::move(i));
  }
  void integer(const char *name, uint64_t v) {
    auto i = std::make_unique<IntegerLit>(r_);
    i->value = v;
    i->text = std::to_string(v);
    add(name, std::move(i));
  }
  void string(const char *name, std::string v) {
    auto s = std::make_unique<StringLit>(r_);
    s->value = std::move(v);
    add(name, std::move(s));
  }
  std::shared_ptr<TupleExpr> take() { return std::move(rec_); }

private:
  void add(const char *name, ExprPtr e) {
    rec_->elems.push_back(std::move(e));
    rec_->names.emplace_back(name);
  }
  std::shared_ptr<TupleExpr> rec_;
  SourceRange r_;
};

// An unstable_* gate as upstream names its state; btc keeps warn as enable.
const char *gateState(const SemaOptions &o, const char *gate) {
  return o.unstableRefused.count(gate) ? "error" : "enable";
}

} // namespace

TypeId Typer::configRecord(const BuiltinRef *b) {
  if (auto it = R.expansions.find(b); it != R.expansions.end())
    return expr(it->second.get());
  const SemaOptions &o = R.options;
  RecordBuilder rec(b->range);
  rec.boolean("cpp_demangle", o.run.cppDemangle);
  rec.boolean("lazy_symbolication", true);
  rec.boolean("print_maps_on_exit", o.run.printMapsOnExit);
  rec.boolean("use_blazesym", false);
  rec.boolean("show_debug_info", false);
  rec.integer("log_size", o.run.logSize.value_or(kDefaultLogSize));
  rec.integer("max_bpf_progs", o.maxBpfProgs.value_or(kDefaultMaxBpfProgs));
  rec.integer("max_cat_bytes", o.run.maxCatBytes);
  rec.integer("max_map_keys", o.maxMapKeys.value_or(kDefaultMaxMapKeys));
  rec.integer("max_probes", o.run.maxProbes.value_or(kDefaultMaxProbes));
  rec.integer("max_strlen", o.strlen);
  rec.integer("on_stack_limit", o.onStackLimit);
  rec.integer("perf_rb_pages", o.run.perfRbPages.value_or(0)); // 0: sized by the CPUs
  rec.string("str_trunc_trailer", o.run.strTruncTrailer);
  rec.string("unstable_import_statement", gateState(o, "unstable_import_statement"));
  rec.string("unstable_tseries", gateState(o, "unstable_tseries"));
  rec.string("unstable_typeinfo", gateState(o, "unstable_typeinfo"));
  rec.string("unstable_dw_ustack", gateState(o, "unstable_dw_ustack"));
  rec.string("missing_probes", obj::toString(o.missingProbes));
  rec.string("stack_mode", obj::toString(o.stackMode));
  rec.string("license", o.license);
  std::shared_ptr<TupleExpr> e = rec.take();
  TypeId t = expr(e.get());
  R.expansions.emplace(b, std::move(e));
  return t;
}

} // namespace bt::sema
