// Private to lib/Object: the checked reads Json.cpp's from_json functions are made of.
// Each throws SchemaError naming its key relative to the object it reads; `within`
// puts the enclosing key in front.
#pragma once

#include "bt/Object/Json.h"

#include <string>
#include <vector>

namespace bt::obj::json_read {


inline std::string joinPath(const std::string &outer, const std::string &inner) {
  if (inner.empty())
    return outer;
  if (outer.empty() || inner.front() == '[')
    return outer + inner;
  return outer + "." + inner;
}

/// "'key' <what>", with the key's path completed by the enclosing readers.
[[noreturn]] inline void fail(const std::string &key, const std::string &what) {
  throw SchemaError("'", key, "' " + what);
}

/// Runs `read` for the value under `segment` ("globals", "[3]"): its errors name it.
template <typename F> auto within(const std::string &segment, F read) {
  try {
    return read();
  } catch (SchemaError &e) {
    e.nest(segment);
    throw;
  }
}

inline void requireObject(const Json &j) {
  if (!j.is_object())
    fail("", "must be an object");
}

/// A key's value; a missing key and null are the same.
inline const Json *find(const Json &o, const char *key, bool required) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) {
    if (required)
      throw SchemaError("missing required key '", key, "'");
    return nullptr;
  }
  return &*it;
}

inline bool has(const Json &o, const char *key) { return find(o, key, false) != nullptr; }

/// C0 controls, DEL and C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F).
inline bool hasControl(const std::string &s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f)
      return true;
    if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9f)
      return true;
  }
  return false;
}

enum class Text { Name, Free };

/// A string value. Names, paths and the like end up in btrun's one-line messages and
/// output, so they may not hold control characters; only the few values that are text
/// (the source, printf, time and strftime formats) are read as Text::Free.
inline std::string str(const Json &o, const char *key, bool required, std::string def = {},
                Text text = Text::Name) {
  const Json *j = find(o, key, required);
  if (!j)
    return def;
  if (!j->is_string())
    fail(key, "must be a string");
  std::string v = j->get<std::string>();
  if (text == Text::Name && hasControl(v))
    fail(key, "contains a control character");
  return v;
}

inline int64_t integer(const Json &o, const char *key, bool required, int64_t def = 0) {
  const Json *j = find(o, key, required);
  if (!j)
    return def;
  if (!j->is_number_integer())
    fail(key, "must be an integer");
  if (j->is_number_unsigned())
    return static_cast<int64_t>(j->get<uint64_t>());
  return j->get<int64_t>();
}

inline uint64_t unsignedInt(const Json &o, const char *key, bool required, uint64_t def = 0) {
  const Json *j = find(o, key, required);
  if (!j)
    return def;
  if (!j->is_number_integer() || (!j->is_number_unsigned() && j->get<int64_t>() < 0))
    fail(key, "must be a non-negative integer");
  return j->get<uint64_t>();
}

inline bool boolean(const Json &o, const char *key, bool required, bool def) {
  const Json *j = find(o, key, required);
  if (!j)
    return def;
  if (!j->is_boolean())
    fail(key, "must be a boolean");
  return j->get<bool>();
}

inline const Json *array(const Json &o, const char *key, bool required) {
  const Json *j = find(o, key, required);
  if (j && !j->is_array())
    fail(key, "must be an array");
  return j;
}

inline const Json *object(const Json &o, const char *key, bool required) {
  const Json *j = find(o, key, required);
  if (j)
    within(key, [&] { requireObject(*j); });
  return j;
}

/// Each element of array `key`, read by `read(element, index)`.
template <typename T, typename F>
std::vector<T> elements(const Json &o, const char *key, bool required, F read) {
  std::vector<T> out;
  if (const Json *a = array(o, key, required))
    within(key, [&] {
      for (size_t i = 0; i < a->size(); ++i)
        out.push_back(within("[" + std::to_string(i) + "]", [&] { return read((*a)[i], i); }));
    });
  return out;
}

inline std::vector<std::string> strings(const Json &o, const char *key, bool required) {
  return elements<std::string>(o, key, required, [](const Json &e, size_t) {
    if (!e.is_string())
      fail("", "must be a string");
    if (hasControl(e.get_ref<const std::string &>()))
      fail("", "contains a control character");
    return e.get<std::string>();
  });
}

/// A value of one of the schema's enums.
template <typename E> E enumValue(const std::string &key, const std::string &text) {
  auto v = fromString<E>(text);
  if (!v)
    fail(key, "has unknown value '" + text + "' (expected " + expectedValues<E>() + ")");
  return *v;
}

template <typename E> std::vector<E> enumValues(const Json &o, const char *key, bool required) {
  std::vector<E> out;
  std::vector<std::string> texts = strings(o, key, required);
  for (size_t i = 0; i < texts.size(); ++i)
    out.push_back(enumValue<E>(std::string(key) + "[" + std::to_string(i) + "]", texts[i]));
  return out;
}

inline bool isLowerHex(const std::string &s, size_t size) {
  return s.size() == size && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}


} // namespace bt::obj::json_read
