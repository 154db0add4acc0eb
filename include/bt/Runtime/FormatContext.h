// What printing a value takes besides its field and bytes: the object's string settings,
// from the manifest the printer holds, and the run host's text for host values. Passed to
// every formatting function, so that two objects printed in one process print each with
// its own settings (no process-wide state).
#ifndef BT_RUNTIME_FORMATCONTEXT_H
#define BT_RUNTIME_FORMATCONTEXT_H

#include "bt/Runtime/Manifest.h"

#include <cstdint>
#include <optional>
#include <string>

namespace bt::rt {

struct FormatContext {
  /// max_strlen: the size of the strings str() and args' strings read.
  uint64_t strlen = 0;
  /// str_trunc_trailer: follows a string that fills its `strlen` bytes up to the NUL in
  /// the last byte, most likely read truncated (nothing when empty).
  std::string trailer;
  /// The text of kstack, ksym, strftime, ... values; without it they print as "".
  const FieldText *hostText = nullptr;

  /// The settings of the object whose manifest is `m`.
  static FormatContext of(const Manifest &m, const FieldText *hostText = nullptr);

  /// A host-text field's text (`indent`: a stack's frames' indentation), or "".
  std::string hostValue(const Field &f, const uint8_t *base, unsigned indent) const;
};

/// Host text that needs nothing but the value's bytes and the manifest: ntop's address,
/// a buffer, a syscall's name (btc's table). Printers without the run host's tables
/// (the metrics scrape) can print these; the others need stacks, symbols, users,
/// cgroups, the clock or strerror.
bool isValueOnlyText(FieldType t);
/// Such a field's text (`m`: the manifest of the object that sent it); nullopt for the
/// other field types.
std::optional<std::string> valueOnlyText(const Field &f, const uint8_t *base, const Manifest &m);

/// A string field as btrun prints it outside printf: readString, then the trailer when
/// the field is `strlen` bytes and the text fills it.
std::string displayString(const Field &f, const uint8_t *base, const FormatContext &ctx);

} // namespace bt::rt

#endif
