// Typing of function calls: printf, print, str, strncmp, kstack, ksym, strftime, the
// map functions and the aggregations.
#include "Typer.h"

namespace bt::sema {

using namespace ast;

namespace {

const std::set<std::string> kUnsupportedFunctions = {
    "ustack", "usym", "kaddr", "uaddr", "reg", "system", "cat",
    "join", "signal", "override", "buf", "ntop", "cgroupid", "macaddr",
    "strcontains", "path", "skboutput", "unwatch", "len", "has_key",
    "percpu_kaddr", "sizeof", "printk", "debugf", "errorf", "warnf", "bswap",
    "pton", "offsetof", "kptr", "uptr", "nsecs", "socket_cookie", "cgroup_path",
    "strerror", "print_array", "tseries", "unwatch",
};

} // namespace

void Typer::aggregationCall(const CallExpr *call, AggKind agg) {
  size_t want = agg == AggKind::Count ? 0 : agg == AggKind::Lhist ? 4 : 1;
  if (call->args.size() != want) {
    err(call->range, call->callee + "() takes " + std::to_string(want) + " argument" +
                         (want == 1 ? "" : "s") + ", " + std::to_string(call->args.size()) +
                         " given");
    return;
  }
  for (size_t i = 0; i < call->args.size(); ++i) {
    const Type &t = ty(expr(call->args[i].get()));
    if (!t.isNone() && !t.isInt())
      err(call->args[i]->range, call->callee + "() needs an integer, got " + t.str());
  }
  record(call, R.types.aggregation(agg));
}

std::optional<int64_t> Typer::literal(const Expr *e) {
  if (auto *i = as<IntegerLit>(e))
    return (int64_t)i->value;
  if (auto *u = as<UnaryExpr>(e); u && u->op == UnaryOp::Neg)
    if (auto *i = as<IntegerLit>(u->operand.get()))
      return -(int64_t)i->value;
  return std::nullopt;
}

TypeId Typer::kernelStackCall(const CallExpr *c) {
  bool perf = false;
  unsigned limit = kMaxStackFrames;
  size_t i = 0;
  if (i < c->args.size())
    if (auto *mode = as<IdentifierRef>(c->args[i].get())) {
      if (mode->name != "perf" && mode->name != "bpftrace") {
        err(mode->range, "kstack() mode must be bpftrace or perf, not '" + mode->name + "'");
        return R.types.none();
      }
      perf = mode->name == "perf";
      ++i;
    }
  if (i < c->args.size()) {
    auto *n = as<IntegerLit>(c->args[i].get());
    if (!n || n->value < 1 || n->value > kMaxStackFrames) {
      err(c->args[i]->range, "kstack() frame limit must be an integer literal from 1 to " +
                                 std::to_string(kMaxStackFrames));
      return R.types.none();
    }
    limit = static_cast<unsigned>(n->value);
    ++i;
  }
  if (i < c->args.size()) {
    err(c->range, "kstack() takes a mode, a frame limit or both, as in kstack(perf, 8)");
    return R.types.none();
  }
  return R.types.kernelStack(limit, perf);
}

void Typer::lhistParams(const CallExpr *call, MapInfo &mi) {
  if (call->args.size() != 4)
    return;
  auto mn = literal(call->args[1].get()), mx = literal(call->args[2].get()),
       st = literal(call->args[3].get());
  if (!mn || !mx || !st) {
    err(call->range, "lhist() min, max and step must be integer literals");
    return;
  }
  if (*st <= 0 || *mx <= *mn) {
    err(call->range, "lhist() needs step > 0 and max > min");
    return;
  }
  if ((*mx - *mn) / *st > 1000) {
    err(call->range, "lhist() would have more than 1000 buckets");
    return;
  }
  if (mi.lhistStep && (mi.lhistMin != *mn || mi.lhistMax != *mx || mi.lhistStep != *st)) {
    err(call->range, "lhist() parameters of " + mi.name + " differ from an earlier use");
    return;
  }
  mi.lhistMin = *mn;
  mi.lhistMax = *mx;
  mi.lhistStep = *st;
}

TypeId Typer::call(const CallExpr *c, bool statement) {
  const std::string &n = c->callee;
  auto argTypes = [&]() {
    std::vector<Type> ts;
    for (const auto &a : c->args)
      ts.push_back(ty(expr(a.get())));
    return ts;
  };
  auto needStatement = [&]() {
    if (!statement)
      err(c->range, n + "() has no value; use it as a statement");
  };
  if (n == "printf") {
    needStatement();
    if (c->args.empty() || !as<StringLit>(c->args[0].get())) {
      err(c->range, "printf() needs a string literal as its first argument");
      return R.types.none();
    }
    auto ts = argTypes();
    for (size_t i = 1; i < ts.size(); ++i)
      if (ts[i].isNone())
        return R.types.none();
    if (report_)
      sema::checkFormat(as<StringLit>(c->args[0].get())->value,
                        std::vector<Type>(ts.begin() + 1, ts.end()), c->args[0]->range, D);
    return R.types.none();
  }
  if (n == "print") {
    needStatement();
    auto *whole = c->args.empty() ? nullptr : as<MapRef>(c->args[0].get());
    if (whole && whole->keys.empty() && c->args.size() <= 3) {
      // print(@m, top, div): the last `top` entries (0: all), values divided by div.
      MapInfo &mi = mapInfo(whole);
      for (size_t i = 1; i < c->args.size(); ++i) {
        auto *lit = as<IntegerLit>(c->args[i].get());
        if (!lit || (i == 2 && lit->value == 0))
          err(c->args[i]->range, std::string("print() ") + (i == 1 ? "top" : "div") +
                                     " must be " + (i == 1 ? "an" : "a non-zero") +
                                     " integer literal");
      }
      if (c->args.size() == 3 && (mi.agg == AggKind::Hist || mi.agg == AggKind::Lhist ||
                                  mi.agg == AggKind::Stats))
        err(c->args[2]->range, std::string("print() div of a ") + aggName(mi.agg) +
                                   "() map is not supported yet");
      return R.types.none();
    }
    if (c->args.size() != 1) {
      err(c->range, "print() takes a value, or a map with optional top and div");
      return R.types.none();
    }
    const Type &t = ty(expr(c->args[0].get()));
    if (!t.isNone() && !t.isInt() && !t.isString())
      err(c->args[0]->range, "print() of " + t.str() + " is not supported yet");
    return R.types.none();
  }
  if (n == "time") {
    needStatement();
    if (c->args.size() > 1 || (c->args.size() == 1 && !as<StringLit>(c->args[0].get())))
      err(c->range, "time() takes an optional string literal format");
    else if (c->args.size() == 1 && report_)
      sema::checkFormatText(as<StringLit>(c->args[0].get())->value, c->args[0]->range, D);
    return R.types.none();
  }
  if (n == "str") {
    if (c->args.empty() || c->args.size() > 2) {
      err(c->range, "str() takes 1 or 2 arguments");
      return R.types.none();
    }
    // str($N) is the Nth argument's text, not a pointer to read.
    if (auto *p = as<PositionalParamRef>(c->args[0].get()); p && !p->isCount) {
      R.params.asString.insert(p->index);
      record(p, R.types.string(R.options.strlen));
    } else {
      const Type &t = ty(expr(c->args[0].get()));
      if (!t.isNone() && !t.isInt() && !t.isString())
        err(c->args[0]->range, "str() needs a pointer or a string, got " + t.str());
    }
    if (c->args.size() == 2) {
      expr(c->args[1].get());
      auto *lit = as<IntegerLit>(c->args[1].get());
      if (!lit)
        err(c->args[1]->range, "str() with a non-literal length is not supported yet");
      else if (lit->value == 0 || lit->value > 4096)
        err(c->args[1]->range, "str() length must be from 1 to 4096");
    }
    return R.types.string(R.options.strlen);
  }
  if (n == "clear" || n == "zero") {
    needStatement();
    auto *m = c->args.size() == 1 ? as<MapRef>(c->args[0].get()) : nullptr;
    if (!m || !m->keys.empty()) {
      err(c->range, n + "() takes a map, as in " + n + "(@m)");
      return R.types.none();
    }
    mapInfo(m);
    return R.types.none();
  }
  if (n == "delete") {
    needStatement();
    auto *m = c->args.empty() ? nullptr : as<MapRef>(c->args[0].get());
    if (!m || c->args.size() > 2 || (c->args.size() == 2 && !m->keys.empty())) {
      err(c->range, "delete() takes a map element, as in delete(@m[key])");
      return R.types.none();
    }
    if (c->args.size() == 2) {
      err(c->range, "delete(@m, key) is not supported yet; write delete(@m[key])");
      return R.types.none();
    }
    MapInfo &mi = mapKeys(m);
    if (!m->keys.empty() && (mi.agg == AggKind::Hist || mi.agg == AggKind::Lhist))
      err(c->range, "deleting one key of a " + std::string(aggName(mi.agg)) +
                        "() map is not supported yet");
    return R.types.none();
  }
  if (n == "kstack")
    return kernelStackCall(c);
  if (n == "ksym") {
    if (c->args.size() != 1) {
      err(c->range, "ksym() takes one address");
      return R.types.none();
    }
    const Type &t = ty(expr(c->args[0].get()));
    if (!t.isNone() && !t.isInt()) {
      err(c->args[0]->range, "ksym() needs an address, got " + t.str());
      return R.types.none();
    }
    return R.types.kernelSymbol();
  }
  if (n == "strftime") {
    auto *fmt = c->args.size() == 2 ? as<StringLit>(c->args[0].get()) : nullptr;
    if (!fmt) {
      err(c->range, "strftime() takes a format string literal and nanoseconds, as in "
                    "strftime(\"%H:%M:%S\", nsecs)");
      return R.types.none();
    }
    const Type &t = ty(expr(c->args[1].get()));
    if (!t.isNone() && !t.isInt()) {
      err(c->args[1]->range, "strftime() needs nanoseconds, got " + t.str());
      return R.types.none();
    }
    return R.types.timestamp(fmt->value);
  }
  if (n == "strncmp") {
    // 0 when the strings agree in their first n characters, else 1 (as bpftrace).
    if (c->args.size() != 3) {
      err(c->range, "strncmp() takes two strings and a length, as in strncmp(comm, \"bash\", 4)");
      return R.types.none();
    }
    auto ts = argTypes();
    for (int i = 0; i < 2; ++i)
      if (!ts[i].isNone() && !ts[i].isString())
        err(c->args[i]->range, "strncmp() compares strings, got " + ts[i].str());
    auto *len = as<IntegerLit>(c->args[2].get());
    if (!len)
      err(c->args[2]->range, "strncmp() length must be an integer literal");
    return u64();
  }
  if (n == "exit") {
    needStatement();
    if (!c->args.empty())
      err(c->range, "exit() with an exit code is not supported yet");
    return R.types.none();
  }
  if (aggregationOf(n) != AggKind::None) {
    err(c->range, n + "() must be assigned to a map, as in @x = " + n + "()");
    return R.types.none();
  }
  if (kUnsupportedFunctions.count(n)) {
    err(c->calleeRange, "function '" + n + "' is not supported yet");
    return R.types.none();
  }
  err(c->calleeRange, "unknown function '" + n + "'");
  return R.types.none();
}

} // namespace bt::sema
