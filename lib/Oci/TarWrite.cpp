// Writing the layer: kept apart from reading, which btrun links alone.
#include "Tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <memory>

namespace bt::oci {
namespace {

struct ArchiveCloser {
  void operator()(archive *a) const { archive_free(a); }
};
struct EntryCloser {
  void operator()(archive_entry *e) const { archive_entry_free(e); }
};

la_ssize_t appendTo(archive *, void *client, const void *buf, size_t n) {
  auto *out = static_cast<std::vector<uint8_t> *>(client);
  out->insert(out->end(), static_cast<const uint8_t *>(buf), static_cast<const uint8_t *>(buf) + n);
  return static_cast<la_ssize_t>(n);
}

std::string archiveError(archive *a) {
  const char *m = archive_error_string(a);
  return m ? m : "libarchive failed";
}

} // namespace

std::string writeTar(const std::string &name, const std::vector<uint8_t> &data, int64_t mtime,
                     std::vector<uint8_t> &tar) {
  std::unique_ptr<archive, ArchiveCloser> a(archive_write_new());
  std::unique_ptr<archive_entry, EntryCloser> e(archive_entry_new());
  tar.clear();
  // No padding to a 10 KiB record: the archive ends after its two zero blocks.
  if (archive_write_set_format_ustar(a.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
      archive_write_open(a.get(), &tar, nullptr, appendTo, nullptr) != ARCHIVE_OK)
    return archiveError(a.get());
  archive_entry_set_pathname(e.get(), name.c_str());
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), 0644);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
  archive_entry_set_mtime(e.get(), mtime, 0);
  archive_entry_set_uid(e.get(), 0);
  archive_entry_set_gid(e.get(), 0);
  if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK ||
      archive_write_data(a.get(), data.data(), data.size()) != static_cast<la_ssize_t>(data.size()) ||
      archive_write_close(a.get()) != ARCHIVE_OK)
    return archiveError(a.get());
  return "";
}

std::string gzip(const std::vector<uint8_t> &in, std::vector<uint8_t> &out) {
  z_stream s{};
  // windowBits 15 + 16: a gzip wrapper; zlib writes mtime 0 and no name.
  if (deflateInit2(&s, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return "zlib: deflateInit2 failed";
  out.resize(deflateBound(&s, in.size()) + 32);
  s.next_in = const_cast<Bytef *>(in.data());
  s.avail_in = static_cast<uInt>(in.size());
  s.next_out = out.data();
  s.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&s, Z_FINISH);
  out.resize(s.total_out);
  deflateEnd(&s);
  return rc == Z_STREAM_END ? "" : "zlib: deflate failed";
}

} // namespace bt::oci
