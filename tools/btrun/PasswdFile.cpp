// btrun-static's user look-ups read /etc/passwd and nothing else, as btrun's user names
// do (lib/Runtime/ProcessText.cpp). The only caller is glibc's wordexp (-c's ~ and
// ~user); without these, a static link carries glibc's whole name service switch (its
// nsswitch.conf reader, DNS resolver and nscd client: 90 KB, docs/FLEET.md, "Small
// runner") for services a FROM scratch image does not have. tools/btrun/CMakeLists.txt
// links them with --wrap=__getpwnam_r,--wrap=__getpwuid_r: glibc's internal names for
// getpwnam_r and getpwuid_r, which wordexp calls.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <pwd.h>

namespace {

/// getpwnam_r's contract: 0 and *result set when found, 0 and *result null when not,
/// an errno value (ERANGE: a bigger buffer, which wordexp retries with) otherwise.
template <typename Match>
int findInPasswd(Match match, passwd *entry, char *buf, size_t len, passwd **result) {
  *result = nullptr;
  FILE *f = std::fopen("/etc/passwd", "re");
  if (!f)
    return errno == ENOENT ? 0 : errno;
  int err;
  while ((err = fgetpwent_r(f, entry, buf, len, result)) == 0 && !match(**result)) {
  }
  std::fclose(f);
  if (err != 0)
    *result = nullptr;
  return err == ENOENT ? 0 : err;
}

} // namespace

extern "C" int __wrap___getpwnam_r(const char *name, passwd *entry, char *buf, size_t len,
                                   passwd **result) {
  return findInPasswd([name](const passwd &p) { return std::strcmp(p.pw_name, name) == 0; },
                      entry, buf, len, result);
}

extern "C" int __wrap___getpwuid_r(uid_t uid, passwd *entry, char *buf, size_t len,
                                   passwd **result) {
  return findInPasswd([uid](const passwd &p) { return p.pw_uid == uid; }, entry, buf, len,
                      result);
}
