#!/bin/sh
# Unpacks the oracles Debian 12 does not ship into DIR (default .build/oracles), never installing them:
#   DIR/python-btrfs-15/btrfs/      PyPI's sdist of python-btrfs 15 (run it with PYTHONPATH=DIR/python-btrfs-15
#                                   and /usr/bin/python3; Debian's python3-btrfs 13 stays as it is)
#   DIR/btrfs-progs-backports/sbin/mkfs.btrfs  bookworm-backports' btrfs-progs (6.14 when written; 6.2
#                                   cannot make a filesystem with a block group tree), unpacked with
#                                   dpkg -x, not installed over 6.2
# Idempotent and safe to run from parallel tests (one flock); `make test` runs it, and so does the rig
# when a test needs an oracle that is missing.
set -eu
dir=${1:-"$(dirname "$0")/../.build/oracles"}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
exec 9>"$dir/.lock"
flock 9

python_version=15
python_dir="$dir/python-btrfs-$python_version"
progs_dir="$dir/btrfs-progs-backports"

if [ ! -f "$python_dir/btrfs/version.py" ]; then
    work=$(mktemp -d "$dir/.python.XXXXXX")
    # Debian's pip; the sdist only (no wheel, no dependencies), downloaded, never installed.
    /usr/bin/python3 -m pip download --quiet --no-deps --no-binary :all: \
        --disable-pip-version-check -d "$work" "btrfs==$python_version" >&2
    tar -xzf "$work/btrfs-$python_version.tar.gz" -C "$work"
    grep -q "__version__ = '$python_version'" "$work/btrfs-$python_version/btrfs/version.py"
    rm -rf "$python_dir"
    mv "$work/btrfs-$python_version" "$python_dir"
    rm -rf "$work"
fi

if [ ! -x "$progs_dir/sbin/mkfs.btrfs" ]; then
    work=$(mktemp -d "$dir/.progs.XXXXXX")
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main" \
        >"$work/sources.list"
    # A private source list, package lists and cache: the machine's apt state is not touched.
    set -- -o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null \
        -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root
    apt-get "$@" -qq update >&2
    (cd "$work" && apt-get "$@" -qq download "btrfs-progs/bookworm-backports" >&2)
    dpkg -x "$work"/btrfs-progs_*.deb "$work/unpacked"
    "$work/unpacked/sbin/mkfs.btrfs" -O list-all 2>&1 | grep -q "^block-group-tree"
    rm -rf "$progs_dir"
    mv "$work/unpacked" "$progs_dir"
    rm -rf "$work"
fi
