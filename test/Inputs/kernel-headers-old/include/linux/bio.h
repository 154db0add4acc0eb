#ifndef BTC_TEST_BIO_H
#define BTC_TEST_BIO_H

#include <linux/genhd.h>

/* bi_disk at 0x28. */
struct bio {
  struct bio *bi_next;
  unsigned int bi_opf;
  unsigned short bi_flags;
  char pad[26];
  struct gendisk *bi_disk;
};

#endif
