/* The kernel floor of a tree dump: walk one tree with TREE_SEARCH_V2 and do nothing with the
 * items but count them. No user-space code that prints the items can be faster than this, so
 * the bench quotes it beside each dump (and its system time is the kernel's share of any dump).
 * Usage: treewalk <tree id> <path> [buffer KiB, default 64]. Built by bench.py with cc -O2. */
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: treewalk <tree id> <path> [buffer KiB]\n");
		return 1;
	}
	uint64_t tree = strtoull(argv[1], NULL, 0);
	size_t size = (argc > 3 ? strtoull(argv[3], NULL, 0) : 64) * 1024;
	int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	struct btrfs_ioctl_search_args_v2 *args = malloc(sizeof(*args) + size);
	if (fd < 0 || args == NULL) {
		perror(argv[2]);
		return 1;
	}
	memset(args, 0, sizeof(*args));
	struct btrfs_ioctl_search_key *sk = &args->key;
	sk->tree_id = tree;
	sk->max_objectid = sk->max_offset = sk->max_transid = UINT64_MAX;
	sk->max_type = 255;
	uint64_t items = 0;
	for (;;) {
		sk->nr_items = UINT32_MAX;
		args->buf_size = size;
		if (ioctl(fd, BTRFS_IOC_TREE_SEARCH_V2, args) < 0) {
			perror("TREE_SEARCH_V2");
			return 1;
		}
		if (sk->nr_items == 0)
			break;
		struct btrfs_ioctl_search_header h;
		size_t off = 0;
		for (uint32_t i = 0; i < sk->nr_items; i++) {
			memcpy(&h, args->buf + off, sizeof(h));
			off += sizeof(h) + h.len;
		}
		items += sk->nr_items;
		/* Next key after the last one, with carry: offset, then type, then objectid. */
		sk->min_objectid = h.objectid;
		sk->min_type = h.type;
		sk->min_offset = h.offset;
		if (sk->min_offset++ == UINT64_MAX) {
			sk->min_offset = 0;
			if (sk->min_type++ == 255) {
				sk->min_type = 0;
				if (sk->min_objectid++ == UINT64_MAX)
					break;
			}
		}
	}
	printf("%llu items\n", (unsigned long long)items);
	return 0;
}
