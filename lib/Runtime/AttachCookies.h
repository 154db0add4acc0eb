// BPF attach cookies (bpf_get_attach_cookie, Linux 5.15): how a usdt program finds its
// site's argument spec and a shared program tells its attach points apart. Private to
// lib/Runtime.
#ifndef BT_RUNTIME_ATTACHCOOKIES_H
#define BT_RUNTIME_ATTACHCOOKIES_H

#include "bt/Runtime/Manifest.h"
#include "bt/Runtime/Result.h"

struct bpf_object;

namespace bt::rt {

// On a kernel without attach cookies (or with BT_TEST_NO_ATTACH_COOKIES set, for tests),
// one message per probe whose program (of those `obj` loads) reads its cookie, naming
// the probe and why it needs one; ok otherwise.
Status checkAttachCookies(bpf_object *obj, const Manifest &manifest);

} // namespace bt::rt

#endif
