// Private to lib/Runtime: one JSON value on one line, spaced as bpftrace's `-f json`
// prints it ({"type": "map", "data": {"@c": 1}}), so that tools matching its text
// keep working. nlohmann writes the scalars; only the separators are ours.
#ifndef BT_RUNTIME_JSONLINE_H
#define BT_RUNTIME_JSONLINE_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace bt::rt {

// A value already written as JSON text, which appendJsonLine writes as it is: a
// struct, whose braces bpftrace 0.17 spaces (`{ "a": 1 }`) as no other object it
// writes. nlohmann's binary type carries the text under this subtype.
constexpr std::uint8_t kJsonTextSubtype = 0x4a;

inline nlohmann::ordered_json jsonText(const std::string &text) {
  return nlohmann::ordered_json::binary({text.begin(), text.end()}, kJsonTextSubtype);
}

inline void appendJsonLine(std::string &out, const nlohmann::ordered_json &j) {
  using Json = nlohmann::ordered_json;
  if (j.is_binary() && j.get_binary().subtype() == kJsonTextSubtype) {
    out.append(j.get_binary().begin(), j.get_binary().end());
  } else if (j.is_object()) {
    out += '{';
    bool first = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
      out += first ? "" : ", ";
      first = false;
      out += Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace);
      out += ": ";
      appendJsonLine(out, it.value());
    }
    out += '}';
  } else if (j.is_array()) {
    // bpftrace separates a tuple's elements by "," and hist buckets (objects) by ", ".
    bool tuple = !j.empty() && !j[0].is_object();
    out += '[';
    for (size_t i = 0; i < j.size(); ++i) {
      out += i ? (tuple ? "," : ", ") : "";
      appendJsonLine(out, j[i]);
    }
    out += ']';
  } else {
    // Script strings are bytes, not necessarily UTF-8: replace what is not.
    out += j.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

/// `j` and a newline.
inline std::string jsonLine(const nlohmann::ordered_json &j) {
  std::string out;
  appendJsonLine(out, j);
  out += '\n';
  return out;
}

} // namespace bt::rt

#endif
