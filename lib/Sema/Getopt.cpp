// getopt(name[, default[, description]]): a named parameter of the script (bpftrace
// 0.22+). btrun writes each one the script reads into the globals before BEGIN, from its
// arguments after `--` (`--name=value`, `--name` for a bool's true) or the default; the
// description is what `btrun OBJ --help` says of it, as bpftrace's --help.
#include "Typer.h"

#include <cctype>

namespace bt::sema {

using namespace ast;

namespace {

// bpftrace's names: letters, digits, '_' and '-', starting with a letter or '_'.
bool validName(const std::string &n) {
  if (n.empty() || !(std::isalpha((unsigned char)n[0]) || n[0] == '_'))
    return false;
  for (char ch : n)
    if (!std::isalnum((unsigned char)ch) && ch != '_' && ch != '-')
      return false;
  return true;
}

} // namespace

TypeId Typer::getoptCall(const CallExpr *c) {
  auto *name = as<StringLit>(c->args[0].get());
  if (!name) {
    err(c->args[0]->range, "getopt() needs the parameter's name as a string literal");
    return s64();
  }
  if (!validName(name->value)) {
    err(c->args[0]->range, "getopt() parameter name '" + name->value +
                               "' must be letters, digits, '_' and '-', starting with a letter or '_'");
    return s64();
  }
  NamedParam param;
  if (c->args.size() == 3) {
    if (auto *s = as<StringLit>(c->args[2].get()))
      param.description = s->value;
    else
      err(c->args[2]->range, "getopt() description must be a string literal");
  }
  if (c->args.size() >= 2) {
    const Expr *d = c->args[1].get();
    if (auto *i = as<IntegerLit>(d)) {
      bool isBool = i->text == "true" || i->text == "false";
      param.type = isBool ? obj::ParamType::Bool : obj::ParamType::Int;
      param.defaultValue = isBool ? i->text : std::to_string(i->value);
    } else if (auto *s = as<StringLit>(d)) {
      param.type = obj::ParamType::String;
      param.defaultValue = s->value;
      if (s->value.size() >= R.options.strlen)
        err(d->range, "getopt() default is longer than a string holds (" +
                          std::to_string(R.options.strlen - 1) + " bytes)");
    } else {
      err(d->range, "getopt() default must be an integer, string or bool literal");
      return s64();
    }
  }
  auto [it, added] = R.namedParams.emplace(name->value, param);
  if (!added && (it->second.type != param.type || it->second.defaultValue != param.defaultValue))
    err(c->range, "getopt(\"" + name->value + "\") is read elsewhere with another default (" +
                      it->second.defaultValue + ")");
  else if (!added && !param.description.empty()) {
    if (it->second.description.empty())
      it->second.description = param.description;
    else if (it->second.description != param.description)
      err(c->args[2]->range, "getopt(\"" + name->value +
                                 "\") is described elsewhere otherwise (\"" +
                                 it->second.description + "\")");
  }
  if (param.type == obj::ParamType::String)
    return R.types.string(R.options.strlen);
  return param.type == obj::ParamType::Bool ? R.types.integer(8, false) : s64();
}

} // namespace bt::sema
