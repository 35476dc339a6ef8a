#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [SECONDS] — run every relayctl fuzz target (built by
# "make -C tools/relayctl fuzz") for SECONDS each (default 20), starting
# from its seed corpus in corpus/TARGET/ and with relayctl.dict. Exits 0
# if none found a crash, a leak, an undefined behaviour or a broken round
# trip; otherwise 1, after printing the sanitizer's report and the input
# that triggered it (hex). New inputs go to a scratch copy of the corpus.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
secs=${1:-20}
[[ $secs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: SECONDS must be a positive number, not '$secs'" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/relayctl-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

failed=0
for target in args conf route; do
	bin=$here/fuzz_$target
	if [[ ! -x $bin ]]; then
		echo "run.sh: $bin is not built (make -C tools/relayctl fuzz)" >&2
		failed=1
		continue
	fi
	mkdir -p "$work/$target/corpus" "$work/$target/crash"
	cp "$here/corpus/$target/"* "$work/$target/corpus/"
	log=$work/$target/log
	rc=0
	# -rss_limit_mb: the test VM has 1 GB.
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=512 \
		-dict="$here/relayctl.dict" -artifact_prefix="$work/$target/crash/" \
		-print_final_stats=1 "$work/$target/corpus" >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 || true)
	if ((rc != 0)) || grep -qE '^==[0-9]+==ERROR|runtime error:|^SUMMARY:' "$log"; then
		failed=1
		echo "fuzz_$target: FAILED (exit $rc) after ${runs:-?} inputs; its report:"
		grep -vE '^#[0-9]+' "$log" | tail -n 60
		for f in "$work/$target/crash/"*; do
			[[ -e $f ]] || continue
			echo "fuzz_$target: input $(basename "$f") ($(stat -c %s "$f") bytes), hex:"
			od -An -tx1 -v "$f" | head -n 40
		done
	else
		echo "fuzz_$target: ok, ${runs:-?} inputs in ${secs}s, ${cov:-cov: ?}, corpus $(find "$work/$target/corpus" -type f | wc -l) inputs"
	fi
done
exit "$failed"
