#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The libFuzzer targets of relayctl's parsers (tools/relayctl/fuzz/: set's
# arguments and setconf's configuration file), built on the host by
# "make selftests", each run for a bounded time from its seed corpus. Any
# crash, leak, undefined behaviour, or a file that parses but does not
# survive the showconf | setconf round trip, fails the test.
# PKTRELAY_FUZZ_TIME: seconds per target (default 20).
set -euo pipefail
# shellcheck source=selftests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)}
FUZZDIR=$REPO/tools/relayctl/fuzz
secs=${PKTRELAY_FUZZ_TIME:-20}

for t in args conf route; do
	[[ -x $FUZZDIR/fuzz_$t ]] ||
		fail "$FUZZDIR/fuzz_$t not built: make selftests (or make -C tools/relayctl fuzz)"
done
tmpdir >/dev/null
out=$(tmpdir)/out
rc=0
TMPDIR=$(tmpdir) "$FUZZDIR/run.sh" "$secs" >"$out" 2>&1 || rc=$?
while IFS= read -r line; do
	log "$line"
done <"$out"
((rc == 0)) || fail "a fuzz target failed (report above)"
# Each target must really have run, not merely exited 0.
for t in args conf route; do
	grep -Eq "^fuzz_$t: ok, [1-9][0-9]* inputs" "$out" ||
		fail "fuzz_$t: no 'ok, N inputs' line in its report"
done
exit 0
