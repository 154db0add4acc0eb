// The target kernel's types from its BTF (libbpf's btf API), converted into the
// TypeTable on demand.
#include "BtfTypes.h"
#include "bt/Target/BtfTypeIds.h"

#include <bpf/btf.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace bt::sema {

BtfTypes::BtfTypes(std::string path, std::string targetName,
                   std::map<std::string, std::string> moduleFiles)
    : path_(std::move(path)), targetName_(std::move(targetName)),
      moduleFiles_(std::move(moduleFiles)) {}

BtfTypes::~BtfTypes() {
  for (Module &m : modules_)
    btf__free(m.btf);
  btf__free(btf_);
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

BtfTypes::Source BtfTypes::source(Key key) const {
  unsigned module = key >> kModuleShift;
  if (module == 0 || module > modules_.size())
    return {btf_, -1, int32_t(key)};
  return {modules_[module - 1].btf, int(module - 1), int32_t(key & ((1u << kModuleShift) - 1))};
}

BtfTypes::Key BtfTypes::keyOf(int module, int32_t id) const {
  if (module < 0 || uint32_t(id) < modules_[size_t(module)].start)
    return Key(id);
  return (Key(module + 1) << kModuleShift) | Key(id);
}

std::optional<BtfTypes::Key> BtfTypes::findNamed(const std::string &name, int kind) const {
  int32_t id = btf__find_by_name_kind(btf_, name.c_str(), kind);
  if (id > 0)
    return Key(id);
  for (size_t m = 0; m < modules_.size(); ++m)
    if ((id = btf__find_by_name_kind(modules_[m].btf, name.c_str(), kind)) > 0)
      return keyOf(int(m), id);
  return std::nullopt;
}

int BtfTypes::moduleIndex(const std::string &module) const {
  for (size_t m = 0; m < modules_.size(); ++m)
    if (modules_[m].name == module)
      return int(m);
  return -1;
}

std::optional<TypeId> BtfTypes::convert(TypeTable &types, Key key, std::string &unsupported) {
  Source src = source(key);
  const struct btf *b = src.btf;
  int32_t id = skipBtfModifiers(b, src.id);
  if (id == 0)
    return types.none();
  key = keyOf(src.module, id);
  if (auto it = converted_.find(key); it != converted_.end())
    return it->second;
  const btf_type *t = btf__type_by_id(b, id);
  if (!t)
    return std::nullopt;
  // A type this one refers to, numbered as its BTF numbers it.
  auto ref = [&](int32_t r) { return keyOf(src.module, r); };
  std::optional<TypeId> result;
  const char *name = btf__name_by_offset(b, t->name_off);
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
    int32_t target = skipBtfModifiers(b, t->type);
    const btf_type *pointee = btf__type_by_id(b, target);
    std::string ignored;
    std::optional<TypeId> p;
    if (target == 0 || !pointee || btf_is_func_proto(pointee))
      p = types.none();
    else
      p = convert(types, ref(target), ignored);
    result = types.pointer(p.value_or(types.none()), AddressSpace::Kernel);
  } else if (btf_is_array(t)) {
    const struct btf_array *a = btf_array(t);
    int32_t elemId = skipBtfModifiers(b, a->type);
    const btf_type *elem = btf__type_by_id(b, elemId);
    // char arrays are strings, as bpftrace reads them (task_struct's comm).
    if (elem && btf_is_int(elem) && elem->size == 1 && a->nelems > 0)
      result = types.string(a->nelems);
    else if (auto e = convert(types, ref(elemId), unsupported); e && !types.get(*e).isNone())
      result = types.array(*e, a->nelems);
  } else if (btf_is_composite(t)) {
    result = types.btfRecord(key, n, btf_is_union(t), t->size, 8);
  } else if (btf_is_fwd(t)) {
    // A declaration only: resolve it by name when the BTF has the definition.
    int32_t def = btf__find_by_name_kind(b, n.c_str(),
                                         btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT);
    if (def > 0)
      result = convert(types, ref(def), unsupported);
    else
      unsupported = "incomplete type '" + n + "'";
  } else if (unsupported.empty()) {
    unsupported = btf_is_float(t) ? "floating-point type '" + n + "'"
                                  : "BTF type kind " + std::to_string(btf_kind(t));
  }
  if (result)
    converted_[key] = *result;
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
  std::optional<Key> key;
  if (kind >= 0) {
    key = findNamed(name, kind);
    if (!key && kind == BTF_KIND_ENUM)
      key = findNamed(name, BTF_KIND_ENUM64);
  } else {
    // A bare record name too, as bpftrace takes `(task_struct *)curtask`.
    for (int k : {BTF_KIND_TYPEDEF, BTF_KIND_INT, BTF_KIND_STRUCT, BTF_KIND_UNION})
      if (!key)
        key = findNamed(name, k);
  }
  if (!key)
    return std::nullopt;
  std::string unsupported;
  return convert(types, *key, unsupported);
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
      const btf_type *t = btf__type_by_id(btf, skipBtfModifiers(btf, id));
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
  };
  Source src = source(types.get(record).btfId);
  Finder finder{src.btf, name, std::nullopt, 0};
  finder.search(src.id, 0);
  if (!finder.found)
    return std::nullopt;
  auto [m, offset] = *finder.found;
  auto type = convert(types, keyOf(src.module, int32_t(m->type)), unsupported);
  if (!type)
    return std::nullopt;
  return Member{name, offset, finder.bitfieldSize, *type};
}

std::vector<std::string> BtfTypes::memberNames(const Type &record) {
  std::vector<std::string> names;
  if (!load())
    return names;
  Source src = source(record.btfId);
  auto collect = [&](auto &self, int32_t id) -> void {
    const btf_type *t = btf__type_by_id(src.btf, skipBtfModifiers(src.btf, id));
    if (!t || !btf_is_composite(t))
      return;
    const btf_member *m = btf_members(t);
    for (unsigned i = 0; i < btf_vlen(t); ++i, ++m) {
      const char *name = btf__name_by_offset(src.btf, m->name_off);
      if (name && *name)
        names.push_back(name);
      else
        self(self, m->type);
    }
  };
  collect(collect, src.id);
  return names;
}

// Spellings as C writes them: "struct path", "enum pid_type", and "typedef u32" for a
// typedef's name.
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
  // One dump per BTF (the kernel's, then each module's), made when a type is found there.
  std::vector<struct btf_dump *> dumps(modules_.size() + 1, nullptr);
  for (const std::string &spelling : spellings) {
    size_t space = spelling.find(' ');
    if (space == std::string::npos)
      continue;
    std::string keyword = spelling.substr(0, space), name = spelling.substr(space + 1);
    int kind = keyword == "struct"    ? BTF_KIND_STRUCT
               : keyword == "union"   ? BTF_KIND_UNION
               : keyword == "enum"    ? BTF_KIND_ENUM
               : keyword == "typedef" ? BTF_KIND_TYPEDEF
                                      : -1;
    std::optional<Key> key = kind < 0 ? std::nullopt : findNamed(name, kind);
    if (!key)
      continue;
    Source src = source(*key);
    struct btf_dump *&dump = dumps[size_t(src.module + 1)];
    if (!dump)
      dump = btf_dump__new(src.btf, print, &out, nullptr);
    if (dump)
      btf_dump__dump_type(dump, uint32_t(src.id));
  }
  for (struct btf_dump *dump : dumps)
    btf_dump__free(dump);
  return out;
}

std::optional<std::vector<std::pair<uint64_t, std::string>>>
BtfTypes::enumerators(const std::string &spelling) {
  const std::string prefix = "enum ";
  if (!load() || spelling.rfind(prefix, 0) != 0 || spelling.size() == prefix.size())
    return std::nullopt;
  std::string name = spelling.substr(prefix.size());
  std::optional<Key> key = findNamed(name, BTF_KIND_ENUM);
  if (!key)
    key = findNamed(name, BTF_KIND_ENUM64);
  if (!key)
    return std::nullopt;
  Source src = source(*key);
  const btf_type *t = btf__type_by_id(src.btf, src.id);
  std::vector<std::pair<uint64_t, std::string>> result;
  for (unsigned i = 0; i < btf_vlen(t); ++i) {
    uint32_t narrow = btf_is_enum64(t) ? 0 : (btf_enum(t) + i)->val;
    uint64_t value = btf_is_enum64(t) ? btf_enum64_value(btf_enum64(t) + i)
                     : btf_kflag(t)   ? uint64_t(int64_t(int32_t(narrow)))
                                      : uint64_t(narrow);
    const uint32_t nameOff = btf_is_enum64(t) ? (btf_enum64(t) + i)->name_off
                                              : (btf_enum(t) + i)->name_off;
    result.emplace_back(value, btf__name_by_offset(src.btf, nameOff));
  }
  return result;
}

std::optional<BtfTypes::EnumConstant> BtfTypes::enumConstant(TypeTable &types,
                                                             const std::string &name) {
  if (!load())
    return std::nullopt;
  if (!enumerators_) {
    enumerators_.emplace();
    // The kernel's first, then each module's own: the first of a name stays.
    for (int m = -1; m < int(modules_.size()); ++m) {
      const struct btf *b = m < 0 ? btf_ : modules_[size_t(m)].btf;
      for (uint32_t id = m < 0 ? 1 : modules_[size_t(m)].start, n = btf__type_cnt(b); id < n;
           ++id) {
        const btf_type *t = btf__type_by_id(b, id);
        Key key = keyOf(m, int32_t(id));
        if (btf_is_enum(t)) {
          const struct btf_enum *e = btf_enum(t);
          for (unsigned i = 0; i < btf_vlen(t); ++i, ++e)
            enumerators_->emplace(btf__name_by_offset(b, e->name_off),
                                  std::make_pair(btf_kflag(t) ? int64_t(e->val)
                                                              : int64_t(uint32_t(e->val)),
                                                 key));
        } else if (btf_is_enum64(t)) {
          const struct btf_enum64 *e = btf_enum64(t);
          for (unsigned i = 0; i < btf_vlen(t); ++i, ++e)
            enumerators_->emplace(btf__name_by_offset(b, e->name_off),
                                  std::make_pair(int64_t(btf_enum64_value(e)), key));
        }
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

BtfTypes::Prototype BtfTypes::prototype(TypeTable &types, Key protoKey, bool skipFirst) {
  Source src = source(protoKey);
  const struct btf *b = src.btf;
  const btf_type *proto = btf__type_by_id(b, src.id);
  Prototype p;
  const struct btf_param *param = btf_params(proto);
  unsigned slot = 0;
  for (unsigned i = 0; i < btf_vlen(proto); ++i, ++param) {
    if (param->type == 0) // `...`
      break;
    const btf_type *t = btf__type_by_id(b, skipBtfModifiers(b, param->type));
    unsigned slots = t && btf_is_composite(t) ? (t->size + 7) / 8 : 1;
    if (i == 0 && skipFirst) // the hook's data: the kernel does not pass it to BPF
      continue;
    Param a;
    const char *name = btf__name_by_offset(b, param->name_off);
    a.name = name ? name : "";
    a.slot = slot;
    a.type = convert(types, keyOf(src.module, int32_t(param->type)), a.unsupported);
    slot += slots;
    p.params.push_back(std::move(a));
  }
  p.result.name = "retval";
  p.result.slot = slot;
  const btf_type *r = btf__type_by_id(b, skipBtfModifiers(b, proto->type));
  if (r && btf_is_composite(r))
    p.result.unsupported = "a struct or union returned by value";
  else
    p.result.type = convert(types, keyOf(src.module, int32_t(proto->type)), p.result.unsupported);
  return p;
}

std::string BtfTypes::useModule(const std::string &module) {
  if (moduleIndex(module) >= 0)
    return {};
  if (!load())
    return error_;
  auto named = moduleFiles_.find(module);
  auto slash = path_.rfind('/');
  std::string path =
      named != moduleFiles_.end()
          ? named->second
          : (slash == std::string::npos ? std::string() : path_.substr(0, slash + 1)) + module;
  btf *split = btf__parse_split(path.c_str(), btf_);
  if (!split)
    return "no BTF of kernel module '" + module + "' " +
           (named != moduleFiles_.end() ? "in " : "beside the kernel's ") + "(" + path + ": " +
           std::strerror(errno) + "; on the host: is the module loaded?)";
  if (btf__type_cnt(split) >= (1u << kModuleShift) ||
      modules_.size() + 1 >= (1u << (32 - kModuleShift))) {
    btf__free(split);
    return "the BTF of kernel module '" + module + "' (" + path + ") has more types than btc "
           "can number";
  }
  modules_.push_back({module, path, split, btf__type_cnt(btf_), false});
  // Built from the BTF then in use: the module's enumerators are added when next needed.
  enumerators_.reset();
  return {};
}

std::vector<std::string> BtfTypes::modules() const {
  std::vector<std::string> names;
  for (const Module &m : modules_)
    names.push_back(m.name);
  return names;
}

std::string BtfTypes::modulePath(const std::string &module) const {
  int m = moduleIndex(module);
  return m < 0 ? std::string() : modules_[size_t(m)].path;
}

std::optional<BtfTypes::Key> BtfTypes::findFunction(const std::string &function,
                                                    const std::string &module) {
  if (!load())
    return std::nullopt;
  if (module.empty()) {
    int32_t id = btf__find_by_name_kind(btf_, function.c_str(), BTF_KIND_FUNC);
    return id > 0 ? std::optional<Key>(Key(id)) : std::nullopt;
  }
  // A copy of the BTF (a scratch typing) reads the module when first asked.
  if (moduleIndex(module) < 0 && !useModule(module).empty())
    return std::nullopt;
  int m = moduleIndex(module);
  const Module &mod = modules_[size_t(m)];
  for (uint32_t id = mod.start, n = btf__type_cnt(mod.btf); id < n; ++id) {
    const btf_type *t = btf__type_by_id(mod.btf, id);
    if (btf_is_func(t) && function == btf__name_by_offset(mod.btf, t->name_off))
      return keyOf(m, int32_t(id));
  }
  return std::nullopt;
}

bool BtfTypes::hasFunction(const std::string &function, const std::string &module) {
  return findFunction(function, module).has_value();
}

std::optional<BtfTypes::Prototype> BtfTypes::functionPrototype(TypeTable &types,
                                                               const std::string &function,
                                                               const std::string &module) {
  std::optional<Key> key = findFunction(function, module);
  if (!key)
    return std::nullopt;
  Source src = source(*key);
  int32_t protoId = int32_t(btf__type_by_id(src.btf, src.id)->type);
  const btf_type *proto = btf__type_by_id(src.btf, protoId);
  if (!proto || !btf_is_func_proto(proto))
    return std::nullopt;
  return prototype(types, keyOf(src.module, protoId), false);
}

// The kernel's rules (btf_distill_func_proto), checked once for every function of the
// kernel's BTF (module -1) or of a module's own.
void BtfTypes::scanUntraceable(int module) {
  const struct btf *b = module < 0 ? btf_ : modules_[size_t(module)].btf;
  auto sizeOf = [&](int32_t id, const btf_type *&t) -> long {
    t = nullptr;
    if (id == 0)
      return 0; // void
    t = btf__type_by_id(b, skipBtfModifiers(b, id));
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
  std::string prefix = module < 0 ? "" : modules_[size_t(module)].name + ":";
  for (uint32_t id = module < 0 ? 1 : modules_[size_t(module)].start; id < btf__type_cnt(b);
       ++id) {
    const btf_type *f = btf__type_by_id(b, id);
    if (!btf_is_func(f))
      continue;
    const btf_type *proto = btf__type_by_id(b, f->type);
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
      std::string arg = "its argument '" + std::string(btf__name_by_offset(b, p->name_off)) + "'";
      if (argSize < 0)
        why = arg + " is " + what(t) + " passed by value";
      else if (argSize > 16)
        why = arg + " is " + what(t) + " of " + std::to_string(argSize) +
              " bytes passed by value (the kernel takes 16)";
    }
    if (!why.empty())
      (*untraceable_)[prefix + btf__name_by_offset(b, f->name_off)] = why;
  }
}

std::string BtfTypes::untraceable(const std::string &function, const std::string &module) {
  if (!load())
    return {};
  if (!untraceable_) {
    untraceable_.emplace();
    scanUntraceable(-1);
  }
  int m = -1;
  if (!module.empty()) {
    m = moduleIndex(module);
    if (m < 0)
      return {};
    if (!modules_[size_t(m)].scanned) {
      modules_[size_t(m)].scanned = true;
      scanUntraceable(m);
    }
  }
  auto it = untraceable_->find((m < 0 ? "" : module + ":") + function);
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
    std::optional<Key> key = findNamed(prefix + event, BTF_KIND_FUNC);
    if (!key)
      continue;
    Source src = source(*key);
    int32_t protoId = int32_t(btf__type_by_id(src.btf, src.id)->type);
    const btf_type *proto = btf__type_by_id(src.btf, protoId);
    if (proto && btf_is_func_proto(proto) && btf_vlen(proto) > 0)
      return prototype(types, keyOf(src.module, protoId), true);
  }
  return std::nullopt;
}

} // namespace bt::sema
