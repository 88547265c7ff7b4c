#!/bin/sh
# Regenerates scripts/startup-order.txt, the link order of the release binary: every function the
# everyday commands run, and then the data they touch, listed so the linker
# (lld --symbol-ordering-file) puts them side by side.
# A static binary is 19 MB; a run touches a few hundred functions spread over all of it, and each
# 64 KiB of text touched costs a page fault. Packed, `fi df` takes 24 text faults instead of 58
# and a fifth less time (Docs/PERFORMANCE.md). Names missing from a later build are ignored and
# new functions merely land outside the packed block, so a stale list costs speed, never
# correctness; regenerate after larger changes with `make startup-order`.
#
# Runs the release binary under callgrind and lackey on a scratch two-device btrfs (root, valgrind).
set -eu
bin=$(readlink -f "${1:-.build/release/sbtrfs}")
out=${2:-scripts/startup-order.txt}
[ -x "$bin" ] || { echo "ERROR: no sbtrfs binary at $bin (run make release)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "ERROR: needs root (loop devices, mkfs, mount)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "ERROR: needs valgrind" >&2; exit 1; }

scratch_name=order
. "$(dirname "$0")/scratch.sh"
attach 2 1G
# shellcheck disable=SC2086
mkfs.btrfs -q -f -d raid1 -m raid1 $devs >/dev/null
mkdir "$mnt"
mount -o compress=zstd "$(echo $devs | cut -d' ' -f1)" "$mnt"
btrfs -q subvolume create "$mnt/home"
seq 1 100000 > "$mnt/home/numbers.txt"
btrfs -q subvolume snapshot -r "$mnt/home" "$mnt/home-snapshot"
sync

# The commands whose start-up counts, `fi df` first (its functions lead the list).
n=0
profile() {
    n=$((n + 1))
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.$n" "$bin" "$@" \
        >/dev/null 2>&1 || true
    # Every load and store, for the data the run touches (lackey writes them to its log).
    valgrind --tool=lackey --trace-mem=yes --log-file="$work/mem.$n" "$bin" "$@" >/dev/null 2>&1 || true
}
# The start-up-bound reports first: what they touch is laid out before anything else, so their
# code and data share the fewest pages (filesystem usage 74 -> 68 page faults, device usage 78 -> 70).
profile filesystem df "$mnt"
profile filesystem usage "$mnt"
profile device usage "$mnt"
profile fi df -b "$mnt"
profile --format json filesystem df "$mnt"
profile filesystem df /nonexistent
profile filesystem df --help
profile filesystem usage -T "$mnt"
profile filesystem show "$mnt"
profile device stats "$mnt"
profile subvolume list "$mnt"
profile --format json subvolume list -a "$mnt"
profile subvolume show "$mnt/home-snapshot"
profile subvolume get-default "$mnt"
profile inspect-internal search-metadata chunks "$mnt"
profile --help
profile --version
profile filesystem xx

# Function names in the order callgrind first lists them, run by run, each once; recursion
# marks ('2) dropped, unnamed code and callgrind's pseudo-functions left out. (Leaving out the
# functions inside libswiftCore's one 1.6 MB .text section, which lld can only move whole, was
# tried: more page faults, not fewer.) valgrind's CPU has no AVX-512, so glibc picks other
# string-function variants under it than on the machine: every variant of a family seen is
# listed, at the end.
python3 - "$work" "$n" "$out" "$bin" <<'PY'
import bisect, glob, os, re, shutil, subprocess, sys
work, runs, out, binary = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
order, seen = [], set()
for run in range(1, runs + 1):
    names = {}
    for line in open(f"{work}/cg.{run}", errors="replace"):
        m = re.match(r"^c?fn=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not m:
            continue
        ident, name = m.groups()
        if name:
            names[ident] = re.sub(r"'\d+$", "", name)
        name = names.get(ident)
        if not name or name in seen or name.startswith("0x") or name.startswith("("):
            continue
        seen.add(name)
        order.append(name)
variant = re.compile(r"^__([a-z0-9]+)_(sse2|ssse3|sse4_1|sse4_2|avx2|avx512|avx|evex)")
families = {m.group(1) for m in map(variant.match, order) if m}
for line in subprocess.run(["nm", binary], capture_output=True, text=True).stdout.splitlines():
    fields = line.split()
    m = variant.match(fields[-1]) if len(fields) == 3 and fields[1] in "tT" else None
    if m and m.group(1) in families and fields[-1] not in seen:
        seen.add(fields[-1])
        order.append(fields[-1])
functions = len(order)

# Then the data the runs write or read, in the order first touched: lld orders .bss, .data and
# .data.rel.ro by the same file, so the few hundred objects a run touches share a few pages
# instead of faulting in one page each all over 340 KB of .bss (a written page costs a fault of
# its own: the kernel maps no neighbours for it). `fi df`: 102 -> 81 page faults, 40 us.
sections = {}
for line in subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True).stdout.splitlines():
    m = re.match(r"\s*\[\s*\d+\]\s+(\.bss|\.data|\.data\.rel\.ro)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", line)
    if m:
        sections[m.group(1)] = (int(m.group(2), 16), int(m.group(2), 16) + int(m.group(3), 16))
symbols = []
for line in subprocess.run(["nm", "-n", "-S", "--defined-only", binary], capture_output=True, text=True).stdout.splitlines():
    fields = line.split()
    if len(fields) == 4 and fields[2] in "bBdDrR":
        symbols.append((int(fields[0], 16), int(fields[1], 16), fields[3]))
starts = [s[0] for s in symbols]
for run in range(1, runs + 1):
    for line in open(f"{work}/mem.{run}", errors="replace"):
        m = re.match(r"^ [LSM] ([0-9a-f]+),", line)
        if not m:
            continue
        address = int(m.group(1), 16)
        if not any(lo <= address < hi for lo, hi in sections.values()):
            continue
        i = bisect.bisect_right(starts, address) - 1
        if i < 0 or address >= symbols[i][0] + max(symbols[i][1], 1):
            continue
        name = symbols[i][2]
        if name not in seen:
            seen.add(name)
            order.append(name)

# A name the stdlib's string-processing libraries define as well (Optional's value witnesses
# are local in each) would drag their one-section 400-500 KB .text into the packed block.
drag = set()
toolchain = os.environ.get("SWIFT_STATIC") or os.path.join(
    os.path.dirname(os.path.realpath(shutil.which("swift") or "/opt/swift/usr/bin/swift")), "../lib/swift_static/linux")
for lib in glob.glob(os.path.join(toolchain, "libswift_*.a")):
    for line in subprocess.run(["nm", "--defined-only", lib], capture_output=True, text=True).stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "tT":
            drag.add(fields[2])
order = [name for name in order if name not in drag]

# Small objects first, then those of a page or more (the runtime's 64 KB metadata pool), then
# the standard library's own Swift data, which sits in one .bss and one .data section per
# object (88 KB of .bss) and moves only whole: placed where their first-touched names fell,
# the big ones pushed this tool's small sections onto pages of their own, where now they share
# the pages glibc's start-up has written already.
stdlib_data = set()
for line in subprocess.run(["nm", "--defined-only", os.path.join(toolchain, "libswiftCore.a")],
                           capture_output=True, text=True).stdout.splitlines():
    fields = line.split()
    if len(fields) == 3 and fields[1] in "bBdD" and fields[2].startswith("$s"):
        stdlib_data.add(fields[2])
size = {name: length for _, length, name in symbols}
function_names = set(order[:functions])
functions = sum(1 for n in order if n in function_names)
data = order[functions:]
order = order[:functions] + \
    [n for n in data if n not in stdlib_data and size.get(n, 0) < 4096] + \
    [n for n in data if n not in stdlib_data and size.get(n, 0) >= 4096] + \
    [n for n in data if n in stdlib_data]
with open(out, "w") as f:
    f.write("\n".join(order) + "\n")
print(f"{out}: {len(order)} names ({functions} functions, then data) from {runs} runs")
PY
