#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-all.sh [TEST...] — run pktrelay's selftests INSIDE the test VM:
#   selftests/vm/vm-run.sh -- selftests/run-all.sh [test-foo ...]
# (scripts/test.sh does build + this). Loads the module, runs every executable
# selftests/test-* (or the named ones) in sorted order with a timeout, then
# checks that the module unloads (test "module-unload") and that the kernel
# log stayed clean (test "dmesg-clean"). Test exit codes: 0 pass, 4 skip
# (KSFT_SKIP), anything else fail. Last line: "N passed, N failed, N skipped".
# Exit 0 only if nothing failed; 2 on usage errors.
#
# Environment (all optional):
#   PKTRELAY_KO            module to insmod (default REPO/pktrelay.ko)
#   RELAYCTL               relayctl binary (default REPO/tools/relayctl/relayctl)
#   PKTRELAY_TESTDIR       where the test-* programs are (default REPO/selftests)
#   PKTRELAY_TEST_TIMEOUT  per-test timeout in seconds (default 300)
#   PKTRELAY_DMESG_CMD     command printing the kernel log (default dmesg)
#   PKTRELAY_DMESG_PATTERN extended regex of kernel-log lines that fail the run
# Tests get REPO, PKTRELAY_KO and RELAYCTL exported, cwd = the test directory.
set -euo pipefail

PROG=run-all.sh
if [[ -z ${PKTRELAY_IN_VM:-} ]]; then
	cat >&2 <<-'EOM'
	run-all.sh: refusing to run: PKTRELAY_IN_VM is not set.
	  These tests insmod pktrelay.ko, which must never be loaded into the host
	  kernel. Run them inside the test VM instead:
	    selftests/vm/vm-run.sh -- selftests/run-all.sh [test-foo ...]
	  or build and test everything with: scripts/test.sh
	EOM
	exit 2
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PKTRELAY_KO=${PKTRELAY_KO:-$REPO/pktrelay.ko}
RELAYCTL=${RELAYCTL:-$REPO/tools/relayctl/relayctl}
export REPO PKTRELAY_KO RELAYCTL
TESTDIR=${PKTRELAY_TESTDIR:-$REPO/selftests}
TEST_TIMEOUT=${PKTRELAY_TEST_TIMEOUT:-300}
DMESG_CMD=${PKTRELAY_DMESG_CMD:-dmesg}
DMESG_PATTERN=${PKTRELAY_DMESG_PATTERN:-'WARNING:|BUG:|Oops|KASAN|UBSAN|general protection|RCU stall|rcu: INFO:|detected stalls?|refcount_t:|list_del corruption|kernel BUG|Call Trace'}
MODNAME=$(basename "$PKTRELAY_KO")
MODNAME=${MODNAME%%.ko*}
MODNAME=${MODNAME//-/_}

[[ -d $TESTDIR ]] || { echo "$PROG: test directory $TESTDIR missing" >&2; exit 2; }
TESTDIR=$(cd "$TESTDIR" && pwd -P)

# ---- which tests -------------------------------------------------------
tests=()
if (($#)); then
	for t in "$@"; do
		t=$(basename "$t")
		if [[ ! -f $TESTDIR/$t ]]; then
			echo "$PROG: no test '$t' in $TESTDIR" >&2
			exit 2
		fi
		tests+=("$t")
	done
else
	# Every test-* except sources and build/editor leftovers. A test that is
	# not executable is reported as failed rather than silently never run.
	mapfile -t tests < <(find "$TESTDIR" -maxdepth 1 -type f -name 'test-*' \
		! -name '*.[cohd]' ! -name '*.md' ! -name '*.txt' ! -name '*.log' \
		! -name '*.orig' ! -name '*.rej' ! -name '*.sw?' ! -name '*~' \
		-printf '%f\n' | LC_ALL=C sort)
fi

# ---- helpers -------------------------------------------------------------
passed=0 failed=0 skipped=0 n=0
total=$((${#tests[@]} + 2))
results=()

kmsg() { echo "<6>run-all: $*" >/dev/kmsg 2>/dev/null || true; }  # KERN_INFO: log only, not console
mod_loaded() { [[ -e /sys/module/$MODNAME/initstate ]]; }
load_module() {
	mod_loaded && return 0
	if [[ ! -f $PKTRELAY_KO ]]; then
		echo "$PROG: $PKTRELAY_KO does not exist: build it first (make KVER=\$(scripts/vm-kver.sh))" >&2
		return 1
	fi
	# insmod does not resolve dependencies: modprobe what the module's
	# modinfo "depends" lists (udp_tunnel, ...) from /lib/modules/$(uname -r).
	local deps d
	deps=$(modinfo -F depends "$PKTRELAY_KO" 2>/dev/null) || deps=
	for d in ${deps//,/ }; do
		modprobe "$d" || { echo "$PROG: 'modprobe $d' (needed by $PKTRELAY_KO) failed" >&2; return 1; }
	done
	insmod "$PKTRELAY_KO" || {
		echo "$PROG: 'insmod $PKTRELAY_KO' failed (see the kernel log below)" >&2
		$DMESG_CMD 2>/dev/null | tail -n 20 >&2 || true
		return 1
	}
}
result() { # result NAME STATUS(ok|fail|skip) [NOTE]
	local name=$1 st=$2 note=${3:-}
	n=$((n + 1))
	case $st in
	ok) passed=$((passed + 1)); echo "ok $n $name${note:+ # $note}"; results+=("PASS  $name") ;;
	skip) skipped=$((skipped + 1)); echo "ok $n $name # SKIP${note:+ $note}"; results+=("SKIP  $name") ;;
	*) failed=$((failed + 1)); echo "not ok $n $name${note:+ # $note}"; results+=("FAIL  $name${note:+ ($note)}") ;;
	esac
}
# strays: "PID COMMAND" of every process in another network namespace than
# ours: what a test left running (it keeps that namespace alive).
strays() {
	local me pid
	me=$(readlink /proc/$$/ns/net)
	# One find for all of /proc: TCG makes a process per PID slow.
	find /proc/[0-9]*/ns/net -maxdepth 0 -printf '%l %p\n' 2>/dev/null |
		awk -v me="$me" '$1 != me { split($2, f, "/"); print f[3] }' |
		while read -r pid; do
			echo "$pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-100)"
		done
}
# no_strays: wait up to 10 s for a test's processes to end; kill those left
# and return 1 if there were any.
no_strays() {
	local left i
	for i in $(seq 1 20); do
		left=$(strays)
		[[ -n $left ]] || return 0
		sleep 0.5
	done
	echo "# processes left running in the test's namespaces (killed now):"
	printf '#   %s\n' "$left" | head -n 20
	awk '{print $1}' <<<"$left" | xargs -r kill -9 2>/dev/null || true
	return 1
}
netns_list() { find /run/netns -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | LC_ALL=C sort || true; }
summary() {
	echo "# ---- results ----"
	printf '# %s\n' "${results[@]}"
	echo "$passed passed, $failed failed, $skipped skipped"
}

# ---- start -----------------------------------------------------------------
echo "TAP version 13"
echo "# run-all: kernel $(uname -r), module $PKTRELAY_KO, ${#tests[@]} test(s) in $TESTDIR, timeout ${TEST_TIMEOUT}s each"
marker="start-$$-$RANDOM$RANDOM"
kmsg "$marker"
taint0=$(cat /proc/sys/kernel/tainted 2>/dev/null || echo 0)

if ! load_module; then
	echo "1..1"
	result module-load fail "insmod $PKTRELAY_KO failed"
	summary
	exit 1
fi
echo "1..$total"

for t in "${tests[@]}"; do
	echo "# ===== [$((n + 1))/$total] $t ====="
	if [[ ! -x $TESTDIR/$t ]]; then
		result "$t" fail "not executable (chmod +x $t)"
		continue
	fi
	if ! load_module; then
		result "$t" fail "module not loaded and insmod failed"
		continue
	fi
	ns_before=$(netns_list)
	kmsg ">>> $t"
	t0=$(date +%s)
	rc=0
	(cd "$TESTDIR" && exec timeout -k 10 "$TEST_TIMEOUT" "./$t") </dev/null || rc=$?
	dt=$(($(date +%s) - t0))
	kmsg "<<< $t rc=$rc"
	stray=0
	no_strays || stray=1
	if ((stray && (rc == 0 || rc == 4))); then
		result "$t" fail "left processes running, ${dt}s"
	else
		case $rc in
		0) result "$t" ok "${dt}s" ;;
		4) result "$t" skip "${dt}s" ;;
		124 | 137) result "$t" fail "TIMEOUT after ${TEST_TIMEOUT}s" ;;
		*) result "$t" fail "exit $rc, ${dt}s" ;;
		esac
	fi
	# Named network namespaces the test left behind: warn and remove them so
	# the next test starts clean.
	ns_after=$(netns_list)
	while IFS= read -r ns; do
		[[ -n $ns ]] || continue
		echo "# WARNING: $t left network namespace '$ns' behind; deleting it"
		ip netns del "$ns" 2>/dev/null || true
	done < <(comm -13 <(printf '%s\n' "$ns_before") <(printf '%s\n' "$ns_after"))
done

# ---- module-unload ---------------------------------------------------------
echo "# ===== [$((n + 1))/$total] module-unload ====="
kmsg ">>> module-unload"
if ! load_module; then
	result module-unload fail "module could not be loaded to test unloading"
else
	ok=
	for i in $(seq 1 20); do
		if rmmod "$MODNAME"; then
			ok=1
			break
		fi
		echo "# rmmod $MODNAME failed (attempt $i), refcnt $(cat "/sys/module/$MODNAME/refcnt" 2>/dev/null || echo ?); retrying"
		sleep 0.5
	done
	if [[ -n $ok ]] && ! mod_loaded; then
		result module-unload ok "${i} attempt(s)"
	else
		lsmod | grep -E "^$MODNAME " || true
		result module-unload fail "rmmod $MODNAME did not succeed in 10s"
	fi
fi
kmsg "<<< module-unload"

# ---- dmesg-clean -----------------------------------------------------------
echo "# ===== [$((n + 1))/$total] dmesg-clean ====="
log=$($DMESG_CMD 2>&1) || echo "# WARNING: '$DMESG_CMD' failed"
# Only this run's part of the log (everything if the start marker is gone),
# each hit labelled with the test that was running.
hits=$(awk -v marker="run-all: $marker" -v pat="$DMESG_PATTERN" '
	{ lines[NR] = $0; if (index($0, marker)) start = NR }
	END {
		cur = "module-load"
		for (i = start + 1; i <= NR; i++) {
			l = lines[i]
			if (index(l, "run-all: <<< ")) continue
			if (match(l, /run-all: >>> [^ ]+/)) { cur = substr(l, RSTART + 13, RLENGTH - 13); continue }
			if (l ~ pat) print "[" cur "] " l
		}
	}' <<<"$log")
taint1=$(cat /proc/sys/kernel/tainted 2>/dev/null || echo 0)
# New taint other than O (out-of-tree, 4096) and E (unsigned, 8192).
newtaint=$(((taint1 & ~taint0) & ~(4096 | 8192)))
if [[ -z $hits && $newtaint -eq 0 ]]; then
	result dmesg-clean ok
else
	if [[ -n $hits ]]; then
		echo "# kernel log lines matching /$DMESG_PATTERN/:"
		printf '%s\n' "$hits" | head -n 200
	fi
	((newtaint == 0)) || echo "# kernel taint changed: $taint0 -> $taint1 (new flags $newtaint)"
	result dmesg-clean fail "$(printf '%s\n' "$hits" | grep -c . || true) suspicious kernel log line(s), new taint $newtaint"
fi

summary
((failed == 0))
