#include "Tar.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace bt::oci {
namespace {

struct ArchiveCloser {
  void operator()(archive *a) const { archive_free(a); }
};

std::string archiveError(archive *a) {
  const char *m = archive_error_string(a);
  return m ? m : "libarchive failed";
}

} // namespace

std::string readSingleFileTarGz(const std::vector<uint8_t> &tgz, std::string &name,
                                std::vector<uint8_t> &data) {
  std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_memory(a.get(), tgz.data(), tgz.size()) != ARCHIVE_OK)
    return "the layer is not a gzip-compressed tar archive: " + archiveError(a.get());
  archive_entry *e = nullptr;
  size_t files = 0;
  int rc;
  while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK) {
    if (archive_entry_filetype(e) != AE_IFREG)
      return std::string("the layer holds '") + archive_entry_pathname(e) +
             "', which is not a regular file (expected one object file)";
    if (++files > 1)
      return "the layer holds more than one file (expected one object file)";
    name = archive_entry_pathname(e);
    data.clear();
    const void *buf;
    size_t size;
    la_int64_t offset;
    int r;
    while ((r = archive_read_data_block(a.get(), &buf, &size, &offset)) == ARCHIVE_OK) {
      if (static_cast<size_t>(offset) > data.size())
        data.resize(offset);
      data.insert(data.end(), static_cast<const uint8_t *>(buf), static_cast<const uint8_t *>(buf) + size);
    }
    if (r != ARCHIVE_EOF)
      return "the layer's archive is damaged: " + archiveError(a.get());
  }
  if (rc != ARCHIVE_EOF)
    return "the layer's archive is damaged: " + archiveError(a.get());
  if (files == 0)
    return "the layer holds no file (expected one object file)";
  return "";
}

} // namespace bt::oci
