#ifndef SBTRFS_CSTARTUP_H
#define SBTRFS_CSTARTUP_H

/// argc as the C entry point received it, or -1 where it could not be captured (not glibc).
int sb_startup_argc(void);
/// argv as the C entry point received it (NULL-terminated), or NULL where it could not be captured.
char *const *sb_startup_argv(void);

#endif
