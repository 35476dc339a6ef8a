#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh KVER — build (once, cached) the test VM's initramfs and print
# its path: REPO/.cache/vm/KVER/initramfs-HASH.cpio.gz, HASH covering every
# input (init script, this script, busybox, the modules), so edits rebuild it.
# Contents: static busybox, the virtio-pci + 9p modules of KVER (decompressed,
# in dependency order, listed in /modules/order) and selftests/vm/init.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$HERE/../.." && pwd -P)
KVER=${1:?usage: mkinitramfs.sh KVER}
CACHE=${PKTRELAY_VM_CACHE:-$REPO/.cache/vm}/$KVER

die() { echo "mkinitramfs.sh: $*" >&2; exit 1; }

BUSYBOX=${PKTRELAY_BUSYBOX:-/bin/busybox}
[[ -x $BUSYBOX ]] || die "$BUSYBOX missing (apt-get install busybox-static)"
if readelf -l "$BUSYBOX" 2>/dev/null | grep -q 'program interpreter'; then
	die "$BUSYBOX is dynamically linked (apt-get install busybox-static)"
fi
[[ -d /lib/modules/$KVER ]] || die "/lib/modules/$KVER missing (install linux-image-$KVER)"

# Dependency-ordered module paths (virtio_ring virtio virtio_pci_modern_dev
# virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p on
# Debian 6.1), duplicates dropped; built-in ones need nothing.
deps=$(
	for m in virtio_pci 9pnet_virtio 9p; do
		modprobe -S "$KVER" --show-depends "$m"
	done
) || die "'modprobe -S $KVER --show-depends' failed for virtio_pci/9pnet_virtio/9p"
mapfile -t MODS < <(awk '$1 == "insmod" && !seen[$2]++ { print $2 }' <<<"$deps")
((${#MODS[@]})) || echo "mkinitramfs.sh: note: virtio/9p are built into $KVER" >&2

hash=$(
	{
		sha256sum "$HERE/init" "$HERE/mkinitramfs.sh" "$BUSYBOX"
		for m in "${MODS[@]}"; do stat -c '%n %s %Y' "$m"; done
	} | sha256sum | cut -c1-16
)
OUT=$CACHE/initramfs-$hash.cpio.gz
if [[ -s $OUT ]]; then
	echo "$OUT"
	exit 0
fi

mkdir -p "$CACHE"
stage=$(mktemp -d "$CACHE/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,newroot,modules,tmp}
install -m 755 "$BUSYBOX" "$stage/bin/busybox"
install -m 755 "$HERE/init" "$stage/init"
: >"$stage/modules/order"
for m in "${MODS[@]}"; do
	base=$(basename "$m")
	name=${base%%.ko*}
	case $m in
	*.ko) cp "$m" "$stage/modules/$name.ko" ;;
	*.ko.xz) xz -dc "$m" >"$stage/modules/$name.ko" ;;
	*.ko.zst) zstd -qdc "$m" >"$stage/modules/$name.ko" ;;
	*.ko.gz) gzip -dc "$m" >"$stage/modules/$name.ko" ;;
	*) die "unknown module format: $m" ;;
	esac
	echo "$name" >>"$stage/modules/order"
done

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -6 >"$OUT.tmp.$$"
mv -f "$OUT.tmp.$$" "$OUT"
# Drop stale images, but not ones a concurrent vm-run may be about to boot.
find "$CACHE" -maxdepth 1 -name 'initramfs-*.cpio.gz' ! -name "$(basename "$OUT")" -mmin +60 -delete
echo "$OUT"
