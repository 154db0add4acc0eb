// The integrity block's keys and placeholders (docs/OBJECT.md, integrity).
#include "bt/Object/Integrity.h"

#include <sha2.h>

#include <algorithm>
#include <map>

namespace bt::obj {

std::vector<std::string> sectionDigestKeys(const std::vector<SectionName> &sections) {
  auto digested = [](const SectionName &s) { return s.index != 0 && s.name != kManifestSection; };
  std::map<std::string, size_t> holders;
  for (const auto &s : sections)
    if (digested(s))
      ++holders[s.name];
  std::vector<std::string> keys;
  for (const auto &s : sections) {
    if (!digested(s))
      keys.emplace_back();
    else if (holders[s.name] > 1)
      keys.push_back(s.name + "#" + std::to_string(s.index));
    else
      keys.push_back(s.name);
  }
  return keys;
}

void setIntegrityPlaceholders(Integrity &integrity, bool signedObject) {
  integrity.fileSha256.assign(kFileDigestHexSize, '0');
  integrity.signatureHex = signedObject ? std::string(kSignatureHexSize, '0') : std::string();
}

bool zeroHexValue(std::vector<uint8_t> &file, size_t begin, size_t end, std::string_view hex) {
  if (hex.empty())
    return true;
  if (begin > end || end > file.size())
    return false;
  auto from = file.begin() + begin, to = file.begin() + end;
  auto at = std::search(from, to, hex.begin(), hex.end());
  if (at == to)
    return false;
  std::fill(at, at + hex.size(), '0');
  return true;
}

std::optional<size_t> placeholderOffset(std::string_view manifest, std::string_view key,
                                        size_t hexSize) {
  std::string placeholder = "\"" + std::string(key) + "\":\"" + std::string(hexSize, '0') + "\"";
  size_t at = manifest.find(placeholder);
  if (at == std::string_view::npos)
    return std::nullopt;
  return at + key.size() + 4; // past "key":"
}

std::string sha256Hex(const uint8_t *data, size_t size) {
  // libmd, not OpenSSL: OpenSSL 3 initialises the whole library for a one-shot SHA256(),
  // about 15 % of btrun's start-up (bench/ANALYSIS.md, figure 1).
  SHA2_CTX ctx;
  SHA256Init(&ctx);
  SHA256Update(&ctx, data, size);
  uint8_t md[SHA256_DIGEST_LENGTH];
  SHA256Final(md, &ctx);
  return toHex(md, SHA256_DIGEST_LENGTH);
}

std::string toHex(const uint8_t *data, size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 15]);
  }
  return out;
}

std::vector<uint8_t> fromHex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0)
      break;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

std::string_view manifestText(std::string_view section) {
  size_t end = section.find_last_not_of(std::string_view(" \0\n\t\r", 5));
  return end == std::string_view::npos ? std::string_view() : section.substr(0, end + 1);
}

} // namespace bt::obj
