// The manifest's JSON, both directions side by side (lib/Object/Json.cpp): each
// struct's to_json writes exactly what its from_json reads. from_json checks kinds,
// required keys and the values each key may take, and throws SchemaError naming the
// key's path; readManifest turns that into a one-line message.
#ifndef BT_OBJECT_JSON_H
#define BT_OBJECT_JSON_H

#include "bt/Object/Manifest.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace bt::obj {

/// The manifest's JSON type: nlohmann's ordered_json, the one btrun's output is built
/// with, so btrun holds one instantiation of the parser and serializer, not two
/// (docs/FLEET.md, "Small runner"). Key order is the text's: readers look keys up.
using Json = nlohmann::ordered_json;

/// `text` as JSON, or a discarded value when it is none. btrun's one JSON parser (the
/// manifest, `--print-manifest`, an OCI image's index and manifest): one instantiation.
Json parseJson(std::string_view text);

/// A manifest that breaks the schema: the message around the offending key's path
/// ("missing required key 'probes[0].attachments[1].program'").
class SchemaError : public std::exception {
public:
  SchemaError(std::string before, std::string path, std::string after)
      : before_(std::move(before)), path_(std::move(path)), after_(std::move(after)) {}
  /// Puts `outer` ("probes[0]", "globals") in front of the path.
  void nest(const std::string &outer);
  /// The message with the whole path, without "invalid manifest: ".
  std::string message() const;
  const char *what() const noexcept override { return "manifest schema error"; }

private:
  std::string before_, path_, after_;
};

void to_json(Json &j, const SourceInfo &v);
void from_json(const Json &j, SourceInfo &v);
void to_json(Json &j, const ManifestOptions &v);
void from_json(const Json &j, ManifestOptions &v);
void to_json(Json &j, const PositionalParam &v);
void from_json(const Json &j, PositionalParam &v);
void to_json(Json &j, const Globals &v);
void from_json(const Json &j, Globals &v);
/// A target's keys depend on the probe type, so its JSON takes it.
Json targetToJson(ProbeType type, const AttachTarget &v);
AttachTarget targetFromJson(ProbeType type, const Json &j);
void to_json(Json &j, const ProbeSpec &v);
void from_json(const Json &j, ProbeSpec &v);
/// Fields of keys and records carry their `offset`; a map's value_type does not.
Json fieldToJson(const Field &v, bool withOffset);
Field fieldFromJson(const Json &j, bool withOffset);
void to_json(Json &j, const MapSpec &v);
void from_json(const Json &j, MapSpec &v);
void to_json(Json &j, const EventSpec &v);
void from_json(const Json &j, EventSpec &v);
void to_json(Json &j, const Checks &v);
void from_json(const Json &j, Checks &v);
void to_json(Json &j, const Requirements &v);
void from_json(const Json &j, Requirements &v);
void to_json(Json &j, const TargetRecord &v);
void from_json(const Json &j, TargetRecord &v);
void to_json(Json &j, const Integrity &v);
void from_json(const Json &j, Integrity &v);
/// The whole manifest; from_json also checks what spans sections (event ids, names
/// in attach_order and events).
void to_json(Json &j, const Manifest &v);
void from_json(const Json &j, Manifest &v);

/// The manifest as the object stores it: compact JSON, keys sorted. Bytes that are not
/// UTF-8 (a Latin-1 comment in source.text) become U+FFFD. In ManifestWrite.cpp, apart
/// from the readers: the sort uses nlohmann::json, which btrun must not link.
std::string writeManifest(const Manifest &m);

/// A manifest, or the one-line message that says why the text is none.
struct ManifestOrError {
  std::optional<Manifest> manifest;
  std::string error;
};
ManifestOrError readManifest(std::string_view text);

} // namespace bt::obj

#endif
