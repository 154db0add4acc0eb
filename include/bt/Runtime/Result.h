// Errors as values at the lib/Runtime boundary: no exception leaves the library.
#ifndef BT_RUNTIME_RESULT_H
#define BT_RUNTIME_RESULT_H

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace bt::rt {

/// One or more failures. Each message is one line, already naming the file or the
/// probe it is about; `details` are context lines (e.g. verifier log) shown after them.
struct Error {
  std::vector<std::string> messages;
  std::vector<std::string> details;
  int exitCode = 1;

  Error() = default;
  explicit Error(std::string message, int code = 1) : exitCode(code) {
    messages.push_back(std::move(message));
  }
  /// The first message (most errors have exactly one).
  const std::string &message() const {
    static const std::string empty;
    return messages.empty() ? empty : messages.front();
  }
  /// Prefix every message with `prefix` (e.g. "file.bto: ").
  Error &prefix(const std::string &prefix) {
    for (auto &m : messages) m = prefix + m;
    return *this;
  }
};

template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T &value() & { return std::get<0>(v_); }
  const T &value() const & { return std::get<0>(v_); }
  T &&value() && { return std::get<0>(std::move(v_)); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

  const Error &error() const & { return std::get<1>(v_); }
  Error &&error() && { return std::get<1>(std::move(v_)); }

private:
  std::variant<T, Error> v_;
};

template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : err_(std::move(error)) {}

  bool ok() const { return !err_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error &error() const & { return *err_; }
  Error &&error() && { return std::move(*err_); }

private:
  std::optional<Error> err_;
};

using Status = Result<void>;

} // namespace bt::rt

#endif
