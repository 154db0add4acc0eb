// Tracepoint formats from BTF (see BtfFormats.h). An event's record is
// `struct trace_event_raw_<class>`: `ent` (struct trace_entry), then the fields,
// `u32 __data_loc_<name>` for a __data_loc field, then `char __data[]`. Syscall
// events share `struct syscall_trace_enter/exit`; their argument names and types
// are those of a table generated from tracefs (SyscallArgs.h), else those of
// `__do_sys_<name>` where BTF has that function.
#include "BtfFormats.h"
#include "Fields.h"
#include "SyscallArgs.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <set>

namespace bt::target {
namespace {

bool startsWith(const std::string &s, const char *prefix) {
  return s.rfind(prefix, 0) == 0;
}

// The byte offset of member `name` of struct `structId`, or -1.
long memberOffset(const struct btf *btf, int structId, const char *name) {
  const struct btf_type *t = btf__type_by_id(btf, structId);
  const struct btf_member *m = btf_members(t);
  for (unsigned i = 0; i < btf_vlen(t); ++i, ++m)
    if (std::strcmp(btf__name_by_offset(btf, m->name_off), name) == 0)
      return btf_member_bit_offset(t, i) / 8;
  return -1;
}

} // namespace

OrError<std::unique_ptr<BtfFormats>> BtfFormats::open(const std::string &path,
                                                      const Arch &arch) {
  struct btf *btf = btf__parse(path.c_str(), nullptr);
  if (!btf)
    return OrError<std::unique_ptr<BtfFormats>>::failure("cannot read BTF '" + path +
                                                         "': " + std::strerror(errno));
  return std::unique_ptr<BtfFormats>(new BtfFormats(path, arch, btf));
}

BtfFormats::~BtfFormats() { btf__free(btf_); }

// A type as C spells it before a declarator: "const char *", "struct file *".
std::string BtfFormats::spelling(int typeId) const {
  const struct btf_type *t = typeId == 0 ? nullptr : btf__type_by_id(btf_, typeId);
  if (!t)
    return "void";
  std::string name = btf__name_by_offset(btf_, t->name_off);
  if (btf_is_ptr(t)) {
    const struct btf_type *to = btf__type_by_id(btf_, t->type);
    return to && btf_is_func_proto(to) ? "void *" : spelling(t->type) + " *";
  }
  if (btf_is_const(t))
    return "const " + spelling(t->type);
  if (btf_is_volatile(t))
    return "volatile " + spelling(t->type);
  if (btf_is_struct(t) || (btf_is_fwd(t) && !btf_kflag(t)))
    return "struct " + name;
  if (btf_is_union(t) || btf_is_fwd(t))
    return "union " + name;
  if (btf_is_enum(t) || btf_is_enum64(t))
    return "enum " + name;
  if (btf_is_mod(t)) // restrict, type tags
    return spelling(t->type);
  return name; // integers, floats, typedefs
}

// "const char * filename", "char prev_comm[16]", as tracefs writes a declaration.
std::string BtfFormats::declaration(int typeId, const std::string &name) const {
  std::string dims;
  const struct btf_type *t = btf__type_by_id(btf_, typeId);
  while (t && btf_is_array(t)) {
    dims += "[" + std::to_string(btf_array(t)->nelems) + "]";
    typeId = btf_array(t)->type;
    t = btf__type_by_id(btf_, typeId);
  }
  return spelling(typeId) + " " + name + dims;
}

// As tracefs's signed: integers by their encoding, enums by BTF's sign flag, arrays
// by their elements'.
bool BtfFormats::isSigned(int typeId) const {
  int id = btf__resolve_type(btf_, typeId);
  const struct btf_type *t = id < 0 ? nullptr : btf__type_by_id(btf_, id);
  if (t && btf_is_array(t)) // an array is as signed as its elements
    return isSigned(btf_array(t)->type);
  if (!t)
    return false;
  if (btf_is_int(t))
    return btf_int_encoding(t) & BTF_INT_SIGNED;
  if (btf_is_enum(t) || btf_is_enum64(t))
    return btf_kflag(t);
  return false;
}

// The parameter types of a tracepoint prototype past its `void *__data`, with
// typedefs and qualifiers stripped (a pointer as -1 and its pointee), so that an
// event's prototype and its class's compare equal however each was spelled.
std::vector<int> BtfFormats::prototypeKey(int typeId) const {
  const struct btf_type *t = btf__type_by_id(btf_, typeId);
  while (t && !btf_is_func_proto(t)) {
    typeId = t->type; // typedef -> pointer -> prototype, or function -> prototype
    t = btf__type_by_id(btf_, typeId);
  }
  std::vector<int> key;
  if (!t)
    return key;
  auto strip = [&](int id) { return btf__resolve_type(btf_, id); };
  const struct btf_param *p = btf_params(t);
  for (unsigned i = 1; i < btf_vlen(t); ++i) {
    int id = strip(p[i].type);
    const struct btf_type *pt = id < 0 ? nullptr : btf__type_by_id(btf_, id);
    if (pt && btf_is_ptr(pt)) {
      key.push_back(-1);
      id = strip(pt->type);
    }
    key.push_back(id);
  }
  return key;
}

OrError<std::vector<TracepointField>> BtfFormats::classFields(int structId) const {
  using Result = OrError<std::vector<TracepointField>>;
  const struct btf_type *t = btf__type_by_id(btf_, structId);
  const struct btf_member *m = btf_members(t);
  std::vector<TracepointField> fields;
  unsigned n = btf_vlen(t);
  for (unsigned i = 0; i < n; ++i, ++m) {
    std::string name = btf__name_by_offset(btf_, m->name_off);
    if (i == 0) {
      if (name != "ent")
        return Result::failure("its BTF record does not start with 'ent'");
      continue;
    }
    if (i + 1 == n && name == "__data")
      break; // the flexible array the __data_loc strings sit in
    if (btf_member_bitfield_size(t, i) != 0)
      return Result::failure("its BTF record has a bit field '" + name + "'");
    std::string decl;
    if (startsWith(name, "__data_loc_"))
      // BTF does not say the element type; btc reads every __data_loc field as a string.
      decl = "__data_loc char[] " + name.substr(11);
    else if (startsWith(name, "__rel_loc_"))
      decl = "__rel_loc char[] " + name.substr(10);
    else
      decl = declaration(m->type, name);
    long size = btf__resolve_size(btf_, m->type);
    if (size < 0)
      return Result::failure("the size of field '" + name + "' is not in BTF");
    fields.push_back(makeField(decl, btf_member_bit_offset(t, i) / 8, unsigned(size),
                               isSigned(m->type)));
  }
  return fields;
}

TracepointFormat BtfFormats::syscallFormat(const std::string &name) const {
  bool enter = startsWith(name, "sys_enter_");
  const char *record = enter ? "syscall_trace_enter" : "syscall_trace_exit";
  int sid = btf__find_by_name_kind(btf_, record, BTF_KIND_STRUCT);
  long nr = sid < 0 ? -1 : memberOffset(btf_, sid, "nr");
  long rest = sid < 0 ? -1 : memberOffset(btf_, sid, enter ? "args" : "ret");
  if (nr < 0 || rest < 0)
    return {{}, std::string("BTF has no usable 'struct ") + record + "'"};
  TracepointFormat format{{makeField("int __syscall_nr", unsigned(nr), 4, true)}, ""};
  std::vector<TracepointField> &fields = format.fields;
  if (!enter) {
    fields.push_back(makeField("long ret", unsigned(rest), 8, true));
    return format;
  }
  std::string syscall = name.substr(10);
  // args[i] is an unsigned long whatever the parameter's type: tracefs says size 8,
  // signed 0 for every argument. The table spells types as tracefs does; BTF's
  // __do_sys_ serves the syscalls it lacks (a newer kernel's).
  if (auto declarations = syscallArguments(arch_, syscall)) {
    for (size_t i = 0; i < declarations->size(); ++i)
      fields.push_back(makeField((*declarations)[i], unsigned(rest + 8 * i), 8, false));
    return format;
  }
  int fn = btf__find_by_name_kind(btf_, ("__do_sys_" + syscall).c_str(), BTF_KIND_FUNC);
  if (fn < 0) {
    format.unknownFields = "the arguments of syscall '" + syscall +
                           "' are neither in btc's table for " + arch_.name +
                           " nor in the kernel's BTF (it has no __do_sys_" + syscall + ")";
    return format;
  }
  const struct btf_type *proto = btf__type_by_id(btf_, btf__type_by_id(btf_, fn)->type);
  const struct btf_param *p = btf_params(proto);
  // SYSCALL_DEFINE0's __do_sys_ takes the registers as `__unused`: no arguments.
  if (btf_vlen(proto) == 1 && std::strcmp(btf__name_by_offset(btf_, p[0].name_off), "__unused") == 0)
    return format;
  for (unsigned i = 0; i < btf_vlen(proto); ++i)
    fields.push_back(makeField(declaration(p[i].type, btf__name_by_offset(btf_, p[i].name_off)),
                               unsigned(rest + 8 * i), 8, false));
  return format;
}

OrError<TracepointFormat> BtfFormats::format(const std::string &category,
                                             const std::string &name) const {
  using Result = OrError<TracepointFormat>;
  if (category == "syscalls") {
    if (startsWith(name, "sys_enter_") || startsWith(name, "sys_exit_"))
      return syscallFormat(name);
    return Result::failure("");
  }
  // Every tracepoint has a btf_trace_<name> typedef (its raw prototype).
  int event = btf__find_by_name_kind(btf_, ("btf_trace_" + name).c_str(), BTF_KIND_TYPEDEF);
  if (event < 0)
    return Result::failure("");
  int own = btf__find_by_name_kind(btf_, ("trace_event_raw_" + name).c_str(), BTF_KIND_STRUCT);
  if (own >= 0) {
    auto fields = classFields(own);
    if (!fields)
      return Result::failure(fields.error());
    return TracepointFormat{std::move(*fields), ""};
  }
  // An event of another class (DEFINE_EVENT): that class's handler has the event's
  // prototype. Several classes may share one; then they must agree on the layout.
  if (!classesByProto_) {
    classesByProto_.emplace();
    const char *prefix = "trace_event_raw_event_";
    for (unsigned id = 1; id < btf__type_cnt(btf_); ++id) {
      const struct btf_type *t = btf__type_by_id(btf_, id);
      if (!btf_is_func(t))
        continue;
      std::string fn = btf__name_by_offset(btf_, t->name_off);
      if (startsWith(fn, prefix))
        (*classesByProto_)[prototypeKey(int(id))].push_back(fn.substr(std::strlen(prefix)));
    }
  }
  auto it = classesByProto_->find(prototypeKey(event));
  if (it == classesByProto_->end())
    return Result::failure(""); // a bare tracepoint (DECLARE_TRACE): no trace event
  std::optional<std::vector<TracepointField>> agreed, picked;
  bool differ = false;
  int bound = classBound(event), pickedId = 0;
  for (const std::string &cls : it->second) {
    int sid = btf__find_by_name_kind(btf_, ("trace_event_raw_" + cls).c_str(), BTF_KIND_STRUCT);
    if (sid < 0)
      continue;
    auto fields = classFields(sid);
    if (!fields)
      continue;
    if (sid < bound && sid > pickedId) {
      pickedId = sid;
      picked = *fields;
    }
    if (!agreed)
      agreed = std::move(*fields);
    else if (*agreed != *fields)
      differ = true;
  }
  if (!agreed)
    return Result::failure("");
  if (!differ)
    return TracepointFormat{std::move(*agreed), ""};
  if (!picked)
    return Result::failure("BTF does not say which event class it belongs to");
  return TracepointFormat{std::move(*picked), ""};
}

// BTF lists a trace header's records (trace_event_raw_<class>) in the header's order,
// then its events (btf_trace_<event>) in theirs. An event's class comes before the
// event in the header, so before the class of the first event after it that has a
// class of its own: that class's record id bounds the event's class.
int BtfFormats::classBound(int event) const {
  if (!anchors_) {
    anchors_.emplace();
    for (unsigned id = 1; id < btf__type_cnt(btf_); ++id) {
      const struct btf_type *t = btf__type_by_id(btf_, id);
      if (!btf_is_typedef(t))
        continue;
      std::string name = btf__name_by_offset(btf_, t->name_off);
      if (!startsWith(name, "btf_trace_"))
        continue;
      int own = btf__find_by_name_kind(btf_, ("trace_event_raw_" + name.substr(10)).c_str(),
                                       BTF_KIND_STRUCT);
      if (own >= 0)
        (*anchors_)[int(id)] = own;
    }
  }
  auto next = anchors_->upper_bound(event);
  return next == anchors_->end() ? int(btf__type_cnt(btf_)) : next->second;
}

} // namespace bt::target
