// The image's single layer: one file in a ustar archive, gzip-compressed.
#ifndef BT_OCI_TAR_H
#define BT_OCI_TAR_H

#include <cstdint>
#include <string>
#include <vector>

namespace bt::oci {

/// A ustar archive of one regular file (mode 0644, owner 0:0, no user or group name,
/// mtime `mtime`): the same input gives the same bytes. Returns "" or an error.
std::string writeTar(const std::string &name, const std::vector<uint8_t> &data, int64_t mtime,
                     std::vector<uint8_t> &tar);

/// gzip without a file name and with mtime 0 (zlib's own header): reproducible.
std::string gzip(const std::vector<uint8_t> &in, std::vector<uint8_t> &out);

/// The one regular file of a gzip-compressed tar archive; anything else in it (a second
/// file, a directory, a link) is an error. Returns "" or an error.
std::string readSingleFileTarGz(const std::vector<uint8_t> &tgz, std::string &name,
                                std::vector<uint8_t> &data);

} // namespace bt::oci

#endif
