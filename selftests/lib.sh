# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the pktrelay shell selftests. Source it from a test that runs
# with `set -euo pipefail`:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Exit codes: 0 pass, 1 fail, 4 skip (KSFT_SKIP). Everything a test creates
# through these helpers (network namespaces, background processes, files,
# extra cleanup commands) is removed on exit, whatever the exit path.
#
# Environment (set by selftests/run-all.sh): PKTRELAY_KO (absolute path to
# pktrelay.ko), RELAYCTL (absolute path to relayctl), REPO (repo top).

# shellcheck disable=SC2034 # for the tests that source this file
KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

PR_TEST=$(basename "${BASH_SOURCE[1]:-$0}")
PR_PREFIX="pr-$$"
PR_NETNS=()
PR_PIDS=()
PR_CLEANUP=()

# Python from Debian (the VM has no pyenv shims): the stdlib is all we need.
# shellcheck disable=SC2034 # used by the tests
if [[ -x /usr/bin/python3 ]]; then
	PYTHON=/usr/bin/python3
else
	PYTHON=python3
fi

log() { echo "# $PR_TEST: $*" >&2; }
fail() {
	echo "# $PR_TEST: FAIL: $*" >&2
	exit "$KSFT_FAIL"
}
skip() {
	echo "# $PR_TEST: SKIP: $*" >&2
	exit "$KSFT_SKIP"
}

# on_exit CMD...: run CMD (one string, eval'd) at exit, last registered first.
on_exit() { PR_CLEANUP+=("$*"); }

pr_cleanup() {
	local rc=$? i ns
	set +e
	trap - EXIT
	for ((i = ${#PR_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${PR_CLEANUP[i]}" >/dev/null 2>&1
	done
	for i in "${PR_PIDS[@]}"; do
		kill "$i" 2>/dev/null
	done
	for i in "${PR_PIDS[@]}"; do
		wait "$i" 2>/dev/null
	done
	for ns in "${PR_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	[[ -z $PR_TMPDIR ]] || rm -rf "$PR_TMPDIR"
	if ((rc == 0)); then
		echo "# $PR_TEST: PASS" >&2
	fi
	exit "$rc"
}
trap pr_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# tmpdir: prints the test's private temporary directory (removed at exit).
# Created here, not on first use: $(tmpdir) runs in a subshell.
PR_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/$PR_PREFIX.XXXXXX")
tmpdir() { echo "$PR_TMPDIR"; }

# rc ARGS...: relayctl in the namespace $RELAYCTL_NS (set it first); sets
# RC, STDOUT and STDERR, and never fails.
rc() {
	RC=0
	nsx "$RELAYCTL_NS" "$RELAYCTL" "$@" >"$PR_TMPDIR/relayctl.out" \
		2>"$PR_TMPDIR/relayctl.err" || RC=$?
	STDOUT=$(cat "$PR_TMPDIR/relayctl.out")
	STDERR=$(cat "$PR_TMPDIR/relayctl.err")
}

# ok ARGS...: relayctl must succeed.
ok() {
	rc "$@"
	((RC == 0)) || fail "relayctl $* exited $RC: $STDERR"
}

# bad WANT ARGS...: relayctl must exit 1, print nothing on stdout, and say
# WANT (a fixed string; "" for any message) on stderr.
bad() {
	local want=$1
	shift
	rc "$@"
	((RC == 1)) || fail "relayctl $*: exit $RC, want 1 (stdout: $STDOUT, stderr: $STDERR)"
	[[ -z $STDOUT ]] || fail "relayctl $*: unexpected stdout: $STDOUT"
	[[ -n $STDERR ]] || fail "relayctl $*: no error message"
	assert_contains "$want" "$STDERR" "relayctl $*: message"
	log "relayctl $*: $STDERR"
}

# netns_new VAR [SUFFIX]: create a fresh netns named pr-PID-SUFFIX, store the
# name in VAR and bring lo up in it. Removed at exit (with its devices).
netns_new() {
	local __var=$1 suffix=${2:-$((${#PR_NETNS[@]} + 1))}
	local name="$PR_PREFIX-$suffix"
	ip netns add "$name" || fail "ip netns add $name"
	PR_NETNS+=("$name")
	ip -n "$name" link set lo up || fail "lo up in $name"
	printf -v "$__var" '%s' "$name"
}

# netns_del NAME: delete a netns made by netns_new now.
netns_del() {
	local ns=$1 i
	ip netns del "$ns" || fail "ip netns del $ns"
	for i in "${!PR_NETNS[@]}"; do
		[[ ${PR_NETNS[i]} != "$ns" ]] || unset 'PR_NETNS[i]'
	done
}

# nsx NS CMD...: run CMD in netns NS.
nsx() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# bg_track PID: kill PID at exit.
bg_track() { PR_PIDS+=("$1"); }

# nsx_bg NS CMD...: run CMD in NS in the background, killed at exit. Sets
# BG_PID to CMD's own PID (ip netns exec execs it). "nsx NS CMD &" would
# fork a subshell instead: signals would stop the subshell and leave CMD
# running, holding the namespace after the test.
nsx_bg() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@" &
	BG_PID=$!
	bg_track "$BG_PID"
}

# wait_for TIMEOUT_SECS CMD...: poll CMD (10 per second) until it succeeds.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	while ! "$@"; do
		((SECONDS < deadline)) || return 1
		sleep 0.1
	done
}

# assert_eq WANT GOT WHAT
assert_eq() {
	[[ "$1" == "$2" ]] || fail "$3: want '$1', got '$2'"
}

# assert_match REGEX STRING WHAT
assert_match() {
	[[ "$2" =~ $1 ]] || fail "$3: '$2' does not match /$1/"
}

# assert_contains NEEDLE HAYSTACK WHAT
assert_contains() {
	[[ "$2" == *"$1"* ]] || fail "$3: '$1' not found in: $2"
}

# require_cmd CMD...: every CMD must be installed (scripts/deps.sh).
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || fail "'$c' not installed (scripts/deps.sh)"
	done
}

# require_root: the tests create namespaces and devices.
require_root() {
	((EUID == 0)) || skip "needs root"
}

# require_module: pktrelay must be loaded (run-all.sh insmods it).
require_module() {
	[[ -d /sys/module/pktrelay ]] || fail "pktrelay module not loaded"
}

# module_loaded: true when pktrelay is loaded.
module_loaded() { [[ -d /sys/module/pktrelay ]]; }

# ensure_module: load $PKTRELAY_KO if pktrelay is not loaded.
ensure_module() {
	module_loaded && return 0
	[[ -n ${PKTRELAY_KO:-} && -r $PKTRELAY_KO ]] || fail "PKTRELAY_KO not set or unreadable: '${PKTRELAY_KO:-}'"
	insmod "$PKTRELAY_KO" || fail "insmod $PKTRELAY_KO"
}

# require_relayctl: $RELAYCTL must be an executable (fail, not skip).
require_relayctl() {
	[[ -n ${RELAYCTL:-} ]] || fail "RELAYCTL not set"
	[[ -x $RELAYCTL ]] || fail "RELAYCTL '$RELAYCTL' is not an executable"
}

# link_json NS DEV: `ip -d -s -j link show DEV` in NS (one JSON object).
link_json() {
	ip -n "$1" -d -s -j link show dev "$2" | jq -e '.[0]'
}

# relay_json NS DEV: `relayctl -j show DEV` in NS (one JSON object).
relay_json() {
	local out
	out=$(nsx "$1" "$RELAYCTL" -j show "$2") || return 1
	# accept an object or a one-element array
	jq -e 'if type == "array" then .[0] else . end' <<<"$out"
}

# relay_stat NS DEV KEY: one counter of the stats object (relayctl -j).
relay_stat() {
	relay_json "$1" "$2" | jq -er --arg k "$3" '.stats[$k]'
}

# pktrelay_devs_everywhere: every pktrelay device in every namespace (and
# the root one) as "NETNS DEV" lines; nothing when there is none.
pktrelay_devs_everywhere() {
	local ns
	ip -d -j link show | jq -r '.[] | select(.linkinfo.info_kind == "pktrelay") | "- " + .ifname'
	for ns in $(ip netns list | awk '{print $1}'); do
		ip -n "$ns" -d -j link show 2>/dev/null |
			jq -r --arg ns "$ns" '.[] | select(.linkinfo.info_kind == "pktrelay") | $ns + " " + .ifname'
	done
}
