// A struct bio as Linux has it since 5.12: the disk is reached through bi_bdev, and
// bi_disk is gone. Encoded at test time by make-btf.sh.
struct gendisk {
  int major;
  char disk_name[32];
};
struct block_device {
  long bd_start_sect;
  struct gendisk *bd_disk;
};
struct bio {
  struct bio *bi_next;
  struct block_device *bi_bdev;
};
struct bio current_bio;
int md_flush_request(void *mddev, struct bio *bio) { return bio != 0; }
