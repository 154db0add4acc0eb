// Built for size (lib/Runtime/CMakeLists.txt): it runs only when a -k object's helper
// call fails.
#include "LocatedWarning.h"
#include "JsonLine.h"

#include <nlohmann/json.hpp>

namespace bt::rt {

namespace {

// Line `line` (1-based) of `text` without its newline; "" past the end.
std::string lineOf(const std::string &text, int line) {
  size_t begin = 0;
  for (int n = 1; n < line && begin != std::string::npos; ++n) {
    begin = text.find('\n', begin);
    begin = begin == std::string::npos ? begin : begin + 1;
  }
  if (begin == std::string::npos || begin >= text.size())
    return "";
  return text.substr(begin, text.find('\n', begin) - begin);
}

} // namespace

// A tab shows as four spaces (or four marks). A line of the script is read from the
// manifest's source text; one of an imported file, whose text is not in the manifest,
// from the event (btc writes it there); an event without it (an older btc's) prints no
// line, as 0.17 leaves out a line it cannot find.
std::string locatedWarning(const Manifest &m, const EventSpec &e, const std::string &message) {
  std::string where = m.sourceName(e.file) + ":" + std::to_string(e.line);
  if (e.endLine > e.line)
    return where + "-" + std::to_string(e.endLine) + ": WARNING: " + message + "\n";
  if (!e.endCol) // an object from a btc that did not record the range
    return where + ":" + std::to_string(e.col) + ": WARNING: " + message + "\n";
  std::string text = where + ":" + std::to_string(e.col) + "-" + std::to_string(e.endCol) +
                     ": WARNING: " + message + "\n";
  if (e.line < 1)
    return text;
  std::string line = e.file == 0 ? lineOf(m.source.text, e.line) : e.lineText;
  if (line.empty())
    return text;
  std::string marks;
  for (size_t x = 0; x < line.size(); ++x) {
    char mark = x + 1 < size_t(e.col) ? ' ' : '~';
    if (x + 1 < size_t(e.endCol))
      marks += line[x] == '\t' ? std::string(4, mark) : std::string(1, mark);
    text += line[x] == '\t' ? std::string(4, ' ') : std::string(1, line[x]);
  }
  return text + "\n" + marks + "\n";
}

std::string helperErrorJson(const std::string &helper, int64_t rc, int line, int col) {
  return jsonLine({{"type", "helper_error"},
                   {"helper", helper},
                   {"retcode", rc},
                   {"line", line},
                   {"col", col}});
}

} // namespace bt::rt
