// The manifest's globals in JSON (docs/OBJECT.md): the .bss slots btrun fills before
// the load (named and positional parameters, cgroup ids, kfunc gates, traced binaries'
// names) and the runtime globals' offsets. Json.cpp holds the rest.
#include "bt/Object/Json.h"

#include "JsonRead.h"

namespace bt::obj {

using namespace json_read;

void to_json(Json &j, const NamedParam &v) {
  j = {{"name", v.name}, {"type", toString(v.type)}, {"offset", v.offset},
       {"default", v.defaultValue}};
  if (v.type == ParamType::String)
    j["size"] = v.size;
  if (!v.description.empty())
    j["description"] = v.description;
}

void from_json(const Json &j, NamedParam &v) {
  requireObject(j);
  v.name = str(j, "name", true);
  v.type = enumValue<ParamType>("type", str(j, "type", true));
  v.offset = unsignedInt(j, "offset", true);
  v.defaultValue = str(j, "default", true);
  v.description = str(j, "description", false, {}, Text::Free);
  uint64_t size = v.type == ParamType::String ? unsignedInt(j, "size", true) : 8;
  if (size == 0 || size > 4096)
    fail("size", "must be from 1 to 4096");
  v.size = static_cast<uint32_t>(size);
}

void to_json(Json &j, const CgroupIdSlot &v) { j = {{"path", v.path}, {"offset", v.offset}}; }

void from_json(const Json &j, CgroupIdSlot &v) {
  requireObject(j);
  v.path = str(j, "path", true, {}, Text::Free);
  if (v.path.empty())
    fail("path", "must not be empty");
  v.offset = unsignedInt(j, "offset", true);
}

void to_json(Json &j, const KfuncAllowedSlot &v) {
  j = {{"kfunc", v.kfunc}, {"section", v.section}, {"offset", v.offset}};
}

void from_json(const Json &j, KfuncAllowedSlot &v) {
  requireObject(j);
  v.kfunc = str(j, "kfunc", true, {}, Text::Name);
  v.section = str(j, "section", true);
  if (v.kfunc.empty() || v.section.empty())
    fail(v.kfunc.empty() ? "kfunc" : "section", "must not be empty");
  v.offset = unsignedInt(j, "offset", true);
}

void to_json(Json &j, const TracedBinaryNameSlot &v) {
  j = {{"before", v.before}, {"after", v.after}, {"offset", v.offset}, {"size", v.size}};
  if (!v.attachment.empty())
    j["attachment"] = v.attachment;
}

void from_json(const Json &j, TracedBinaryNameSlot &v) {
  requireObject(j);
  v.before = str(j, "before", true);
  v.after = str(j, "after", true);
  v.offset = unsignedInt(j, "offset", true);
  uint64_t size = unsignedInt(j, "size", true);
  if (size <= v.before.size() + v.after.size() || size > 4096)
    fail("size", "must hold before and after and be at most 4096");
  v.size = static_cast<uint32_t>(size);
  v.attachment = str(j, "attachment", false);
}

void to_json(Json &j, const PositionalParam &v) {
  j = {{"index", v.index}, {"type", toString(v.type)}, {"offset", v.offset}};
  if (v.isString())
    j["size"] = v.size;
}

void from_json(const Json &j, PositionalParam &v) {
  requireObject(j);
  uint64_t index = unsignedInt(j, "index", true);
  std::string type = str(j, "type", true);
  v.offset = unsignedInt(j, "offset", true);
  uint64_t size = type == toString(ParamType::String) ? unsignedInt(j, "size", true) : 8;
  if (index < 1 || index > 1000)
    fail("index", "must be from 1 to 1000");
  v.index = static_cast<int>(index);
  v.type = enumValue<ParamType>("type", type);
  if (v.type == ParamType::Bool)
    fail("type", "must be int or string");
  if (size == 0 || size > 4096)
    fail("size", "must be from 1 to 4096");
  v.size = static_cast<uint32_t>(size);
}

void to_json(Json &j, const Globals &v) {
  j = {{"map_section", v.mapSection},
       {"armed_offset", v.armedOffset},
       {"lost_offset", v.lostOffset},
       {"start_offset", v.startOffset}};
  if (v.paramCountOffset)
    j["param_count_offset"] = *v.paramCountOffset;
  if (v.childPidOffset)
    j["child_pid_offset"] = *v.childPidOffset;
  if (v.childPidOptional)
    j["child_pid_optional"] = true;
  if (v.ncpusOffset)
    j["ncpus_offset"] = *v.ncpusOffset;
  if (v.pidNamespaceOffset)
    j["pid_namespace_offset"] = *v.pidNamespaceOffset;
  if (v.taiDeltaOffset)
    j["tai_delta_offset"] = *v.taiDeltaOffset;
  // Written whenever btrun has run-time inputs to write, even when only $#, cpid or ncpus.
  if (!v.params.empty() || v.paramCountOffset || v.childPidOffset || v.ncpusOffset ||
      v.pidNamespaceOffset || v.taiDeltaOffset)
    j["params"] = v.params;
  if (v.fixedParams)
    j["fixed_params"] = *v.fixedParams;
  if (!v.namedParams.empty())
    j["named_params"] = v.namedParams;
  if (!v.cgroupIds.empty())
    j["cgroup_ids"] = v.cgroupIds;
  if (!v.kfuncAllowed.empty())
    j["kfunc_allowed"] = v.kfuncAllowed;
  if (!v.tracedBinaryNames.empty())
    j["traced_binary_names"] = v.tracedBinaryNames;
}

void from_json(const Json &j, Globals &v) {
  requireObject(j);
  v.mapSection = str(j, "map_section", false, ".bss");
  v.armedOffset = unsignedInt(j, "armed_offset", true);
  v.lostOffset = unsignedInt(j, "lost_offset", true);
  v.startOffset = unsignedInt(j, "start_offset", true);
  v.childPidOffset.reset();
  v.ncpusOffset.reset();
  v.pidNamespaceOffset.reset();
  v.taiDeltaOffset.reset();
  v.paramCountOffset.reset();
  if (has(j, "child_pid_offset"))
    v.childPidOffset = unsignedInt(j, "child_pid_offset", true);
  v.childPidOptional = boolean(j, "child_pid_optional", false, false);
  if (has(j, "ncpus_offset"))
    v.ncpusOffset = unsignedInt(j, "ncpus_offset", true);
  if (has(j, "pid_namespace_offset"))
    v.pidNamespaceOffset = unsignedInt(j, "pid_namespace_offset", true);
  if (has(j, "tai_delta_offset"))
    v.taiDeltaOffset = unsignedInt(j, "tai_delta_offset", true);
  if (has(j, "param_count_offset"))
    v.paramCountOffset = unsignedInt(j, "param_count_offset", true);
  v.params = elements<PositionalParam>(j, "params", false,
                                       [](const Json &e, size_t) { return e.get<PositionalParam>(); });
  v.fixedParams.reset();
  // Any text a command line can hold (a newline too): each is compared, never printed raw.
  if (has(j, "fixed_params"))
    v.fixedParams = elements<std::string>(j, "fixed_params", true, [](const Json &e, size_t) {
      if (!e.is_string())
        fail("", "must be a string");
      return e.get<std::string>();
    });
  if (v.fixedParams && (!v.params.empty() || v.paramCountOffset))
    fail("fixed_params", "cannot be given with params or param_count_offset (read at run time)");
  v.namedParams = elements<NamedParam>(j, "named_params", false,
                                       [](const Json &e, size_t) { return e.get<NamedParam>(); });
  v.cgroupIds = elements<CgroupIdSlot>(j, "cgroup_ids", false,
                                       [](const Json &e, size_t) { return e.get<CgroupIdSlot>(); });
  v.kfuncAllowed = elements<KfuncAllowedSlot>(
      j, "kfunc_allowed", false, [](const Json &e, size_t) { return e.get<KfuncAllowedSlot>(); });
  v.tracedBinaryNames = elements<TracedBinaryNameSlot>(
      j, "traced_binary_names", false,
      [](const Json &e, size_t) { return e.get<TracedBinaryNameSlot>(); });
}

} // namespace bt::obj
