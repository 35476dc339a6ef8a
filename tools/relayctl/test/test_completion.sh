#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# relayctl's bash completion: commands, keywords not yet used, values.
# Device names come from ip(8), which lists no pktrelay device on a host
# without the module, so they are stubbed.
#
# Usage: test_completion.sh [path/to/relayctl.bash-completion]

set -u
# shellcheck source=tools/relayctl/relayctl.bash-completion
source "${1:-./relayctl.bash-completion}"
_relayctl_devices() { echo relay0 relay1; }
failures=0

# want "EXPECTED" WORDS...: completing the last word gives EXPECTED.
want() {
	local expected=$1 got
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_relayctl 2>/dev/null
	got="${COMPREPLY[*]}"
	if [ "$got" != "$expected" ]; then
		echo "FAIL: [$*]: got \"$got\", want \"$expected\"" >&2
		failures=$((failures + 1))
	fi
}

want "show showconf set setconf flows flush monitor route help" relayctl ""
want "route" relayctl ro
want "--json" relayctl --j
want "relay0 relay1 --help" relayctl show ""
want "relay1" relayctl -j flows relay1
want "add del show --help" relayctl route ""
want "add del show --help" relayctl --color=always route ""
want "relay0 relay1" relayctl route add ""
want "table priority proto -4 -6" relayctl route add relay0 ""
want "priority proto -4 -6" relayctl route add relay0 table 7 ""
want "udp all" relayctl route add relay0 proto ""
want "" relayctl route add relay0 table ""
want "table" relayctl route show relay0 -4 ""
want "table -4 -6" relayctl route del relay0 ""
want "none direct socks5" relayctl set relay0 upstream ""
want "outbound both" relayctl set relay0 refresh ""
want "dns-timeout" relayctl set relay0 dns-t

if [ "$failures" -gt 0 ]; then
	echo "test_completion: $failures failure(s)" >&2
	exit 1
fi
echo "test_completion: ok"
