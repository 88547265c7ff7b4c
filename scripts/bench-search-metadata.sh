#!/bin/bash
# Benchmark of `sbtrfs inspect-internal search-metadata` against python-btrfs's btrfs-search-metadata
# and `btrfs inspect-internal dump-tree` on a filesystem of 200,000 small files (one 4 KiB data
# extent each: ~208,000 extent tree items, ~415,000 lines of short output). Needs root, hyperfine.
# usage: scripts/bench-search-metadata.sh [path/to/release/sbtrfs] [files]
set -eu
SBTRFS=${1:-.build/release/sbtrfs}
FILES=${2:-200000}
DIR=$(mktemp -d /tmp/sbtrfs-bench.XXXXXX)
IMG=$DIR/fs.img
MNT=$DIR/mnt
cleanup() { umount "$MNT" 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT
truncate -s 3G "$IMG"
mkfs.btrfs -q -f "$IMG" >/dev/null
mkdir "$MNT"
mount -o loop,max_inline=0 "$IMG" "$MNT"
/usr/bin/python3 -c "
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for d in range((n + 999) // 1000):
    p = os.path.join(root, 'd%03d' % d); os.mkdir(p)
    for i in range(min(1000, n - d * 1000)):
        with open(os.path.join(p, 'f%04d' % i), 'wb') as f: f.write(b'0123456789')
" "$MNT" "$FILES"
sync
DEV=$(findmnt -n -o SOURCE "$MNT")
echo "extent tree items: $("$SBTRFS" inspect-internal search-metadata --format keys dump -t extent "$MNT" | wc -l)"
echo "short output lines: $("$SBTRFS" inspect-internal search-metadata dump -t extent "$MNT" | wc -l)"
"$SBTRFS" inspect-internal search-metadata dump -t extent "$MNT" | cmp - <(btrfs-search-metadata dump -t extent "$MNT") 2>/dev/null \
    && echo "short output identical to python-btrfs" || true
hyperfine -N --warmup 3 -r 20 --output=null \
    "$SBTRFS inspect-internal search-metadata dump -t extent $MNT" \
    "btrfs inspect-internal dump-tree -t extent $DEV"
hyperfine -N -r 3 --output=null "btrfs-search-metadata dump -t extent $MNT"
hyperfine -N --warmup 1 -r 5 --output=null "$SBTRFS inspect-internal search-metadata --format long dump -t 5 $MNT"
hyperfine -N -r 1 --output=null "btrfs-search-metadata --format long dump -t 5 $MNT"
