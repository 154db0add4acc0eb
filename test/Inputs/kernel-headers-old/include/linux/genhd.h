#ifndef BTC_TEST_GENHD_H
#define BTC_TEST_GENHD_H

#define DISK_NAME_LEN 32

/* disk_name at 0x14, where no kernel has it: a read at another offset is wrong. */
struct gendisk {
  int major;
  int first_minor;
  int minors;
  long pad;
  char disk_name[DISK_NAME_LEN];
} __attribute__((packed));

#endif
