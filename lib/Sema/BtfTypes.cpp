// The target kernel's types from its BTF (libbpf's btf API), converted into the
// TypeTable on demand.
#include "BtfTypes.h"

#include <bpf/btf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace bt::sema {

BtfTypes::BtfTypes(std::string path, std::string targetName)
    : path_(std::move(path)), targetName_(std::move(targetName)) {}

BtfTypes::~BtfTypes() {
  btf__free(btf_);
  btf__free(base_);
}

bool BtfTypes::load() {
  if (tried_)
    return btf_ != nullptr;
  tried_ = true;
  if (path_.empty()) {
    error_ = "kernel types need BTF, and " + targetName_ +
             " has none (give one with --btf FILE or a target description)";
    return false;
  }
  btf_ = btf__parse(path_.c_str(), nullptr);
  if (!btf_) {
    int err = errno;
    btf_ = nullptr;
    error_ = "cannot read BTF from '" + path_ + "': " + std::strerror(err);
    return false;
  }
  return true;
}

namespace {

// Skips const, volatile, restrict, type tags and typedefs.
int32_t skipModifiers(const struct btf *btf, int32_t id) {
  while (id > 0) {
    const btf_type *t = btf__type_by_id(btf, id);
    if (!t || !(btf_is_mod(t) || btf_is_typedef(t)))
      break;
    id = t->type;
  }
  return id;
}

} // namespace

std::optional<TypeId> BtfTypes::convert(TypeTable &types, int32_t id, std::string &unsupported) {
  id = skipModifiers(btf_, id);
  if (id == 0)
    return types.none();
  if (auto it = converted_.find(id); it != converted_.end())
    return it->second;
  const btf_type *t = btf__type_by_id(btf_, id);
  if (!t)
    return std::nullopt;
  std::optional<TypeId> result;
  const char *name = btf__name_by_offset(btf_, t->name_off);
  std::string n = name ? name : "";
  if (btf_is_int(t)) {
    unsigned enc = btf_int_encoding(t);
    unsigned bytes = t->size;
    if (bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8)
      result = types.integer(bytes, (enc & BTF_INT_SIGNED) != 0);
    else
      unsupported = std::to_string(bytes * 8) + "-bit integer '" + n + "'";
  } else if (btf_is_any_enum(t)) {
    bool isSigned = btf_kflag(t);
    if (t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8)
      result = types.enumeration("enum " + n, t->size, isSigned);
    else
      unsupported = "enum '" + n + "' of " + std::to_string(t->size) + " bytes";
  } else if (btf_is_ptr(t)) {
    int32_t target = skipModifiers(btf_, t->type);
    const btf_type *pointee = btf__type_by_id(btf_, target);
    std::string ignored;
    std::optional<TypeId> p;
    if (target == 0 || !pointee || btf_is_func_proto(pointee))
      p = types.none();
    else
      p = convert(types, target, ignored);
    result = types.pointer(p.value_or(types.none()), AddressSpace::Kernel);
  } else if (btf_is_array(t)) {
    const struct btf_array *a = btf_array(t);
    int32_t elemId = skipModifiers(btf_, a->type);
    const btf_type *elem = btf__type_by_id(btf_, elemId);
    // char arrays are strings, as bpftrace reads them (task_struct's comm).
    if (elem && btf_is_int(elem) && elem->size == 1 && a->nelems > 0)
      result = types.string(a->nelems);
    else if (auto e = convert(types, elemId, unsupported); e && !types.get(*e).isNone())
      result = types.array(*e, a->nelems);
  } else if (btf_is_composite(t)) {
    result = types.btfRecord(uint32_t(id), n, btf_is_union(t), t->size, 8);
  } else if (btf_is_fwd(t)) {
    // A declaration only: resolve it by name when the BTF has the definition.
    int32_t def = btf__find_by_name_kind(btf_, n.c_str(),
                                         btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT);
    if (def > 0)
      result = convert(types, def, unsupported);
    else
      unsupported = "incomplete type '" + n + "'";
  } else if (unsupported.empty()) {
    unsupported = btf_is_float(t) ? "floating-point type '" + n + "'"
                                  : "BTF type kind " + std::to_string(btf_kind(t));
  }
  if (result)
    converted_[id] = *result;
  return result;
}

std::optional<TypeId> BtfTypes::named(TypeTable &types, const std::string &spelling) {
  if (!load())
    return std::nullopt;
  std::string name = spelling;
  int kind = -1; // any of typedef, int
  auto strip = [&](const char *word, int k) {
    size_t len = std::strlen(word);
    if (name.compare(0, len, word) == 0 && name.size() > len && name[len] == ' ') {
      name = name.substr(len + 1);
      kind = k;
    }
  };
  strip("struct", BTF_KIND_STRUCT);
  strip("union", BTF_KIND_UNION);
  strip("enum", BTF_KIND_ENUM);
  if (name == "void" && kind < 0)
    return types.none();
  int32_t id = -1;
  if (kind >= 0) {
    id = btf__find_by_name_kind(btf_, name.c_str(), kind);
    if (id < 0 && kind == BTF_KIND_ENUM)
      id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_ENUM64);
  } else {
    id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_TYPEDEF);
    if (id < 0)
      id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_INT);
    // A bare record name, as bpftrace takes `(task_struct *)curtask`.
    if (id < 0)
      id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_STRUCT);
    if (id < 0)
      id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_UNION);
  }
  if (id <= 0)
    return std::nullopt;
  std::string unsupported;
  return convert(types, id, unsupported);
}

std::optional<BtfTypes::Member> BtfTypes::member(TypeTable &types, TypeId record,
                                                 const std::string &name,
                                                 std::string &unsupported) {
  if (!load())
    return std::nullopt;
  // Depth-first through anonymous members, adding up their offsets.
  struct Finder {
    const struct btf *btf;
    const std::string &name;
    std::optional<std::pair<const btf_member *, unsigned>> found; // member, bit offset
    unsigned bitfieldSize = 0;
    void search(int32_t id, unsigned base) {
      const btf_type *t = btf__type_by_id(btf, skipModifiers(btf, id));
      if (!t || !btf_is_composite(t))
        return;
      const btf_member *m = btf_members(t);
      for (unsigned i = 0; i < btf_vlen(t) && !found; ++i, ++m) {
        const char *mn = btf__name_by_offset(btf, m->name_off);
        unsigned off = base + btf_member_bit_offset(t, i);
        if (mn && *mn) {
          if (name == mn) {
            found = {m, off};
            bitfieldSize = btf_member_bitfield_size(t, i);
          }
        } else {
          search(m->type, off);
        }
      }
    }
  } finder{btf_, name, std::nullopt, 0};
  finder.search(int32_t(types.get(record).btfId), 0);
  if (!finder.found)
    return std::nullopt;
  auto [m, offset] = *finder.found;
  auto type = convert(types, m->type, unsupported);
  if (!type)
    return std::nullopt;
  return Member{name, offset, finder.bitfieldSize, *type};
}

std::vector<std::string> BtfTypes::memberNames(const Type &record) {
  std::vector<std::string> names;
  if (!load())
    return names;
  auto collect = [&](auto &self, int32_t id) -> void {
    const btf_type *t = btf__type_by_id(btf_, skipModifiers(btf_, id));
    if (!t || !btf_is_composite(t))
      return;
    const btf_member *m = btf_members(t);
    for (unsigned i = 0; i < btf_vlen(t); ++i, ++m) {
      const char *name = btf__name_by_offset(btf_, m->name_off);
      if (name && *name)
        names.push_back(name);
      else
        self(self, m->type);
    }
  };
  collect(collect, int32_t(record.btfId));
  return names;
}

std::string BtfTypes::cDefinitions(const std::vector<std::string> &spellings) {
  std::string out;
  if (!load())
    return out;
  auto print = [](void *ctx, const char *fmt, va_list args) {
    va_list copy;
    va_copy(copy, args);
    int n = std::vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    if (n <= 0)
      return;
    auto &text = *static_cast<std::string *>(ctx);
    size_t at = text.size();
    text.resize(at + size_t(n) + 1);
    std::vsnprintf(text.data() + at, size_t(n) + 1, fmt, args);
    text.resize(at + size_t(n));
  };
  struct btf_dump *dump = btf_dump__new(btf_, print, &out, nullptr);
  if (!dump)
    return out;
  for (const std::string &spelling : spellings) {
    size_t space = spelling.find(' ');
    if (space == std::string::npos)
      continue;
    std::string keyword = spelling.substr(0, space), name = spelling.substr(space + 1);
    int kind = keyword == "struct"  ? BTF_KIND_STRUCT
               : keyword == "union" ? BTF_KIND_UNION
               : keyword == "enum"  ? BTF_KIND_ENUM
                                    : -1;
    int32_t id = kind < 0 ? -1 : btf__find_by_name_kind(btf_, name.c_str(), kind);
    if (id > 0)
      btf_dump__dump_type(dump, uint32_t(id));
  }
  btf_dump__free(dump);
  return out;
}

std::optional<std::vector<std::pair<uint64_t, std::string>>>
BtfTypes::enumerators(const std::string &spelling) {
  const std::string prefix = "enum ";
  if (!load() || spelling.rfind(prefix, 0) != 0 || spelling.size() == prefix.size())
    return std::nullopt;
  std::string name = spelling.substr(prefix.size());
  int32_t id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_ENUM);
  if (id <= 0)
    id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_ENUM64);
  if (id <= 0)
    return std::nullopt;
  const btf_type *t = btf__type_by_id(btf_, id);
  uint64_t mask = t->size >= 8 ? ~0ULL : (1ULL << (8 * t->size)) - 1;
  std::vector<std::pair<uint64_t, std::string>> result;
  for (unsigned i = 0; i < btf_vlen(t); ++i) {
    uint64_t value = btf_is_enum64(t) ? btf_enum64_value(btf_enum64(t) + i)
                                      : uint64_t(int64_t(int32_t((btf_enum(t) + i)->val)));
    const uint32_t nameOff = btf_is_enum64(t) ? (btf_enum64(t) + i)->name_off
                                              : (btf_enum(t) + i)->name_off;
    result.emplace_back(value & mask, btf__name_by_offset(btf_, nameOff));
  }
  return result;
}

std::optional<BtfTypes::EnumConstant> BtfTypes::enumConstant(TypeTable &types,
                                                             const std::string &name) {
  if (!load())
    return std::nullopt;
  if (!enumerators_) {
    enumerators_.emplace();
    for (uint32_t id = 1, n = btf__type_cnt(btf_); id < n; ++id) {
      const btf_type *t = btf__type_by_id(btf_, id);
      if (btf_is_enum(t)) {
        const struct btf_enum *e = btf_enum(t);
        for (unsigned i = 0; i < btf_vlen(t); ++i, ++e)
          enumerators_->emplace(btf__name_by_offset(btf_, e->name_off),
                                std::make_pair(btf_kflag(t) ? int64_t(e->val)
                                                            : int64_t(uint32_t(e->val)),
                                               int32_t(id)));
      } else if (btf_is_enum64(t)) {
        const struct btf_enum64 *e = btf_enum64(t);
        for (unsigned i = 0; i < btf_vlen(t); ++i, ++e)
          enumerators_->emplace(btf__name_by_offset(btf_, e->name_off),
                                std::make_pair(int64_t(btf_enum64_value(e)), int32_t(id)));
      }
    }
  }
  auto it = enumerators_->find(name);
  if (it == enumerators_->end())
    return std::nullopt;
  std::string unsupported;
  auto type = convert(types, it->second.second, unsupported);
  if (!type)
    return std::nullopt;
  return EnumConstant{it->second.first, *type};
}

} // namespace bt::sema

namespace bt::sema {

BtfTypes::Prototype BtfTypes::prototype(TypeTable &types, int32_t protoId, bool skipFirst) {
  const btf_type *proto = btf__type_by_id(btf_, protoId);
  Prototype p;
  const struct btf_param *param = btf_params(proto);
  unsigned slot = 0;
  for (unsigned i = 0; i < btf_vlen(proto); ++i, ++param) {
    if (param->type == 0) // `...`
      break;
    const btf_type *t = btf__type_by_id(btf_, skipModifiers(btf_, param->type));
    unsigned slots = t && btf_is_composite(t) ? (t->size + 7) / 8 : 1;
    if (i == 0 && skipFirst) // the hook's data: the kernel does not pass it to BPF
      continue;
    Param a;
    const char *name = btf__name_by_offset(btf_, param->name_off);
    a.name = name ? name : "";
    a.slot = slot;
    a.type = convert(types, param->type, a.unsupported);
    slot += slots;
    p.params.push_back(std::move(a));
  }
  p.result.name = "retval";
  p.result.slot = slot;
  const btf_type *r = btf__type_by_id(btf_, skipModifiers(btf_, proto->type));
  if (r && btf_is_composite(r))
    p.result.unsupported = "a struct or union returned by value";
  else
    p.result.type = convert(types, proto->type, p.result.unsupported);
  return p;
}

std::string BtfTypes::useModule(const std::string &module) {
  if (module == module_)
    return {};
  if (!module_.empty())
    return "fentry/fexit on functions of two kernel modules ('" + module_ + "', '" + module +
           "') in one script is not supported yet (btc types a script with one module's BTF)";
  if (!load())
    return error_;
  auto slash = path_.rfind('/');
  std::string path = (slash == std::string::npos ? std::string() : path_.substr(0, slash + 1)) + module;
  btf *split = btf__parse_split(path.c_str(), btf_);
  if (!split)
    return "no BTF of kernel module '" + module + "' beside the kernel's (" + path + ": " +
           std::strerror(errno) + "; on the host: is the module loaded?)";
  base_ = btf_;
  btf_ = split;
  moduleStart_ = btf__type_cnt(base_);
  module_ = module;
  modulePath_ = path;
  // Built from the kernel's BTF alone; the base's type ids, and so converted_, still hold.
  untraceable_.reset();
  enumerators_.reset();
  return {};
}

int32_t BtfTypes::findFunction(const std::string &function, bool inModule) {
  if (!load())
    return -1;
  if (!inModule)
    return btf__find_by_name_kind(base_ ? base_ : btf_, function.c_str(), BTF_KIND_FUNC);
  if (!base_)
    return -1;
  for (uint32_t id = moduleStart_, n = btf__type_cnt(btf_); id < n; ++id) {
    const btf_type *t = btf__type_by_id(btf_, id);
    if (btf_is_func(t) && function == btf__name_by_offset(btf_, t->name_off))
      return int32_t(id);
  }
  return -1;
}

bool BtfTypes::hasFunction(const std::string &function, bool inModule) {
  return findFunction(function, inModule) > 0;
}

std::optional<BtfTypes::Prototype> BtfTypes::functionPrototype(TypeTable &types,
                                                               const std::string &function,
                                                               bool inModule) {
  if (!load())
    return std::nullopt;
  int32_t id = findFunction(function, inModule);
  if (id <= 0)
    return std::nullopt;
  int32_t protoId = int32_t(btf__type_by_id(btf_, id)->type);
  const btf_type *proto = btf__type_by_id(btf_, protoId);
  if (!proto || !btf_is_func_proto(proto))
    return std::nullopt;
  return prototype(types, protoId, false);
}

std::string BtfTypes::untraceable(const std::string &function, bool inModule) {
  if (!load())
    return {};
  if (!untraceable_) {
    untraceable_.emplace();
    // The kernel's rules (btf_distill_func_proto), checked once for every function.
    auto sizeOf = [&](int32_t id, const btf_type *&t) -> long {
      t = nullptr;
      if (id == 0)
        return 0; // void
      t = btf__type_by_id(btf_, skipModifiers(btf_, id));
      if (!t)
        return -1;
      if (btf_is_ptr(t))
        return 8;
      return btf_is_int(t) || btf_is_any_enum(t) || btf_is_composite(t) ? long(t->size) : -1;
    };
    auto what = [](const btf_type *t) {
      return !t                 ? std::string("a type BTF lacks")
             : btf_is_struct(t) ? std::string("a struct")
             : btf_is_union(t)  ? std::string("a union")
             : btf_is_float(t)  ? std::string("a floating-point value")
                                : std::string("an array or function");
    };
    for (uint32_t id = 1; id < btf__type_cnt(btf_); ++id) {
      const btf_type *f = btf__type_by_id(btf_, id);
      if (!btf_is_func(f))
        continue;
      const btf_type *proto = btf__type_by_id(btf_, f->type);
      if (!proto || !btf_is_func_proto(proto))
        continue;
      std::string why;
      const btf_type *t;
      long size = sizeOf(proto->type, t);
      if (size < 0 || (t && btf_is_composite(t)))
        why = "it returns " + what(t) + " by value";
      else if (btf_vlen(proto) > 12)
        why = "it has " + std::to_string(btf_vlen(proto)) + " arguments (the kernel takes 12)";
      const btf_param *p = btf_params(proto);
      for (unsigned i = 0; why.empty() && i < btf_vlen(proto); ++i, ++p) {
        if (p->type == 0) {
          why = "it takes variable arguments";
          break;
        }
        long argSize = sizeOf(p->type, t);
        std::string arg = "its argument '" + std::string(btf__name_by_offset(btf_, p->name_off)) + "'";
        if (argSize < 0)
          why = arg + " is " + what(t) + " passed by value";
        else if (argSize > 16)
          why = arg + " is " + what(t) + " of " + std::to_string(argSize) +
                " bytes passed by value (the kernel takes 16)";
      }
      // A module's own function is keyed ":name" (no C name has a colon).
      if (!why.empty())
        (*untraceable_)[(id >= moduleStart_ && base_ ? ":" : "") +
                        std::string(btf__name_by_offset(btf_, f->name_off))] = why;
    }
  }
  auto it = untraceable_->find((inModule ? ":" : "") + function);
  return it == untraceable_->end() ? std::string() : it->second;
}

std::optional<BtfTypes::Prototype> BtfTypes::tracepointPrototype(TypeTable &types,
                                                                 const std::string &event) {
  if (!load())
    return std::nullopt;
  // The `btf_trace_<event>` typedef's parameters have no names; the functions the
  // kernel defines for each event (`__bpf_trace_<event>`, since 6.7 also
  // `__probestub_<event>`) have the same prototype with names: (void *__data, args...).
  for (const char *prefix : {"__bpf_trace_", "__probestub_"}) {
    int32_t id = btf__find_by_name_kind(btf_, (prefix + event).c_str(), BTF_KIND_FUNC);
    if (id <= 0)
      continue;
    int32_t protoId = int32_t(btf__type_by_id(btf_, id)->type);
    const btf_type *proto = btf__type_by_id(btf_, protoId);
    if (proto && btf_is_func_proto(proto) && btf_vlen(proto) > 0)
      return prototype(types, protoId, true);
  }
  return std::nullopt;
}

} // namespace bt::sema
