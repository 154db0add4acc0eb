// See KernelRecords.h. The members are listed as btc lists a struct's it copies member
// by member (lib/Lower's ManifestWriter.cpp memberField, from lib/Sema's BtfTypes.cpp):
// anonymous members flattened into their parent, char arrays as strings, pointers and
// enums as integers, bitfields in the bytes that hold them; so the printers print both
// alike, as bpftrace prints a struct value.
#include "KernelRecords.h"
#include "ModuleBtf.h"
#include "bt/Target/BtfTypeIds.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <unistd.h>

namespace bt::rt {

namespace {

using BtfHandle = std::unique_ptr<btf, void (*)(btf *)>;

bool isPrintedInt(const btf_type *t) {
  return (btf_is_int(t) || btf_is_any_enum(t)) &&
         (t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8);
}

bool isSignedInt(const btf_type *t) {
  return btf_is_int(t) ? (btf_int_encoding(t) & BTF_INT_SIGNED) != 0 : btf_kflag(t);
}

// A type no field describes, for the message that refuses it.
std::string typeText(const btf_type *t, const std::string &name) {
  if (!t)
    return "no type";
  if (btf_is_float(t))
    return "the floating-point type '" + name + "'";
  if (btf_is_fwd(t))
    return "the incomplete type '" + name + "'";
  if (btf_is_int(t))
    return "the " + std::to_string(t->size * 8) + "-bit integer '" + name + "'";
  return "BTF type kind " + std::to_string(btf_kind(t));
}

// A BTF type as the manifest lays it out; `unsupported` says why a member has none.
class Converter {
public:
  explicit Converter(const btf *b) : b_(b) {}
  std::string unsupported;

  std::optional<Field> field(int32_t typeId, uint32_t offset, const std::string &member) {
    int32_t id = skipBtfModifiers(b_, typeId);
    const btf_type *t = btf__type_by_id(b_, id);
    const char *n = t ? btf__name_by_offset(b_, t->name_off) : nullptr;
    std::string name = n ? n : "";
    if (t && isPrintedInt(t)) {
      Field f = Field::integer(isSignedInt(t), offset);
      f.size = t->size;
      return f;
    }
    if (t && btf_is_ptr(t)) // printed as a signed number, as bpftrace 0.17 prints one
      return Field::integer(true, offset);
    if (t && btf_is_array(t)) {
      const struct btf_array *a = btf_array(t);
      const btf_type *elem = btf__type_by_id(b_, skipBtfModifiers(b_, a->type));
      if (elem && btf_is_int(elem) && elem->size == 1 && a->nelems > 0)
        return Field::string(a->nelems, offset);
      auto e = field(int32_t(a->type), 0, member);
      if (!e)
        return std::nullopt;
      return Field::array(a->nelems, std::move(*e), offset);
    }
    if (t && btf_is_composite(t)) {
      std::vector<Field> members;
      if (!collect(id, 0, members))
        return std::nullopt;
      return Field::record(t->size, std::move(members), offset);
    }
    if (t && btf_is_fwd(t)) {
      int32_t def = btf__find_by_name_kind(b_, name.c_str(),
                                           btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT);
      if (def > 0)
        return field(def, offset, member);
    }
    if (unsupported.empty())
      unsupported = "member '" + member + "' has " + typeText(t, name);
    return std::nullopt;
  }

private:
  const btf *b_;

  // The named members of the struct or union `id` at `bitBase`, an anonymous member's
  // own members in its place.
  bool collect(int32_t id, uint32_t bitBase, std::vector<Field> &out) {
    const btf_type *t = btf__type_by_id(b_, skipBtfModifiers(b_, id));
    if (!t || !btf_is_composite(t))
      return true;
    const btf_member *m = btf_members(t);
    for (unsigned i = 0; i < btf_vlen(t); ++i, ++m) {
      const char *n = btf__name_by_offset(b_, m->name_off);
      uint32_t bit = bitBase + btf_member_bit_offset(t, i);
      if (!n || !*n) {
        if (!collect(int32_t(m->type), bit, out))
          return false;
        continue;
      }
      std::optional<Field> f;
      if (uint32_t bits = btf_member_bitfield_size(t, i)) {
        const btf_type *mt = btf__type_by_id(b_, skipBtfModifiers(b_, int32_t(m->type)));
        uint32_t shift = bit % 8, bytes = (shift + bits + 7) / 8;
        if (mt && isPrintedInt(mt) && bytes <= 8)
          f = Field::bitfield(isSignedInt(mt), bytes, shift, bits, bit / 8);
        else if (unsupported.empty())
          unsupported = "member '" + std::string(n) + "' is a bitfield btrun cannot read";
      } else {
        f = field(int32_t(m->type), bit / 8, n);
      }
      if (!f)
        return false;
      f->name = n;
      out.push_back(std::move(*f));
    }
    return true;
  }
};

// "struct task_struct" -> (BTF_KIND_STRUCT, "task_struct").
std::pair<int, std::string> kindAndName(const std::string &spelling) {
  if (spelling.rfind("union ", 0) == 0)
    return {BTF_KIND_UNION, spelling.substr(6)};
  return {BTF_KIND_STRUCT, spelling.rfind("struct ", 0) == 0 ? spelling.substr(7) : spelling};
}

// The BTF of the first loaded kernel module that has the type (its split BTF over
// vmlinux's), and the type's id in it.
std::pair<BtfHandle, int32_t> findInModules(btf *vmlinux, int kind, const std::string &name) {
  std::pair<BtfHandle, int32_t> found{BtfHandle(nullptr, btf__free), -1};
  forEachModuleBtf([&](int fd, uint32_t id, const std::string &) {
    BtfHandle split(btf__load_from_kernel_by_id_split(id, vmlinux), btf__free);
    int32_t at = split ? btf__find_by_name_kind(split.get(), name.c_str(), kind) : -1;
    if (at <= 0)
      return false;
    found = {std::move(split), at};
    ::close(fd); // the split BTF is loaded: its object is not needed
    return true;
  });
  return found;
}

} // namespace

namespace {

// The running kernel's BTF, read once and only for a manifest with such a value (it is
// some MiB), and the members of each type it lays out.
class KernelTypes {
public:
  // `what` says which value needs the type, for the messages.
  Result<Field> record(const std::string &kernelType, const std::string &what) {
    if (!tried_) {
      tried_ = true;
      const char *file = std::getenv("BT_TEST_KERNEL_BTF");
      testFile_ = file != nullptr;
      if (file)
        source_ = file;
      vmlinux_.reset(file ? btf__parse(file, nullptr) : btf__load_vmlinux_btf());
      loadError_ = errno;
    }
    if (!vmlinux_)
      return Error(what + ", and this host has none (" + source_ + ": " +
                   std::strerror(loadError_) + ")");
    auto [kind, name] = kindAndName(kernelType);
    BtfHandle module(nullptr, btf__free);
    int32_t id = btf__find_by_name_kind(vmlinux_.get(), name.c_str(), kind);
    if (id <= 0 && !testFile_)
      std::tie(module, id) = findInModules(vmlinux_.get(), kind, name);
    if (id <= 0)
      return Error(what + ", which has no " + kernelType + " (" + source_ +
                   (testFile_ ? ")" : " and the loaded modules')"));
    Converter convert(module ? module.get() : vmlinux_.get());
    std::optional<Field> record = convert.field(id, 0, kernelType);
    if (!record)
      return Error(what + ": its " + convert.unsupported + ", which btrun cannot print");
    record->kernelType = kernelType;
    return std::move(*record);
  }

private:
  BtfHandle vmlinux_{nullptr, btf__free};
  std::string source_ = "/sys/kernel/btf/vmlinux";
  bool tried_ = false, testFile_ = false;
  int loadError_ = 0;
};

// The call whose event has such an argument, for the messages.
const char *callName(EventKind kind) {
  switch (kind) {
  case EventKind::PrintValue: return "print()";
  case EventKind::Errorf: return "errorf()";
  case EventKind::Warnf: return "warnf()";
  case EventKind::Cat: return "cat()";
  case EventKind::System: return "system()";
  default: return "printf()";
  }
}

// Room is what the value has: a map value's size, a printf record's slot.
Status fitsRoom(const Field &record, uint64_t room, const std::string &what,
                const char *holder) {
  if (record.size <= room)
    return {};
  return Error(what + ": it is " + std::to_string(record.size) + " bytes on this kernel, " +
               "more than the " + std::to_string(room) + " its " + holder +
               " holds (compile the script for this kernel)");
}

// `value`'s struct of the running kernel's bytes, or the one a tuple holds (its last
// element), listed from that kernel's BTF into its place; it must fit in `room` bytes
// from value's start (no bound for print(), whose record has the running kernel's size).
// `what` says which value holds it, given the type's name, for the messages.
template <class What>
Status listIn(KernelTypes &types, Field &value, std::optional<uint64_t> room, const What &what,
              const char *holder) {
  for (Field &e : value.elements) { // offsets within a tuple count from its start
    std::optional<uint64_t> left;
    if (room)
      left = *room - std::min<uint64_t>(*room, e.offset);
    if (auto listed = listIn(types, e, left, what, holder); !listed)
      return listed;
  }
  if (value.kernelType.empty())
    return {};
  std::string says = what(value.kernelType);
  auto record = types.record(value.kernelType, says);
  if (!record)
    return std::move(record).error();
  if (room)
    if (auto fits = fitsRoom(*record, *room, says, holder); !fits)
      return std::move(fits).error();
  record->offset = value.offset;
  value = std::move(*record);
  return {};
}

} // namespace

Status listKernelRecords(Manifest &m) {
  KernelTypes types;
  for (MapSpec &map : m.maps) {
    if (!map.valueType)
      continue;
    auto what = [&](const std::string &type) {
      return "map " + map.name + " holds " + type +
             " as the running kernel lays it out, which btrun prints from the kernel's BTF";
    };
    if (auto listed = listIn(types, *map.valueType, map.valueSize, what, "map value"); !listed)
      return listed;
  }
  // print() of one such value, whose record carries the running kernel's size of it, and
  // printf's `%s` of one, which has room for it (its argument's size) in the record.
  for (EventSpec &e : m.events) {
    for (Field &value : e.args) {
      auto what = [&](const std::string &type) {
        return std::string(callName(e.kind)) + " at line " + std::to_string(e.line) + " of " +
               type + " as the running kernel lays it out, which btrun prints from the " +
               "kernel's BTF";
      };
      std::optional<uint64_t> room;
      if (e.kind != EventKind::PrintValue)
        room = value.size;
      if (auto listed = listIn(types, value, room, what, "record"); !listed)
        return listed;
    }
  }
  return {};
}

} // namespace bt::rt
