#!/bin/sh
# A tour of sbtrfs on a scratch btrfs: two loop devices in raid1, a few subvolumes, a snapshot,
# compressed and reflinked files. Everything it makes is removed again, even on failure.
set -eu
bin=$(readlink -f "${1:-.build/release/sbtrfs}")
[ -x "$bin" ] || { echo "ERROR: no sbtrfs binary at $bin (run make release)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "ERROR: the demo needs root (loop devices, mkfs, mount)" >&2; exit 1; }

scratch_name=demo
. "$(dirname "$0")/scratch.sh"
attach 2 2G
# shellcheck disable=SC2086
mkfs.btrfs -q -f -L sbtrfs-demo -d raid1 -m raid1 $devs >/dev/null
mkdir "$mnt"
first=$(echo $devs | cut -d' ' -f1)
mount -o compress=zstd "$first" "$mnt"

for sv in home srv; do
    "$bin" subvolume create "$mnt/$sv" >/dev/null 2>&1 || btrfs -q subvolume create "$mnt/$sv"
done
seq 1 200000 > "$mnt/home/numbers.txt"
head -c 50000000 /dev/urandom > "$mnt/srv/random.bin"
for i in 1 2 3 4 5 6; do head -c 60000000 /dev/urandom > "$mnt/srv/big-$i.bin"; done
rm "$mnt/srv/big-2.bin" "$mnt/srv/big-5.bin"  # holes for the heatmap
cp --reflink=always "$mnt/srv/random.bin" "$mnt/srv/random-clone.bin"
for i in $(seq 1 100); do echo "file $i" > "$mnt/home/small-$i"; done
btrfs -q subvolume snapshot -r "$mnt/home" "$mnt/home-snapshot"
sync

tour() {
    printf '\n$ sbtrfs %s\n' "$*"
    "$bin" "$@" || printf '(exit status %s)\n' "$?"
}
tour --version
tour help
tour filesystem df "$mnt"
tour fi df -H "$mnt"
tour --format json filesystem df "$mnt"
tour filesystem usage "$mnt"
tour filesystem show "$mnt"
tour filesystem usage-report "$mnt"
tour filesystem space-calculator -m raid1 -d raid1 1T 2T 3T
tour device usage "$mnt"
tour device stats "$mnt"
tour subvolume list -a -c -u -q -R "$mnt"
tour subvolume show "$mnt/home-snapshot"
tour inspect-internal search-metadata chunks "$mnt"
tour inspect-internal search-metadata --format short dump -t root "$mnt"
# The README's picture: both devices end to end along a Hilbert curve, 64×64 pixels of 1 MiB drawn 256×256.
# Drawn outside the checkout, so a demo leaves it clean; DEMO_PICTURE=Docs/heatmap.png
# (make demo DEMO_PICTURE=…) refreshes the committed one.
picture=$(readlink -f "${DEMO_PICTURE:-/tmp/sbtrfs-demo-heatmap.png}")
tour filesystem heatmap --order 6 --size 8 -o "$picture" "$mnt"
echo "(picture: $picture)"
printf '\nDone; cleaning up.\n'
