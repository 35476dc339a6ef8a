#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The man page covers what relayctl offers: every command of "relayctl
# --help" has a SYNOPSIS line and an entry under COMMANDS, every option of
# --help and every "set" key appears, and groff renders it without a
# warning.
#
# Usage: test_man.sh path/to/relayctl path/to/relayctl.8

set -u
RELAYCTL=$1
MAN=$2
failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# Roff escapes hyphens; compare on the text groff would print.
text=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou "$MAN" 2>/dev/null) || fail "groff failed on $MAN"
warn=$(LC_ALL=C.UTF-8 groff -man -ww -z "$MAN" 2>&1)
[ -z "$warn" ] || fail "groff warnings: $warn"

synopsis=$(sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' <<<"$text")
commands=$(sed -n '/^COMMANDS/,/^OPTIONS/p' <<<"$text")
for cmd in $("$RELAYCTL" --help | sed -n '/^Commands:/,/^$/{s/^  \([a-z]*\).*/\1/p}'); do
	grep -qE "relayctl( \[[^]]*\])* $cmd( |$)" <<<"$synopsis" || fail "SYNOPSIS lacks $cmd"
	grep -qE "^       $cmd( |$)" <<<"$commands" || fail "COMMANDS lacks $cmd"
done
for opt in $("$RELAYCTL" --help | sed -n '/^Options:/,/^$/p' | grep -oE -- '--[a-z]+'); do
	grep -q -- "$opt" <<<"$text" || fail "the man page does not mention $opt"
done
for key in $("$RELAYCTL" set --help | sed -n '/^Keys:/,/^$/{s/^  \([a-z-]*\) .*/\1/p}' | sort -u); do
	grep -qE "^       $key( |$)" <<<"$text" || fail "KEYS lacks $key"
done

if [ "$failures" -gt 0 ]; then
	echo "test_man: $failures failure(s)" >&2
	exit 1
fi
echo "test_man: ok"
