// What a script asks btrun to do on the host when an event arrives: cat() reads a
// file, system() runs a command (an unsafe function: btrun runs the object only with
// --unsafe). bpftrace does both in user space as it reads the event; so does btrun.
#include "bt/Runtime/EventLoop.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace bt::rt {

std::string catFile(const std::string &path, size_t maxBytes) {
  // bpftrace 0.17's words on stderr, "ERROR: failed to open file 'PATH': REASON", for a
  // file it cannot open or read (a directory opens but fails its first read: EISDIR);
  // the output gets nothing, as bpftrace's.
  auto failed = [&](int err) {
    std::fprintf(stderr, "ERROR: failed to open file '%s': %s\n", path.c_str(),
                 std::strerror(err));
    return std::string();
  };
  std::FILE *f = std::fopen(path.c_str(), "r");
  if (!f)
    return failed(errno);
  std::string text(maxBytes, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), f));
  int readError = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (readError && text.empty())
    return failed(readError);
  return text;
}

std::string runCommand(const std::string &command) {
  std::fflush(nullptr);
  std::FILE *p = ::popen(command.c_str(), "r");
  if (!p) {
    std::fprintf(stderr, "btrun: failed to run '%s': %s\n", command.c_str(), std::strerror(errno));
    return {};
  }
  std::string text;
  char chunk[4096];
  for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, p)) > 0;)
    text.append(chunk, n);
  ::pclose(p);
  return text;
}

} // namespace bt::rt
