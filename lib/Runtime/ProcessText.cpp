#include "ProcessText.h"

#include <cstdio>
#include <pwd.h>

namespace bt::rt {

std::string userName(uint32_t uid) {
  FILE *f = std::fopen("/etc/passwd", "re");
  if (!f)
    return "";
  std::string name;
  struct passwd entry, *found = nullptr;
  char buf[4096];
  while (fgetpwent_r(f, &entry, buf, sizeof buf, &found) == 0 && found) {
    if (found->pw_uid == uid) {
      name = found->pw_name;
      break;
    }
  }
  std::fclose(f);
  return name;
}

} // namespace bt::rt
