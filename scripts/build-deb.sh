#!/bin/sh
# Builds the Debian package with dpkg-deb: build-deb.sh BINARY WORKDIR OUTDIR
# BINARY is the sbtrfs to ship (`make deb` gives the static release build); WORKDIR is scratch
# space (staging tree, man pages), OUTDIR gets sbtrfs_<version>_<arch>.deb (its path is printed).
# Paths follow Debian 12: /usr/bin, /usr/share/{man,doc,bash-completion,zsh/vendor-completions,
# fish/vendor_completions.d}, /lib/systemd/system. The timer is installed, not enabled.
set -eu
bin=$1
work=$2
out=$3
top=$(cd "$(dirname "$0")/.." && pwd)
textfile_dir=/var/lib/prometheus/node-exporter

version=$("$bin" --version | sed -n 's/^sbtrfs v//p')
[ -n "$version" ] || { echo "ERROR: cannot read the version of $bin" >&2; exit 1; }
arch=$(dpkg --print-architecture)
root=$work/root
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$out"

install -D -m 0755 "$bin" "$root/usr/bin/sbtrfs"
sh "$top/scripts/build-man.sh" "$bin" "$work/man"
install -d "$root/usr/share/man/man8"
for page in "$work"/man/*.8; do
    gzip -9n <"$page" >"$root/usr/share/man/man8/$(basename "$page").gz"
done
install -D -m 0644 "$top/Completions/sbtrfs.bash" "$root/usr/share/bash-completion/completions/sbtrfs"
install -D -m 0644 "$top/Completions/_sbtrfs" "$root/usr/share/zsh/vendor-completions/_sbtrfs"
install -D -m 0644 "$top/Completions/sbtrfs.fish" "$root/usr/share/fish/vendor_completions.d/sbtrfs.fish"
install -d "$root/lib/systemd/system"
sed -e "s|@BINDIR@|/usr/bin|g" -e "s|@TEXTFILE_DIR@|$textfile_dir|g" \
    "$top/systemd/sbtrfs-metrics.service.in" >"$root/lib/systemd/system/sbtrfs-metrics.service"
install -m 0644 "$top/systemd/sbtrfs-metrics.timer" "$root/lib/systemd/system/sbtrfs-metrics.timer"
chmod 0644 "$root/lib/systemd/system/sbtrfs-metrics.service"
doc=$root/usr/share/doc/sbtrfs
install -d "$doc/prometheus"
install -m 0644 "$top/README.md" "$top"/Docs/*.md "$doc/"
install -m 0644 "$top"/Docs/prometheus/*.yml "$doc/prometheus/"
printf 'sbtrfs: a Swift port of python-btrfs and a btrfs-progs-style tool.\nSee /usr/share/doc/sbtrfs/README.md.\n' >"$doc/copyright"

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: sbtrfs
Version: $version
Architecture: $arch
Maintainer: sbtrfs developers <sbtrfs@localhost>
Installed-Size: $size
Section: admin
Priority: optional
Suggests: prometheus-node-exporter
Description: look inside mounted btrfs filesystems
 A btrfs-progs-style tool on a Swift port of python-btrfs: space reports,
 subvolumes, device statistics, tree searches, and Prometheus metrics for
 node_exporter's textfile collector (sbtrfs-metrics.timer, not enabled by default).
CONTROL

# Enabling the timer is the administrator's choice; on removal nothing of the package is left:
# not the timer's enablement, nor the metrics file it wrote (node_exporter would serve it stale).
cat >"$root/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = configure ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
fi
SCRIPT
# All clean-up is in prerm: a package with a postrm stays in dpkg's database ("config-files")
# after `dpkg -r`, waiting to run it for the purge.
cat >"$root/DEBIAN/prerm" <<SCRIPT
#!/bin/sh
set -e
if [ "\$1" = remove ]; then
    if [ -d /run/systemd/system ]; then
        systemctl stop sbtrfs-metrics.timer sbtrfs-metrics.service || true
    fi
    rm -f /etc/systemd/system/timers.target.wants/sbtrfs-metrics.timer
    rm -f $textfile_dir/sbtrfs.prom
fi
SCRIPT
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"

deb=$out/sbtrfs_${version}_$arch.deb
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "$deb"
