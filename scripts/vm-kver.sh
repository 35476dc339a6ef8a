#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel version pktrelay is built against and booted in the VM:
# the newest V that has both /boot/vmlinuz-V and /lib/modules/V/build
# (Debian's linux-image-amd64 + linux-headers-amd64).
# PKTRELAY_KVER overrides the choice (it is still checked).
set -euo pipefail

check() {
	local v=$1
	[[ -r /boot/vmlinuz-$v ]] || { echo "vm-kver.sh: /boot/vmlinuz-$v missing (install linux-image-$v)" >&2; return 1; }
	[[ -d /lib/modules/$v/build ]] || { echo "vm-kver.sh: /lib/modules/$v/build missing (install linux-headers-$v)" >&2; return 1; }
}

if [[ -n ${PKTRELAY_KVER:-} ]]; then
	check "$PKTRELAY_KVER" || exit 1
	printf '%s\n' "$PKTRELAY_KVER"
	exit 0
fi

best=
while IFS= read -r v; do
	[[ -d /lib/modules/$v/build ]] && best=$v
done < <(find /boot -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V)

if [[ -z $best ]]; then
	echo "vm-kver.sh: no kernel with both /boot/vmlinuz-V and /lib/modules/V/build;" \
		"run scripts/deps.sh (installs linux-image-amd64 linux-headers-amd64)" >&2
	exit 1
fi
printf '%s\n' "$best"
