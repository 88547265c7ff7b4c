"""Benchmark filesystems: made once under /var/tmp/sbtrfs-bench/, attached and mounted per run.

Each fixture is a directory holding sparse images and a READY marker (JSON: the spec it was built
from plus facts measured after building). A fixture whose marker is missing or whose spec changed
is rebuilt from scratch; otherwise it is only attached and mounted. `Fixtures` is a context
manager: whatever it attached or mounted is unmounted and detached on the way out, whatever the
way out (exception, Ctrl-C, SIGTERM turned into SystemExit by the caller).

Run with /usr/bin/python3 (python-btrfs and python3-btrfsutil live there), as root.
"""
import fcntl
import json
import os
import random
import subprocess
import sys

ROOT = "/var/tmp/sbtrfs-bench"
GiB = 1 << 30
MiB = 1 << 20

# Without it, every mount starts an asynchronous discard of all free space (its trim state is
# not kept), which on loop devices punches holes in the images for minutes: background I/O and
# CPU that inflated the first cases' times. The benchmarks only read.
BENCH_MOUNT_OPTIONS = "nodiscard"

# Bump when a builder changes what it makes, so old images are rebuilt rather than reused.
BUILD_VERSION = 1


def log(msg):
    print(f"[fixtures] {msg}", file=sys.stderr, flush=True)


def run(argv, **kw):
    return subprocess.run(argv, check=True, **kw)


def out(argv):
    return run(argv, stdout=subprocess.PIPE, text=True).stdout.strip()


# ---- builders: each gets the mount point and its spec, and fills the filesystem ----

def build_subvolumes(mnt, spec):
    """`count` subvolumes, 1000 per plain directory, and a read-only snapshot of every 500th,
    so that `subvolume list -q` has parent UUIDs to print."""
    import btrfsutil
    count = spec["count"]
    for i in range(count):
        d = os.path.join(mnt, "d%03d" % (i // 1000))
        if i % 1000 == 0:
            os.mkdir(d)
        btrfsutil.create_subvolume(os.path.join(d, "s%06d" % i))
        if i % 5000 == 4999:
            log(f"  {i + 1}/{count} subvolumes")
    for i in range(0, count, 500):
        d = os.path.join(mnt, "d%03d" % (i // 1000))
        btrfsutil.create_snapshot(os.path.join(d, "s%06d" % i), os.path.join(d, "snap%06d" % i),
                                  read_only=True)


def build_files(mnt, spec):
    """`count` files of 100 bytes, 1000 per directory. The fixture is mounted with max_inline=0
    while building, so every file gets a real data extent (an EXTENT_ITEM in the extent tree),
    not an inline one."""
    count = spec["count"]
    data = b"sbtrfs bench " * 8  # 104 bytes
    for i in range(count):
        if i % 1000 == 0:
            d = os.path.join(mnt, "d%03d" % (i // 1000))
            os.mkdir(d)
        fd = os.open(os.path.join(d, "f%06d" % i), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        if i % 50000 == 49999:
            log(f"  {i + 1}/{count} files")


def build_block_groups(mnt, spec):
    """Many data block groups at all fill levels, without writing data: preallocate 256 MiB files
    (fallocate only writes metadata, so the sparse images stay small), then delete a random
    two thirds of them. Block groups left empty are removed by the kernel in the background."""
    n = spec["prealloc_gib"] * 4
    paths = [os.path.join(mnt, "p%05d" % i) for i in range(n)]
    for i, p in enumerate(paths):
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.posix_fallocate(fd, 0, 256 * MiB)
        finally:
            os.close(fd)
        if i % 400 == 399:
            log(f"  {i + 1}/{n} preallocated files")
    rng = random.Random(20261126)
    for p in paths:
        if rng.random() < 2 / 3:
            os.unlink(p)


BUILDERS = {
    "subvolumes": build_subvolumes,
    "files": build_files,
    "block_groups": build_block_groups,
}


def fixture_specs(quick):
    """The fixtures by role, full size or (BENCH_QUICK=1) small; the sizes are in the names, so
    both sets coexist on one machine."""
    def pick(full, small):
        return small if quick else full
    # Each small/large pair is 10x apart, so the report's scale column compares like with like.
    n_small, n_large, gib = pick(10000, 1000), pick(100000, 10000), pick(300, 40)
    f_small, f_large = pick(20000, 2000), pick(200000, 20000)

    def files(n):
        return dict(name=f"files-{n // 1000}k", builder="files", count=n, devices=1, size_gib=8,
                    build_mount_options="max_inline=0")
    return {
        "subvols-small": dict(name=f"subvols-{n_small // 1000}k", builder="subvolumes",
                              count=n_small, devices=1, size_gib=8),
        "subvols-large": dict(name=f"subvols-{n_large // 1000}k", builder="subvolumes",
                              count=n_large, devices=1, size_gib=pick(24, 8)),
        "files-small": files(f_small),
        "files": files(f_large),
        "raid1": dict(name=f"raid1x4-{gib}g", builder="block_groups", prealloc_gib=gib,
                      devices=4, size_gib=pick(256, 32), mkfs=["-d", "raid1", "-m", "raid1"]),
    }


# ---- facts measured on a fixture after building (recorded in READY, quoted in the report) ----

FACTS_PY = r"""
import btrfs, sys
with btrfs.FileSystem(sys.argv[1]) as fs:
    def count(tree):
        return sum(1 for _ in fs.search(tree))
    subvols = sum(1 for _ in fs.subvolumes())
    bgs = sum(1 for _ in fs.chunks())
    print(subvols, bgs, count(2), count(5))
"""


def measure_facts(mnt):
    subvols, chunks, extent_items, fs_items = map(
        int, out(["/usr/bin/python3", "-c", FACTS_PY, mnt]).split())
    return dict(subvolumes=subvols, chunks=chunks, extent_tree_items=extent_items,
                fs_tree_items=fs_items)


LARGEST_DATA_BG_PY = r"""
import btrfs, sys
with btrfs.FileSystem(sys.argv[1]) as fs:
    best = (-1, 0)
    for chunk in fs.chunks():
        if chunk.type & btrfs.BLOCK_GROUP_TYPE_MASK != btrfs.BLOCK_GROUP_DATA:
            continue
        lo, hi = btrfs.ctree.Key(chunk.vaddr, 0, 0), btrfs.ctree.Key(chunk.vaddr + chunk.length, 0, 0) - 1
        n = sum(1 for h, _ in btrfs.ioctl.search_v2(fs.fd, 2, lo, hi, buf_size=1 << 20)
                if h.type == btrfs.ctree.EXTENT_ITEM_KEY)
        best = max(best, (n, chunk.vaddr))
    print(best[1], best[0])
"""


def largest_data_block_group(mnt):
    """(vaddr, extent items) of the data block group holding the most extent items."""
    vaddr, count = map(int, out(["/usr/bin/python3", "-c", LARGEST_DATA_BG_PY, mnt]).split())
    return vaddr, count


# ---- attach / mount / teardown ----

class Mounted:
    def __init__(self, role, spec, mnt, devices, facts):
        self.role, self.spec, self.mnt, self.devices, self.facts = role, spec, mnt, devices, facts
        self.name = spec["name"]


class Fixtures:
    """`with Fixtures(quick, roles) as fx: fx["files"].mnt` — builds what is missing, mounts,
    and always undoes its own mounts and loop devices."""

    def __init__(self, quick, roles=None):
        specs = fixture_specs(quick)
        self.specs = {r: s for r, s in specs.items() if roles is None or r in roles}
        self.attached = []   # loop devices this process attached
        self.mounted = []    # mount points this process mounted (or found left over by a crash)
        self.fixtures = {}

    def __enter__(self):
        os.makedirs(os.path.join(ROOT, "mnt"), exist_ok=True)
        self.lock = open(os.path.join(ROOT, ".lock"), "w")
        try:
            fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"ERROR: another benchmark run holds {ROOT}/.lock")
        try:
            self._sweep()
            for role, spec in self.specs.items():
                self.fixtures[role] = self._prepare(role, spec)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __getitem__(self, role):
        return self.fixtures[role]

    def _sweep(self):
        """Undo what a run killed outright (SIGKILL, power) left: mounts under ROOT/mnt and loop
        devices on images under ROOT. Safe, because the lock says no other run is using them."""
        for name in sorted(os.listdir(os.path.join(ROOT, "mnt"))):
            mnt = os.path.join(ROOT, "mnt", name)
            if os.path.ismount(mnt):
                log(f"unmounting {mnt}, left over by an earlier run")
                run(["umount", mnt])
        for line in out(["losetup", "-l", "-n", "-O", "NAME,BACK-FILE"]).splitlines():
            dev, _, back = line.strip().partition(" ")
            if back.strip().startswith(ROOT + "/"):
                log(f"detaching {dev} ({back.strip()}), left over by an earlier run")
                subprocess.run(["losetup", "-d", dev])

    def close(self):
        for mnt in reversed(self.mounted):
            r = subprocess.run(["umount", mnt], stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                log(f"umount {mnt} failed ({r.stderr.strip()}); trying lazy unmount")
                subprocess.run(["umount", "-l", mnt])
        self.mounted.clear()
        for dev in reversed(self.attached):
            subprocess.run(["losetup", "-d", dev])
        self.attached.clear()
        if getattr(self, "lock", None):
            self.lock.close()  # releases the flock
            self.lock = None

    def _images(self, spec):
        d = os.path.join(ROOT, spec["name"])
        return d, [os.path.join(d, "dev%d.img" % i) for i in range(spec["devices"])]

    def _attach(self, image):
        # Reuse a loop device a crashed run left attached: two devices with one fsid confuse btrfs.
        existing = out(["losetup", "-j", image, "-O", "NAME", "-n"]).split()
        if existing:
            dev = existing[0]
        else:
            dev = out(["losetup", "--find", "--show", image])
        self.attached.append(dev)
        return dev

    def _mount(self, devices, mnt, options=""):
        os.makedirs(mnt, exist_ok=True)
        if os.path.ismount(mnt):
            # Left over by a run that was killed; it is ours by its path. Unmount it when done.
            self.mounted.append(mnt)
            return
        opts = ",".join([o for o in [options] if o] + ["device=" + d for d in devices[1:]])
        run(["mount"] + (["-o", opts] if opts else []) + [devices[0], mnt])
        self.mounted.append(mnt)

    def _unmount(self, mnt):
        run(["umount", mnt])
        self.mounted.remove(mnt)

    def _prepare(self, role, spec):
        d, images = self._images(spec)
        marker = os.path.join(d, "READY")
        wanted = dict(spec, build_version=BUILD_VERSION)
        mnt = os.path.join(ROOT, "mnt", spec["name"])
        try:
            with open(marker) as f:
                ready = json.load(f)
        except (OSError, ValueError):
            ready = None
        if ready is not None and ready.get("spec") == wanted and all(map(os.path.exists, images)):
            devices = [self._attach(i) for i in images]
            self._mount(devices, mnt, BENCH_MOUNT_OPTIONS)
            return Mounted(role, spec, mnt, devices, ready["facts"])
        return self._build(role, spec, wanted, d, images, marker, mnt)

    def _build(self, role, spec, wanted, d, images, marker, mnt):
        log(f"building {spec['name']} (once; reused by later runs)")
        if os.path.ismount(mnt):
            run(["umount", mnt])
        for image in images:  # detach anything still holding an old image
            for dev in out(["losetup", "-j", image, "-O", "NAME", "-n"]).split():
                subprocess.run(["losetup", "-d", dev])
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            os.unlink(os.path.join(d, name))
        for image in images:
            with open(image, "wb") as f:
                f.truncate(spec["size_gib"] * GiB)
        devices = [self._attach(i) for i in images]
        run(["mkfs.btrfs", "-q", "-f", "-L", "sbtrfs-" + spec["name"]] + spec.get("mkfs", [])
            + devices, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._mount(devices, mnt, spec.get("build_mount_options", ""))
        BUILDERS[spec["builder"]](mnt, spec)
        run(["sync"])
        if spec.get("build_mount_options"):
            self._unmount(mnt)   # benchmarks run on the bench's mount options
            self._mount(devices, mnt, BENCH_MOUNT_OPTIONS)
        facts = measure_facts(mnt)
        log(f"built {spec['name']}: {facts}")
        with open(marker + ".tmp", "w") as f:
            json.dump(dict(spec=wanted, facts=facts), f, indent=1)
        os.rename(marker + ".tmp", marker)
        return Mounted(role, spec, mnt, devices, facts)


if __name__ == "__main__":
    # `fixtures.py [--quick]`: build whatever is missing, print the fixtures, tear down.
    quick = "--quick" in sys.argv[1:] or os.environ.get("BENCH_QUICK") == "1"
    with Fixtures(quick) as fx:
        for role, m in fx.fixtures.items():
            print(role, m.name, m.mnt, " ".join(m.devices), json.dumps(m.facts))
