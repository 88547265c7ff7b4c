# Sourced by demo.sh and startup-order.sh: a scratch directory, $work, with a mount point, $mnt,
# and loop devices, all removed again on exit, on failure and on a signal. `attach COUNT SIZE`
# makes COUNT sparse images of SIZE and adds their loop devices to $devs.
work=$(mktemp -d "/tmp/sbtrfs-${scratch_name:-scratch}-XXXXXX")
mnt="$work/mnt"
devs=""
cleanup() {
    mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
    for d in $devs; do losetup -d "$d" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

attach() {
    i=1
    while [ "$i" -le "$1" ]; do
        truncate -s "$2" "$work/dev$i.img"
        devs="$devs $(losetup --find --show "$work/dev$i.img")"
        i=$((i + 1))
    done
}
