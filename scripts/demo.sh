#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/demo.sh [ARG...] — see pktrelay work: install dependencies (root,
# Debian apt), build the module, relayctl and selftests against Debian's
# kernel, then boot it in QEMU and run scripts/demo-guest.sh [ARG...] there.
# The module is only ever loaded inside the VM.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"
step() { echo "==> demo.sh [$(date +%T)] $*"; }

step "deps"
scripts/deps.sh
KVER=$(scripts/vm-kver.sh)
step "kernel $KVER; kselftest/checkpatch files"
scripts/kselftest-headers.sh
step "build: make KVER=$KVER"
make -j"$(nproc)" KVER="$KVER"

if [[ ! -x scripts/demo-guest.sh ]]; then
	echo "demo.sh: scripts/demo-guest.sh is missing or not executable" >&2
	exit 1
fi
step "booting the VM: scripts/demo-guest.sh $*"
exec selftests/vm/vm-run.sh -- scripts/demo-guest.sh "$@"
