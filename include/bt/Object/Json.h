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

void to_json(nlohmann::json &j, const SourceInfo &v);
void from_json(const nlohmann::json &j, SourceInfo &v);
void to_json(nlohmann::json &j, const ManifestOptions &v);
void from_json(const nlohmann::json &j, ManifestOptions &v);
void to_json(nlohmann::json &j, const PositionalParam &v);
void from_json(const nlohmann::json &j, PositionalParam &v);
void to_json(nlohmann::json &j, const Globals &v);
void from_json(const nlohmann::json &j, Globals &v);
/// A target's keys depend on the probe type, so its JSON takes it.
nlohmann::json targetToJson(ProbeType type, const AttachTarget &v);
AttachTarget targetFromJson(ProbeType type, const nlohmann::json &j);
void to_json(nlohmann::json &j, const ProbeSpec &v);
void from_json(const nlohmann::json &j, ProbeSpec &v);
/// Fields of keys and records carry their `offset`; a map's value_type does not.
nlohmann::json fieldToJson(const Field &v, bool withOffset);
Field fieldFromJson(const nlohmann::json &j, bool withOffset);
void to_json(nlohmann::json &j, const MapSpec &v);
void from_json(const nlohmann::json &j, MapSpec &v);
void to_json(nlohmann::json &j, const EventSpec &v);
void from_json(const nlohmann::json &j, EventSpec &v);
void to_json(nlohmann::json &j, const Checks &v);
void from_json(const nlohmann::json &j, Checks &v);
void to_json(nlohmann::json &j, const Requirements &v);
void from_json(const nlohmann::json &j, Requirements &v);
void to_json(nlohmann::json &j, const TargetRecord &v);
void from_json(const nlohmann::json &j, TargetRecord &v);
void to_json(nlohmann::json &j, const Integrity &v);
void from_json(const nlohmann::json &j, Integrity &v);
/// The whole manifest; from_json also checks what spans sections (event ids, names
/// in attach_order and events).
void to_json(nlohmann::json &j, const Manifest &v);
void from_json(const nlohmann::json &j, Manifest &v);

/// The manifest as the object stores it: compact JSON, keys sorted. Bytes that are not
/// UTF-8 (a Latin-1 comment in source.text) become U+FFFD.
std::string writeManifest(const Manifest &m);

/// A manifest, or the one-line message that says why the text is none.
struct ManifestOrError {
  std::optional<Manifest> manifest;
  std::string error;
};
ManifestOrError readManifest(std::string_view text);

} // namespace bt::obj

#endif
