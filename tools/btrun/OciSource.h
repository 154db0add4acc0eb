// btrun's "oci:DIR[:TAG]" objects: read from an OCI image layout and verified
// (docs/RUNTIME.md, "Objects from OCI images").
#ifndef BTRUN_OCISOURCE_H
#define BTRUN_OCISOURCE_H

#include "bt/Runtime/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bt {

/// The object of image "oci:DIR[:TAG]", every blob re-hashed and the object's and its
/// manifest's digests checked against btc's labels; the signature is checked after, by
/// the reader every object goes through (--trust).
rt::Result<std::vector<uint8_t>> readOciObject(const std::string &name);

} // namespace bt

#endif
