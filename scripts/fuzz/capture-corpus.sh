#!/bin/sh
# Captures fuzz seeds from a real btrfs (needs root): a scratch filesystem on a loop device, as the
# test rig makes them, populated with every everyday item kind (inline, regular, compressed,
# preallocated and shared extents, xattrs, hard links, long names, subvolumes, snapshots,
# qgroups, free space tree), then .build-asan/fuzz/capture dumps its items per type and its
# search answers into CORPUS (default Fuzz/Corpus), progs' scrub status file of it is copied, and
# everything is torn down again.
# Run scripts/fuzz/build.sh first.
set -eu
cd "$(dirname "$0")/../.."
CORPUS=${CORPUS:-Fuzz/Corpus}
CAPTURE=${SCRATCH:-.build-asan}/fuzz/capture
[ -x "$CAPTURE" ] || { echo "capture-corpus: build it first: sh scripts/fuzz/build.sh" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "capture-corpus: needs root (loop devices, mount)" >&2; exit 1; }

work=$(mktemp -d /tmp/sbtrfs-fuzz-corpus.XXXXXX)
image=$work/image mnt=$work/mnt loop="" status=""
cleanup() {
    if [ -n "$status" ]; then rm -f "$status"; fi
    if mountpoint -q "$mnt" 2>/dev/null; then umount "$mnt"; fi
    if [ -n "$loop" ]; then losetup -d "$loop"; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$mnt"
truncate -s 512M "$image"
loop=$(losetup --find --show "$image")
mkfs.btrfs -q -f -L fuzz-seeds -m dup -d single "$loop"
mount -o compress=zstd "$loop" "$mnt"

btrfs quota enable "$mnt"
btrfs subvolume create "$mnt/sub" >/dev/null
btrfs qgroup create 1/100 "$mnt"
btrfs qgroup assign --no-rescan 0/256 1/100 "$mnt" 2>/dev/null || true
head -c 3000 /dev/urandom >"$mnt/sub/inline"
head -c 300000 /dev/urandom >"$mnt/sub/random"
yes compressible | head -c 400000 >"$mnt/sub/compressed"
fallocate -l 1M "$mnt/sub/prealloc"
dd if=/dev/urandom of="$mnt/sub/holes" bs=4096 count=2 seek=100 conv=notrunc status=none
ln "$mnt/sub/random" "$mnt/sub/hardlink"
ln -s random "$mnt/sub/symlink"
mkdir -p "$mnt/sub/dir/deeper"
touch "$mnt/sub/dir/$(printf 'n%.0s' $(seq 1 250))"
setfattr -n user.fuzz -v seed "$mnt/sub/random"
cp --reflink=always "$mnt/sub/random" "$mnt/sub/reflink"
sync
btrfs subvolume snapshot -r "$mnt/sub" "$mnt/snap" >/dev/null
echo more >>"$mnt/sub/inline"
btrfs filesystem sync "$mnt"

"$CAPTURE" "$mnt" "$CORPUS"
# progs' scrub status file of this filesystem (progs writes it; it is removed with the rest).
fsid=$(blkid -s UUID -o value "$loop")
status=/var/lib/btrfs/scrub.status.$fsid
btrfs scrub start -B "$mnt" >/dev/null
mkdir -p "$CORPUS/scrubstatus"
cp "$status" "$CORPUS/scrubstatus/$(sha1sum "$status" | cut -c1-16)"
# Send streams (receive --dump's input): metadata-only full and incremental streams of the
# snapshots, and a small protocol 2 stream with its data.
mkdir -p "$CORPUS/sendstream" "$work/streams"
btrfs subvolume snapshot -r "$mnt/sub" "$mnt/snap2" >/dev/null
btrfs send -q --no-data -f "$work/streams/full" "$mnt/snap"
btrfs send -q --no-data -p "$mnt/snap" -f "$work/streams/incremental" "$mnt/snap2"
btrfs subvolume create "$mnt/small" >/dev/null
printf 'small file\n' >"$mnt/small/a"; mkdir "$mnt/small/d"; ln -s a "$mnt/small/d/l"
btrfs property set -ts "$mnt/small" ro true
btrfs send -q --proto 2 -f "$work/streams/proto2" "$mnt/small"
for f in "$work/streams"/*; do cp "$f" "$CORPUS/sendstream/$(sha1sum "$f" | cut -c1-16)"; done
for target in items search dispatcher scrubstatus sendstream; do
    echo "capture-corpus: $(ls "$CORPUS/$target" | wc -l) seeds in $CORPUS/$target"
done
