#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/test.sh [TEST...] — THE test command of pktrelay. Run as root on a
# fresh Debian 12 machine (network: Debian apt only):
#   1. scripts/deps.sh                  install packages (skipped when present)
#   2. scripts/vm-kver.sh               pick the Debian kernel to build for/boot
#   3. scripts/kselftest-headers.sh     kselftest + checkpatch files -> .cache/
#   4. make KVER=...                    module, relayctl, selftests
#   5. make check KVER=...              style gates
#      make -C tools/relayctl check     relayctl unit/CLI tests (valgrind)
#   6. selftests/vm/vm-run.sh -- selftests/run-all.sh [TEST...]   (in QEMU)
# Exits 0 only if the style gates, the host tests and every VM test passed; the last line
# printed is run-all's "N passed, N failed, N skipped". Console log and the
# guest's dmesg are kept in .cache/test/. The module never loads on the host.
# PKTRELAY_VM_TIMEOUT (default 2400 s) bounds the VM run.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"
t_start=$(date +%s)
step() { echo "==> test.sh [$(date +%T), +$(($(date +%s) - t_start))s] $*"; }

step "deps"
scripts/deps.sh
KVER=$(scripts/vm-kver.sh)
step "kernel $KVER; kselftest/checkpatch files"
scripts/kselftest-headers.sh

step "build: make KVER=$KVER all selftests"
make -j"$(nproc)" KVER="$KVER" all selftests

step "style gates: make check KVER=$KVER"
check_rc=0
make check KVER="$KVER" || check_rc=$?
((check_rc == 0)) || echo "test.sh: 'make check' FAILED (exit $check_rc); running the VM tests anyway" >&2

step "relayctl host tests: make -C tools/relayctl check (under valgrind)"
make -C tools/relayctl check VALGRIND="valgrind -q --error-exitcode=1 --leak-check=full" ||
	{ check_rc=$?; echo "test.sh: relayctl host tests FAILED; running the VM tests anyway" >&2; }

step "VM tests: selftests/vm/vm-run.sh -- selftests/run-all.sh $*"
mkdir -p .cache/test
log=.cache/test/console.log
vm_rc=0
selftests/vm/vm-run.sh --timeout "${PKTRELAY_VM_TIMEOUT:-2400}" --out .cache/test/vm-out --log "$log" \
	-- selftests/run-all.sh "$@" || vm_rc=$?

summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n 1 || true)
rc=$vm_rc
((rc != 0 || check_rc == 0)) || rc=1
step "done: make check exit $check_rc, VM tests exit $vm_rc => exit $rc (logs: $log, .cache/test/vm-out/dmesg)"
if [[ -z $summary ]]; then
	echo "test.sh: no test summary: the VM run did not complete (exit $vm_rc)"
	((rc != 0)) || rc=1
else
	echo "$summary"
fi
exit "$rc"
