/* libblkid, as btrfs-progs probes a device before it adds it to a filesystem (check_overwrite)
 * and enumerates btrfs devices for `device scan`. The release build links libblkid.a. */
#ifndef SBTRFS_BLKID_SHIM_H
#define SBTRFS_BLKID_SHIM_H
#include <blkid.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

static const unsigned long SB_BLKGETSIZE64 = BLKGETSIZE64;
static const unsigned long SB_BLKDISCARD = BLKDISCARD;

/* ioctl is variadic: the block-device calls go through this fixed signature. */
static inline int sb_blk_ioctl(int fd, unsigned long request, void *arg) {
    return ioctl(fd, request, arg);
}
#endif
