/* The C surface sbtrfs needs: libbtrfsutil, the btrfs uapi headers, and the
 * ioctl request numbers, which are function-like macros Swift cannot import. */
#ifndef SBTRFS_SHIM_H
#define SBTRFS_SHIM_H

#include <btrfsutil.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <sys/xattr.h>

static const unsigned long SB_IOC_SNAP_CREATE = BTRFS_IOC_SNAP_CREATE;
static const unsigned long SB_IOC_DEFRAG = BTRFS_IOC_DEFRAG;
static const unsigned long SB_IOC_RESIZE = BTRFS_IOC_RESIZE;
static const unsigned long SB_IOC_SCAN_DEV = BTRFS_IOC_SCAN_DEV;
static const unsigned long SB_IOC_FORGET_DEV = BTRFS_IOC_FORGET_DEV;
static const unsigned long SB_IOC_TRANS_START = BTRFS_IOC_TRANS_START;
static const unsigned long SB_IOC_TRANS_END = BTRFS_IOC_TRANS_END;
static const unsigned long SB_IOC_SYNC = BTRFS_IOC_SYNC;
static const unsigned long SB_IOC_CLONE = BTRFS_IOC_CLONE;
static const unsigned long SB_IOC_ADD_DEV = BTRFS_IOC_ADD_DEV;
static const unsigned long SB_IOC_RM_DEV = BTRFS_IOC_RM_DEV;
static const unsigned long SB_IOC_BALANCE = BTRFS_IOC_BALANCE;
static const unsigned long SB_IOC_CLONE_RANGE = BTRFS_IOC_CLONE_RANGE;
static const unsigned long SB_IOC_SUBVOL_CREATE = BTRFS_IOC_SUBVOL_CREATE;
static const unsigned long SB_IOC_SNAP_DESTROY = BTRFS_IOC_SNAP_DESTROY;
static const unsigned long SB_IOC_DEFRAG_RANGE = BTRFS_IOC_DEFRAG_RANGE;
static const unsigned long SB_IOC_TREE_SEARCH = BTRFS_IOC_TREE_SEARCH;
static const unsigned long SB_IOC_TREE_SEARCH_V2 = BTRFS_IOC_TREE_SEARCH_V2;
static const unsigned long SB_IOC_INO_LOOKUP = BTRFS_IOC_INO_LOOKUP;
static const unsigned long SB_IOC_DEFAULT_SUBVOL = BTRFS_IOC_DEFAULT_SUBVOL;
static const unsigned long SB_IOC_SPACE_INFO = BTRFS_IOC_SPACE_INFO;
static const unsigned long SB_IOC_START_SYNC = BTRFS_IOC_START_SYNC;
static const unsigned long SB_IOC_WAIT_SYNC = BTRFS_IOC_WAIT_SYNC;
static const unsigned long SB_IOC_SNAP_CREATE_V2 = BTRFS_IOC_SNAP_CREATE_V2;
static const unsigned long SB_IOC_SUBVOL_CREATE_V2 = BTRFS_IOC_SUBVOL_CREATE_V2;
static const unsigned long SB_IOC_SUBVOL_GETFLAGS = BTRFS_IOC_SUBVOL_GETFLAGS;
static const unsigned long SB_IOC_SUBVOL_SETFLAGS = BTRFS_IOC_SUBVOL_SETFLAGS;
static const unsigned long SB_IOC_SCRUB = BTRFS_IOC_SCRUB;
static const unsigned long SB_IOC_SCRUB_CANCEL = BTRFS_IOC_SCRUB_CANCEL;
static const unsigned long SB_IOC_SCRUB_PROGRESS = BTRFS_IOC_SCRUB_PROGRESS;
static const unsigned long SB_IOC_DEV_INFO = BTRFS_IOC_DEV_INFO;
static const unsigned long SB_IOC_FS_INFO = BTRFS_IOC_FS_INFO;
static const unsigned long SB_IOC_BALANCE_V2 = BTRFS_IOC_BALANCE_V2;
static const unsigned long SB_IOC_BALANCE_CTL = BTRFS_IOC_BALANCE_CTL;
static const unsigned long SB_IOC_BALANCE_PROGRESS = BTRFS_IOC_BALANCE_PROGRESS;
static const unsigned long SB_IOC_INO_PATHS = BTRFS_IOC_INO_PATHS;
static const unsigned long SB_IOC_LOGICAL_INO = BTRFS_IOC_LOGICAL_INO;
static const unsigned long SB_IOC_SET_RECEIVED_SUBVOL = BTRFS_IOC_SET_RECEIVED_SUBVOL;
static const unsigned long SB_IOC_SEND = BTRFS_IOC_SEND;
static const unsigned long SB_IOC_DEVICES_READY = BTRFS_IOC_DEVICES_READY;
static const unsigned long SB_IOC_QUOTA_CTL = BTRFS_IOC_QUOTA_CTL;
static const unsigned long SB_IOC_QGROUP_ASSIGN = BTRFS_IOC_QGROUP_ASSIGN;
static const unsigned long SB_IOC_QGROUP_CREATE = BTRFS_IOC_QGROUP_CREATE;
static const unsigned long SB_IOC_QGROUP_LIMIT = BTRFS_IOC_QGROUP_LIMIT;
static const unsigned long SB_IOC_QUOTA_RESCAN = BTRFS_IOC_QUOTA_RESCAN;
static const unsigned long SB_IOC_QUOTA_RESCAN_STATUS = BTRFS_IOC_QUOTA_RESCAN_STATUS;
static const unsigned long SB_IOC_QUOTA_RESCAN_WAIT = BTRFS_IOC_QUOTA_RESCAN_WAIT;
static const unsigned long SB_IOC_GET_FSLABEL = BTRFS_IOC_GET_FSLABEL;
static const unsigned long SB_IOC_SET_FSLABEL = BTRFS_IOC_SET_FSLABEL;
static const unsigned long SB_IOC_GET_DEV_STATS = BTRFS_IOC_GET_DEV_STATS;
static const unsigned long SB_IOC_DEV_REPLACE = BTRFS_IOC_DEV_REPLACE;
static const unsigned long SB_IOC_FILE_EXTENT_SAME = BTRFS_IOC_FILE_EXTENT_SAME;
static const unsigned long SB_IOC_GET_FEATURES = BTRFS_IOC_GET_FEATURES;
static const unsigned long SB_IOC_SET_FEATURES = BTRFS_IOC_SET_FEATURES;
static const unsigned long SB_IOC_GET_SUPPORTED_FEATURES = BTRFS_IOC_GET_SUPPORTED_FEATURES;
static const unsigned long SB_IOC_RM_DEV_V2 = BTRFS_IOC_RM_DEV_V2;
static const unsigned long SB_IOC_LOGICAL_INO_V2 = BTRFS_IOC_LOGICAL_INO_V2;
static const unsigned long SB_IOC_GET_SUBVOL_INFO = BTRFS_IOC_GET_SUBVOL_INFO;
static const unsigned long SB_IOC_GET_SUBVOL_ROOTREF = BTRFS_IOC_GET_SUBVOL_ROOTREF;
static const unsigned long SB_IOC_INO_LOOKUP_USER = BTRFS_IOC_INO_LOOKUP_USER;
static const unsigned long SB_IOC_SNAP_DESTROY_V2 = BTRFS_IOC_SNAP_DESTROY_V2;
static const unsigned long SB_IOC_ENCODED_READ = BTRFS_IOC_ENCODED_READ;
static const unsigned long SB_IOC_ENCODED_WRITE = BTRFS_IOC_ENCODED_WRITE;
static const unsigned long SB_FS_IOC_GETFLAGS = FS_IOC_GETFLAGS;
static const unsigned long SB_FS_IOC_SETFLAGS = FS_IOC_SETFLAGS;
static const unsigned long SB_FS_IOC_GETFSLABEL = FS_IOC_GETFSLABEL;
static const unsigned long SB_FIDEDUPERANGE = FIDEDUPERANGE;

/* syscall is variadic too: ioprio_set (no glibc wrapper) through a fixed signature. */
#include <sys/syscall.h>
#include <unistd.h>
static inline int sb_ioprio_set(int which, int who, int ioprio) {
    return (int)syscall(SYS_ioprio_set, which, who, ioprio);
}

/* send's pipe: splice, pipe2 and F_SETPIPE_SZ are GNU extensions the Glibc module leaves out. */
static const int SB_O_NOATIME = 01000000;             /* O_NOATIME, GNU too */
static const unsigned int SB_SPLICE_F_MORE = 4;      /* SPLICE_F_MORE */
static const int SB_F_SETPIPE_SZ = 1024 + 7;          /* F_LINUX_SPECIFIC_BASE + 7 (<linux/fcntl.h> clashes with glibc's) */
static inline long sb_splice(int fd_in, int fd_out, unsigned long length, unsigned int flags) {
    return syscall(SYS_splice, fd_in, (void *)0, fd_out, (void *)0, length, flags);
}
static inline int sb_pipe2(int fds[2], int flags) {
    return (int)syscall(SYS_pipe2, fds, flags);
}
static inline int sb_fcntl_int(int fd, int command, int value) {
    return (int)syscall(SYS_fcntl, fd, command, value);
}

/* ioctl is variadic, which Swift cannot call; this is its one fixed-signature door. */
static inline int sb_ioctl(int fd, unsigned long request, void *arg) {
    return ioctl(fd, request, arg);
}

/* openat2 has no glibc wrapper: receive resolves every stream path with RESOLVE_BENEATH so no
 * name in a send stream reaches outside the subvolume being received. */
#include <linux/openat2.h>
static inline int sb_openat2(int dirfd, const char *path, int flags, unsigned long long resolve) {
    struct open_how how = { .flags = (unsigned long long)flags, .mode = 0, .resolve = resolve };
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* fallocate needs _GNU_SOURCE, which Swift's Glibc does not define. */
#include <fcntl.h>
int fallocate(int fd, int mode, off_t offset, off_t len);
static inline int sb_fallocate(int fd, int mode, long long offset, long long len) {
    return fallocate(fd, mode, (off_t)offset, (off_t)len);
}

#include <linux/fsverity.h>
static const unsigned long SB_FS_IOC_ENABLE_VERITY = FS_IOC_ENABLE_VERITY;

#endif
