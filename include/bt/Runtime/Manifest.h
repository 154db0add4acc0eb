// btrun's view of the manifest: lib/Object's structs (bt/Object/Manifest.h), read and
// checked for what btrun needs before it loads anything.
#ifndef BT_RUNTIME_MANIFEST_H
#define BT_RUNTIME_MANIFEST_H

#include "bt/Object/Manifest.h"
#include "bt/Runtime/Result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace bt::rt {

using obj::Aggregation;
using obj::AttachmentSpec;
using obj::AttachTarget;
using obj::Dispatcher;
using obj::EventKind;
using obj::EventSpec;
using obj::Field;
using obj::Symbol;
using obj::FieldType;
using obj::Globals;
using obj::KeyLayout;
using obj::LhistParams;
using obj::TseriesParams;
using obj::Manifest;
using obj::MapSpec;
using obj::MapType;
using obj::MissingProbes;
using obj::NamedParam;
using obj::CgroupIdSlot;
using obj::KfuncAllowedSlot;
using obj::ParamType;
using obj::PositionalParam;
using obj::ProbeSpec;
using obj::ProbeType;
using obj::StackMode;
using obj::toString;

/// A host-text field's text as bpftrace prints it (a stack's frames one per line, each
/// after `indent` spaces, or perf's layout; a symbol's name; a time), from the field and
/// the bytes it is laid out in (`base`: the record, key or value that `field.offset`
/// counts from). Supplied by the caller that can read the stack maps, kallsyms and the
/// processes' ELF files (EventLoop); pure formatting takes it as a parameter.
using FieldText =
    std::function<std::string(const Field &field, const uint8_t *base, unsigned indent)>;

/// Reads manifest JSON (lib/Object: syntax, schema version, required keys and kinds) and
/// checks each printf format against its arguments.
Result<Manifest> parseManifest(std::string_view json);

} // namespace bt::rt

#endif
