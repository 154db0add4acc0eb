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
using obj::FieldType;
using obj::Globals;
using obj::KeyLayout;
using obj::LhistParams;
using obj::Manifest;
using obj::MapSpec;
using obj::MapType;
using obj::PositionalParam;
using obj::ProbeSpec;
using obj::ProbeType;
using obj::StackMode;
using obj::toString;

/// A kernel stack's text as bpftrace prints it (frames one per line, each after `indent`
/// spaces, or perf's layout), from the field and the stack id, or a ksym's symbol name.
/// Supplied by the caller that can read the stack maps and kallsyms (KernelStacks); pure
/// formatting takes it as a parameter.
using FieldText = std::function<std::string(const Field &field, int64_t id, unsigned indent)>;

/// Reads manifest JSON (lib/Object: syntax, schema version, required keys and kinds) and
/// checks each printf format against its arguments.
Result<Manifest> parseManifest(std::string_view json);

} // namespace bt::rt

#endif
