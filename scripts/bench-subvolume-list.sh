#!/bin/sh
# `subvolume list` of N snapshots: sbtrfs against btrfs-progs on the same scratch filesystem (root).
# Usage: scripts/bench-subvolume-list.sh [N] [SBTRFS]   (defaults: 10000, .build/release/sbtrfs)
# Half the snapshots sit in the top directory, half spread over N/200 directories (one INO_LOOKUP
# each for sbtrfs, one per subvolume for btrfs-progs). Prints median wall times and the ratio.
set -eu
N=${1:-10000}
SBTRFS=$(realpath "${2:-.build/release/sbtrfs}")
DIR=$(mktemp -d /tmp/sbtrfs-bench-XXXXXX)
LOOP=
cleanup() {
    umount "$DIR/mnt" 2>/dev/null || true
    [ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null || true
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
truncate -s $(( (N / 1000 + 2) * 200 ))M "$DIR/img"
LOOP=$(losetup --find --show "$DIR/img")
mkfs.btrfs -q -f "$LOOP" >/dev/null 2>&1
mkdir "$DIR/mnt"
mount "$LOOP" "$DIR/mnt"
/usr/bin/python3 - "$DIR/mnt" "$N" <<'EOF'
import btrfsutil, os, sys
m, n = sys.argv[1], int(sys.argv[2])
dirs = max(1, n // 200)
btrfsutil.create_subvolume(m + '/home')
btrfsutil.create_subvolume(m + '/root')
for d in range(dirs):
    os.makedirs(f'{m}/snapshots/d{d}')
for i in range((n - 2) // 2):
    btrfsutil.create_snapshot(m + '/home', f'{m}/home.{i:06d}', read_only=True)
for i in range(n - 2 - (n - 2) // 2):
    btrfsutil.create_snapshot(m + '/root', f'{m}/snapshots/d{i % dirs}/root.{i:06d}', read_only=True)
EOF
sync
/usr/bin/python3 - "$DIR/mnt" "$SBTRFS" <<'EOF'
import statistics, subprocess, sys, time
path, ours = sys.argv[1], sys.argv[2]
def once(argv):
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start
for opts in [[], ['-a', '-c', '-u', '-q', '-R'], ['-t', '-p', '-g', '-s'], ['-o'], ['--sort=-path']]:
    a = subprocess.run(['btrfs', 'subvolume', 'list'] + opts + [path], capture_output=True).stdout
    b = subprocess.run([ours, 'subvolume', 'list'] + opts + [path], capture_output=True).stdout
    assert a == b, f"output differs for {opts}"
    progs, sb = [], []
    for _ in range(15):
        progs.append(once(['btrfs', 'subvolume', 'list'] + opts + [path]))
        sb.append(once([ours, 'subvolume', 'list'] + opts + [path]))
    p, s = statistics.median(progs) * 1000, statistics.median(sb) * 1000
    print(f"{' '.join(opts) or '(none)':22s} btrfs-progs {p:8.1f} ms  sbtrfs {s:8.1f} ms  ratio {s / p:.2f}")
EOF
