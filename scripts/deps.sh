#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install (as root, from Debian apt) everything pktrelay's build, VM and tests
# need. Idempotent: returns at once when every package is already installed.
# PKTRELAY_EXTRA_PKGS adds packages (space separated).
set -euo pipefail

PKGS=(
	# build: module against Debian's kernel headers, relayctl, selftests, style gates
	build-essential make gcc pkg-config sparse
	linux-image-amd64 linux-headers-amd64
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
	shellcheck valgrind strace groff-base
	# relayctl's libFuzzer targets (clang only recommends the runtime)
	clang libclang-rt-dev
	# VM: QEMU (TCG) + busybox initramfs with the kernel's virtio/9p modules
	qemu-system-x86 busybox-static kmod cpio gzip xz-utils zstd
	# tests: run inside the VM from the host root (exported read-only over 9p)
	iproute2 iputils-ping socat bind9-dnsutils dnsmasq-base dante-server
	python3 python3-scapy jq tcpdump procps util-linux coreutils findutils
)
# shellcheck disable=SC2206 # word splitting of the extra list is intended
[[ -n ${PKTRELAY_EXTRA_PKGS:-} ]] && PKGS+=(${PKTRELAY_EXTRA_PKGS})

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $st == installed ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
	echo "deps.sh: all ${#PKGS[@]} packages present"
	exit 0
fi

echo "deps.sh: installing: ${missing[*]}"
if ((EUID != 0)); then
	echo "deps.sh: must run as root to install packages (missing: ${missing[*]})" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# Never start daemons (danted, ...) on the host while installing: tests start
# their own instances inside the VM. Only add a policy-rc.d if none exists.
policy=/usr/sbin/policy-rc.d
added_policy=
if [[ ! -e $policy ]]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	added_policy=1
fi
cleanup() { [[ -z $added_policy ]] || rm -f "$policy"; }
trap cleanup EXIT

apt-get update -q
apt-get install "${apt_opts[@]}" "${missing[@]}"
echo "deps.sh: done"
