#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch, from Debian's linux-source package, the kernel files pktrelay uses
# at build time but must not commit:
#   OUTROOT/tools/testing/selftests/kselftest_harness.h
#   OUTROOT/tools/testing/selftests/kselftest.h
#   OUTROOT/scripts/checkpatch.pl
#   OUTROOT/scripts/spelling.txt
#   OUTROOT/scripts/const_structs.checkpatch
# OUTROOT defaults to REPO/.cache/linux-source. Idempotent (instant when all
# files exist); about 15-30 s the first time. The package is chosen from the
# VM kernel (scripts/vm-kver.sh), e.g. linux-source-6.1; override with
# PKTRELAY_LINUX_SOURCE_PKG.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
OUT=${1:-$REPO/.cache/linux-source}

FILES=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
)

have_all() {
	local f
	for f in "${FILES[@]}"; do [[ -s $OUT/$f ]] || return 1; done
}
if have_all; then
	exit 0
fi

if [[ -n ${PKTRELAY_LINUX_SOURCE_PKG:-} ]]; then
	pkg=$PKTRELAY_LINUX_SOURCE_PKG
else
	kver=$("$REPO/scripts/vm-kver.sh")
	pkg=linux-source-$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$kver")
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pktrelay-lsrc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

echo "kselftest-headers.sh: downloading $pkg (Debian apt) ..."
dl() { (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg") >"$tmp/apt.log" 2>&1; }
if ! dl; then
	# Fresh machine without package lists: update once and retry.
	if ((EUID == 0)) && apt-get update -q >/dev/null 2>&1 && dl; then
		:
	else
		cat "$tmp/apt.log" >&2
		echo "kselftest-headers.sh: 'apt-get download $pkg' failed (run scripts/deps.sh / apt-get update as root)" >&2
		exit 1
	fi
fi
deb=$(find "$tmp" -maxdepth 1 -name '*.deb' -print -quit)
[[ -n $deb ]] || { echo "kselftest-headers.sh: no .deb downloaded for $pkg" >&2; exit 1; }

# The package holds /usr/src/linux-source-X.Y.tar.xz; find its name.
tarball=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -E '^\./usr/src/linux-source-[^/]*\.tar\.(xz|gz|bz2|zst)$' | head -n1 || true)
[[ -n $tarball ]] || { echo "kselftest-headers.sh: no linux-source tarball inside $deb" >&2; exit 1; }
topdir=$(basename "$tarball"); topdir=${topdir%.tar.*}
case $tarball in
	*.xz) unz=(xz -dc) ;;
	*.gz) unz=(gzip -dc) ;;
	*.bz2) unz=(bzip2 -dc) ;;
	*.zst) unz=(zstd -dc) ;;
esac

members=()
for f in "${FILES[@]}"; do members+=("$topdir/$f"); done

echo "kselftest-headers.sh: extracting ${#FILES[@]} files from $(basename "$deb") ..."
mkdir -p "$tmp/x"
dpkg-deb --fsys-tarfile "$deb" | tar -xO "$tarball" | "${unz[@]}" |
	tar -x -C "$tmp/x" --strip-components=1 "${members[@]}"

for f in "${FILES[@]}"; do
	[[ -s $tmp/x/$f ]] || { echo "kselftest-headers.sh: $f missing from $tarball" >&2; exit 1; }
	mkdir -p "$(dirname "$OUT/$f")"
	install -m "$([[ $f == *.pl ]] && echo 755 || echo 644)" "$tmp/x/$f" "$OUT/$f.tmp$$"
	mv -f "$OUT/$f.tmp$$" "$OUT/$f"
done
echo "kselftest-headers.sh: installed in $OUT"
