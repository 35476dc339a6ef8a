#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh [OPTIONS] — pktrelay's benchmarks (also: make bench). Builds
# the module, relayctl and bench/'s programs, boots Debian's kernel in QEMU
# once (selftests/vm/vm-run.sh) and runs bench/guest.sh there: UDP
# throughput of one flow, setup time and memory of many flows, and ping,
# each through relay0 and through baselines measured side by side in the
# same boot (guest.sh's header says what each case and number means).
# Prints a table with the ratios; keeps .cache/bench/latest.{txt,json}, a
# dated copy of each, and the VM console in .cache/bench/console.log.
#
# Exits non-zero only when something did not work (build, boot, module
# load, a case that delivered nothing or took the wrong path), never
# because of a number.
#
# Options (each sets the PKTRELAY_BENCH_* variable guest.sh reads):
#   --reps N        runs of each case (3)
#   --secs S        seconds of sending per UDP run (3)
#   --sizes "A B"   UDP payload sizes in bytes ("64 1400")
#   --rate PPS      datagrams/s of the fixed-rate UDP runs (20000)
#   --flows N       flows in the many-flows runs (2000)
#   --pings N       echo requests per ping run (10000)
#   --cases "..."   subset of: direct-veth relay0 tun-relay sock-relay
#   --only "..."    subset of: udp flows ping
#   --quick         --reps 1 --secs 1 --flows 500 --pings 2000 (a smoke run)
#   --json          print the JSON instead of the table at the end
#   --timeout SECS  bound on the VM run (900)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"
PROG=run.sh
usage() { sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2; }

JSON=
TIMEOUT=900
while (($#)); do
	case $1 in
	--reps) export PKTRELAY_BENCH_REPS=${2:?}; shift 2 ;;
	--secs) export PKTRELAY_BENCH_SECS=${2:?}; shift 2 ;;
	--sizes) export PKTRELAY_BENCH_SIZES=${2:?}; shift 2 ;;
	--rate) export PKTRELAY_BENCH_RATE=${2:?}; shift 2 ;;
	--flows) export PKTRELAY_BENCH_FLOWS=${2:?}; shift 2 ;;
	--pings) export PKTRELAY_BENCH_PINGS=${2:?}; shift 2 ;;
	--cases) export PKTRELAY_BENCH_CASES=${2:?}; shift 2 ;;
	--only) export PKTRELAY_BENCH_ONLY=${2:?}; shift 2 ;;
	--quick)
		export PKTRELAY_BENCH_REPS=1 PKTRELAY_BENCH_SECS=1 PKTRELAY_BENCH_FLOWS=500 PKTRELAY_BENCH_PINGS=2000
		shift
		;;
	--json) JSON=1; shift ;;
	--timeout) TIMEOUT=${2:?}; shift 2 ;;
	-h | --help) usage ;;
	*) echo "$PROG: unknown argument '$1'" >&2; usage ;;
	esac
done

step() { echo "==> bench/run.sh [$(date +%T)] $*" >&2; }

KVER=$(scripts/vm-kver.sh) || { echo "$PROG: no Debian kernel to build for (run scripts/deps.sh)" >&2; exit 1; }
step "build: make KVER=$KVER all, make -C bench"
make -s KVER="$KVER" all >&2
make -s -C bench >&2

# Recorded in the JSON: which code was measured (dirty: uncommitted changes).
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git status --porcelain --untracked-files=no 2>/dev/null) ]] || commit+="-dirty"
export PKTRELAY_BENCH_COMMIT=$commit

mkdir -p .cache/bench
out=.cache/bench/vm-out
log=.cache/bench/console.log
rm -f "$out/bench.json" "$out/bench.txt"
step "booting the VM: bench/guest.sh (console: $log)"
rc=0
# The console (kernel messages, every command's output) goes to the log; the
# guest's progress lines ("bench: ...") to the terminal.
selftests/vm/vm-run.sh --timeout "$TIMEOUT" --out "$out" --log "$log" -- bench/guest.sh |
	awk '/^bench: |^# guest.sh: / { print; fflush() }' >&2 || rc=${PIPESTATUS[0]}

if ((rc != 0)) || [[ ! -s $out/bench.json || ! -s $out/bench.txt ]]; then
	echo "$PROG: FAILED (VM exit $rc); the end of $log:" >&2
	tail -n 30 "$log" >&2
	((rc != 0)) || rc=1
	exit "$rc"
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
cp "$out/bench.json" ".cache/bench/bench-$stamp.json"
cp "$out/bench.txt" ".cache/bench/bench-$stamp.txt"
cp "$out/bench.json" .cache/bench/latest.json
cp "$out/bench.txt" .cache/bench/latest.txt
step "done: .cache/bench/latest.txt, .cache/bench/latest.json (and bench-$stamp.*)"
if [[ -n $JSON ]]; then
	cat "$out/bench.json"
else
	cat "$out/bench.txt"
fi
