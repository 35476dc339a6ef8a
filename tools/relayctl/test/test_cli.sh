#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# relayctl command-line tests that need no pktrelay module: help, version,
# and every local syntax error, which must exit 1 with a precise message
# and without opening a netlink socket (checked with strace if present).
# Without the module, valid commands must fail at the family lookup (and
# "monitor" must not wait for events).
#
# Usage: test_cli.sh [path/to/relayctl]

set -u
RELAYCTL=${1:-./relayctl}
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

have_strace=false
if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
	have_strace=true
fi

# run ARGS...: sets rc, out, err; under strace also opened_netlink.
run() {
	opened_netlink=false
	if $have_strace; then
		strace -f -e trace=socket -o "$tmp/trace" \
			"$RELAYCTL" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
		grep -q 'socket(AF_NETLINK' "$tmp/trace" && opened_netlink=true
	else
		"$RELAYCTL" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
	fi
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# fails MESSAGE ARGS...: exit 1, MESSAGE as the first line of stderr,
# nothing on stdout, no netlink socket.
fails() {
	local msg=$1
	shift
	run "$@"
	[ "$rc" = 1 ] || fail "relayctl $*: exit $rc, want 1"
	[ "${err%%$'\n'*}" = "$msg" ] ||
		fail "relayctl $*: stderr \"$err\", want \"$msg\""
	[ -z "$out" ] || fail "relayctl $*: unexpected stdout \"$out\""
	! $opened_netlink || fail "relayctl $*: opened a netlink socket"
}

# succeeds PATTERN ARGS...: exit 0, stdout matches the grep -E PATTERN.
succeeds() {
	local pat=$1
	shift
	run "$@"
	[ "$rc" = 0 ] || fail "relayctl $*: exit $rc, want 0 (stderr: $err)"
	grep -qE -- "$pat" <<<"$out" || fail "relayctl $*: stdout does not match $pat"
	! $opened_netlink || fail "relayctl $*: opened a netlink socket"
}

# Help and version.
succeeds '^Usage: relayctl \[OPTIONS\] COMMAND' --help
succeeds '^Usage: relayctl \[OPTIONS\] COMMAND' -h
succeeds '^Usage: relayctl \[OPTIONS\] COMMAND' help
succeeds '^Usage: relayctl \[OPTIONS\] COMMAND' help help
succeeds '^Usage: relayctl set DEV KEY VALUE' help set
succeeds '^Usage: relayctl set DEV KEY VALUE' set --help
succeeds '^Usage: relayctl set DEV KEY VALUE' set -h
succeeds '^Usage: relayctl \[-j\|--json\] show \[DEV\]' show --help
succeeds '^Usage: relayctl \[-j\|--json\] show \[DEV\]' -j show -h
succeeds '^Usage: relayctl \[-j\|--json\] flows DEV$' flows --help
succeeds '^Usage: relayctl \[-j\|--json\] flows DEV$' help flows
succeeds '^Usage: relayctl flush DEV$' flush --help
succeeds '^Usage: relayctl flush DEV$' help flush
succeeds '^Usage: relayctl \[-j\|--json\] monitor \[DEV\]$' monitor --help
succeeds '^Usage: relayctl \[-j\|--json\] monitor \[DEV\]$' -j monitor -h
succeeds '^  flows DEV  ' --help
succeeds '^  flush DEV  ' --help
succeeds '^  monitor \[DEV\]  ' --help
succeeds '^relayctl [^ ]+$' --version
succeeds '^generic netlink family "pktrelay" version [0-9]+$' -V
[ "$(wc -l <<<"$out")" = 2 ] || fail "--version: want 2 lines"

# Usage errors.
fails 'relayctl: unknown option "-x"' -x show
fails 'relayctl: unknown option "--jason"' --jason
fails 'relayctl: unknown command "shwo"' shwo
fails 'relayctl: help: unknown command "shwo"' help shwo
fails 'relayctl: help: unexpected argument "x"' help set x
fails 'relayctl: show: unexpected argument "b"' show a b
fails 'relayctl: show: "" is not a device name (1 to 15 bytes)' show ''
fails 'relayctl: show: "0123456789abcdef" is not a device name (1 to 15 bytes)' \
	show 0123456789abcdef
fails 'relayctl: set: missing device' set
fails 'relayctl: set: nothing to set' set relay0
fails 'relayctl: set: "0123456789abcdef" is not a device name (1 to 15 bytes)' \
	set 0123456789abcdef udp-timeout 5

# flows, flush, monitor.
fails 'relayctl: flows: missing device' flows
fails 'relayctl: flows: missing device' -j flows
fails 'relayctl: flows: unexpected argument "b"' flows a b
fails 'relayctl: flows: "" is not a device name (1 to 15 bytes)' flows ''
fails 'relayctl: flows: "0123456789abcdef" is not a device name (1 to 15 bytes)' \
	flows 0123456789abcdef
fails 'relayctl: flush: missing device' flush
fails 'relayctl: flush: unexpected argument "b"' flush a b
fails 'relayctl: flush: "" is not a device name (1 to 15 bytes)' flush ''
fails 'relayctl: monitor: unexpected argument "b"' monitor a b
fails 'relayctl: monitor: unexpected argument "b"' -j monitor a b
fails 'relayctl: monitor: "" is not a device name (1 to 15 bytes)' monitor ''
fails 'relayctl: monitor: "0123456789abcdef" is not a device name (1 to 15 bytes)' \
	monitor 0123456789abcdef
fails 'relayctl: monitor: nosuchdev0: No such device' monitor nosuchdev0
run flows
[ "$(sed -n 2p <<<"$err")" = "Usage: relayctl flows DEV" ] ||
	fail "relayctl flows: no usage line in \"$err\""
run monitor a b
[ "$(sed -n 2p <<<"$err")" = "Usage: relayctl monitor [DEV]" ] ||
	fail "relayctl monitor a b: no usage line in \"$err\""

# set: keys and values.
fails 'relayctl: set: "foo" is not a key' set relay0 foo 1
fails 'relayctl: set: "udp_timeout" is not a key' set relay0 udp_timeout 1
fails 'relayctl: set: udp-timeout: missing value' set relay0 udp-timeout
fails 'relayctl: set: echo-burst: missing value' set relay0 udp-timeout 5 echo-burst
fails 'relayctl: set: udp-timeout: "abc" is not a number' set relay0 udp-timeout abc
fails 'relayctl: set: udp-timeout: "" is not a number' set relay0 udp-timeout ''
fails 'relayctl: set: udp-timeout: "-1" is not a number' set relay0 udp-timeout -1
fails 'relayctl: set: udp-timeout: "5s" is not a number' set relay0 udp-timeout 5s
fails 'relayctl: set: udp-timeout: "0x10" is not a number' set relay0 udp-timeout 0x10
fails 'relayctl: set: udp-timeout: "off" is not a number' set relay0 udp-timeout off
fails 'relayctl: set: max-assocs: "4294967296" is too large (the maximum is 4294967295)' \
	set relay0 max-assocs 4294967296
fails 'relayctl: set: fwmark: "0x100000000" is too large (the maximum is 4294967295)' \
	set relay0 fwmark 0x100000000
fails 'relayctl: set: fwmark: "0x" is not a number' set relay0 fwmark 0x
fails 'relayctl: set: fwmark: "mark" is not a number' set relay0 fwmark mark
fails 'relayctl: set: echo-rate: "none" is not a number' set relay0 echo-rate none
fails 'relayctl: set: udp-timeout: given more than once' \
	set relay0 udp-timeout 5 dns relay udp-timeout 6
fails 'relayctl: set: refresh: "sometimes" is not one of: outbound, both' \
	set relay0 refresh sometimes
fails 'relayctl: set: dns: "RELAY" is not one of: relay, truncate' set relay0 dns RELAY
fails 'relayctl: set: icmp-echo: "ignore" is not one of: reply, drop' \
	set relay0 icmp-echo ignore

# set: upstream.
fails 'relayctl: set: upstream: missing value' set relay0 upstream
fails 'relayctl: set: upstream: "socks" is not one of: none, direct, socks5' \
	set relay0 upstream socks
fails 'relayctl: set: upstream: given more than once' \
	set relay0 upstream none udp-timeout 5 upstream direct
fails 'relayctl: set: "192.0.2.1:1080" is not a key' \
	set relay0 upstream direct 192.0.2.1:1080
fails 'relayctl: set: "user" is not a key' set relay0 upstream none user bob
fails 'relayctl: set: upstream socks5: missing ADDR:PORT' set relay0 upstream socks5
fails 'relayctl: set: upstream socks5: "192.0.2.1" has no port (expected ADDR:PORT or [ADDR]:PORT)' \
	set relay0 upstream socks5 192.0.2.1
fails 'relayctl: set: upstream socks5: "192.0.2.1:0" has a bad port (expected 1..65535)' \
	set relay0 upstream socks5 192.0.2.1:0
fails 'relayctl: set: upstream socks5: "proxy:1080" does not start with an IPv4 address (host names are not resolved)' \
	set relay0 upstream socks5 proxy:1080
fails 'relayctl: set: upstream socks5: "::1:1080" is not ADDR:PORT (write an IPv6 address as [ADDR]:PORT)' \
	set relay0 upstream socks5 ::1:1080
fails 'relayctl: set: upstream socks5: "[::1]" has no port (expected [ADDR]:PORT)' \
	set relay0 upstream socks5 '[::1]'
fails 'relayctl: set: upstream socks5: "[fe80::1%eth0]:1080" has a zone index, which is not supported' \
	set relay0 upstream socks5 '[fe80::1%eth0]:1080'
fails 'relayctl: set: upstream socks5: "user" and "password-file" go together' \
	set relay0 upstream socks5 192.0.2.1:1080 user bob
fails 'relayctl: set: upstream socks5: "user" and "password-file" go together' \
	set relay0 upstream socks5 192.0.2.1:1080 password-file /dev/null udp-timeout 5
fails 'relayctl: set: upstream socks5: user: missing value' \
	set relay0 upstream socks5 192.0.2.1:1080 user
fails 'relayctl: set: upstream socks5: user: given more than once' \
	set relay0 upstream socks5 192.0.2.1:1080 user a user b password-file x
fails "relayctl: set: password-file \"$tmp/nope\": No such file or directory" \
	set relay0 upstream socks5 192.0.2.1:1080 user bob password-file "$tmp/nope"
: >"$tmp/empty"
fails "relayctl: set: password-file \"$tmp/empty\" is empty" \
	set relay0 upstream socks5 192.0.2.1:1080 user bob password-file "$tmp/empty"
printf '\n' >"$tmp/newline"
fails "relayctl: set: password-file \"$tmp/newline\" is empty" \
	set relay0 upstream socks5 192.0.2.1:1080 user bob password-file "$tmp/newline"
head -c 256 /dev/zero | tr '\0' p >"$tmp/long"
fails "relayctl: set: password-file \"$tmp/long\": password longer than 255 bytes" \
	set relay0 upstream socks5 192.0.2.1:1080 user bob password-file "$tmp/long"
fails "relayctl: set: password-file \"$tmp\": Is a directory" \
	set relay0 upstream socks5 192.0.2.1:1080 user bob password-file "$tmp"

# route: arguments.
succeeds '^Usage: relayctl route add DEV \[table ID\]' route --help
succeeds '^Usage: relayctl route add DEV \[table ID\]' route add relay0 -h
succeeds '^Usage: relayctl route add DEV \[table ID\]' help route
succeeds '^  route add\|del\|show DEV' --help
fails 'relayctl: route: missing add, del or show' route
fails 'relayctl: route: "up" is not one of: add, del, show' route up relay0
fails 'relayctl: route add: missing device' route add
fails 'relayctl: route del: "" is not a device name (1 to 15 bytes)' route del ''
fails 'relayctl: route add: unexpected argument "via"' route add relay0 via 10.0.0.1
fails 'relayctl: route add: table: missing value' route add relay0 table
fails 'relayctl: route add: table: given more than once' route add relay0 table 7 table 8
fails 'relayctl: route add: table: "x" is not a number' route add relay0 table x
fails 'relayctl: route add: table: "0" is out of range 1..4294967295' route add relay0 table 0
fails 'relayctl: route add: table: 254 is the kernel'"'"'s main table; pick one of its own' \
	route add relay0 table 254
fails 'relayctl: route del: table: "local" is the kernel'"'"'s; pick a table of its own (1..252 or 256..)' \
	route del relay0 table local
fails 'relayctl: route add: priority: "0" is out of range 1..32765' route add relay0 priority 0
fails 'relayctl: route add: priority: "32766" is out of range 1..32765' route add relay0 priority 32766
fails 'relayctl: route add: proto: "tcp" is not one of: udp, all' route add relay0 proto tcp
fails 'relayctl: route del: proto: only "route add" takes a protocol' route del relay0 proto all
fails 'relayctl: route show: priority: only "route add" takes a priority' route show relay0 priority 9
fails 'relayctl: route add: give at most one of -4 and -6' route add relay0 -4 -6
# setconf and showconf: usage, and every local error in a file, with the
# file name and line, before any netlink socket is opened.
succeeds '^Usage: relayctl setconf DEV FILE$' setconf --help
succeeds '^Usage: relayctl setconf DEV FILE$' help setconf
succeeds '^Usage: relayctl showconf DEV$' showconf -h
succeeds '^Usage: relayctl showconf DEV$' help showconf
succeeds '^  setconf DEV FILE  ' --help
succeeds '^  showconf DEV  ' --help
fails 'relayctl: setconf: missing device' setconf
fails 'relayctl: setconf: missing configuration file' setconf relay0
fails 'relayctl: setconf: unexpected argument "b"' setconf relay0 a b
fails 'relayctl: setconf: "0123456789abcdef" is not a device name (1 to 15 bytes)' \
	setconf 0123456789abcdef x
fails 'relayctl: showconf: missing device' showconf
fails 'relayctl: showconf: unexpected argument "b"' showconf relay0 b
fails 'relayctl: showconf: "" is not a device name (1 to 15 bytes)' showconf ''
run setconf relay0
[ "$(sed -n 2p <<<"$err")" = "Usage: relayctl setconf DEV FILE" ] ||
	fail "relayctl setconf relay0: no usage line in \"$err\""
fails "relayctl: setconf: $tmp/nope.conf: No such file or directory" setconf relay0 "$tmp/nope.conf"
fails "relayctl: setconf: $tmp: Is a directory" setconf relay0 "$tmp"

# conf_fails MESSAGE LINE...: a file of the LINEs is refused with MESSAGE
# (with "F:" for the file's name and relayctl: setconf: before it).
conf_fails() {
	local msg=$1
	shift
	printf '%s\n' "$@" >"$tmp/c.conf"
	fails "relayctl: setconf: $tmp/c.conf:${msg#F:}" setconf relay0 "$tmp/c.conf"
}
conf_fails 'F:2: "foo" is not a key' '[Device]' 'foo = 1'
conf_fails 'F:3: udp-timeout: "5s" is not a number' '# c' '[Device]' 'udp-timeout = 5s'
conf_fails 'F:2: udp-timeout: missing value' '[Device]' 'udp-timeout ='
conf_fails 'F:3: udp-timeout: given more than once (first on line 2)' \
	'[Device]' 'udp-timeout = 5' 'udp-timeout = 5'
conf_fails 'F:2: icmp-echo: "ignore" is not one of: reply, drop' '[Device]' 'icmp-echo = ignore'
conf_fails 'F:1: "udp-timeout = 5" comes before [Device]' 'udp-timeout = 5'
conf_fails 'F:1: "[Peer]" is not a section (the one section is [Device])' '[Peer]'
conf_fails 'F:2: "dns truncate" is not KEY = VALUE' '[Device]' 'dns truncate'
conf_fails 'F:2: upstream socks5: "192.0.2.1" has no port (expected ADDR:PORT or [ADDR]:PORT)' \
	'[Device]' 'upstream = socks5 192.0.2.1'
conf_fails 'F:2: user: only with "upstream = socks5 ADDR:PORT"' '[Device]' 'user = bob'
conf_fails 'F:3: "user" and "password-file" go together' \
	'[Device]' 'upstream = socks5 192.0.2.1:1080' 'user = bob'
conf_fails "F:4: password-file \"$tmp/nope\": No such file or directory" \
	'[Device]' 'upstream = socks5 192.0.2.1:1080' 'user = bob' "password-file = $tmp/nope"
conf_fails "F:4: password-file \"$tmp/empty\" is empty" \
	'[Device]' 'upstream = socks5 192.0.2.1:1080' 'user = bob' "password-file = $tmp/empty"
printf '[Device]\nudp-timeout = 5\0\n' >"$tmp/nul.conf"
fails "relayctl: setconf: $tmp/nul.conf:2: the line holds a NUL byte" setconf relay0 "$tmp/nul.conf"
# "-" is standard input, which then cannot hold the password too.
printf '[Device]\nupstream = socks5 192.0.2.1:1080\nuser = u\npassword-file = -\n' >"$tmp/in.conf"
opened_netlink=false
if $have_strace; then
	strace -f -e trace=socket -o "$tmp/trace" "$RELAYCTL" setconf relay0 - \
		<"$tmp/in.conf" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	grep -q 'socket(AF_NETLINK' "$tmp/trace" && opened_netlink=true
else
	"$RELAYCTL" setconf relay0 - <"$tmp/in.conf" >"$tmp/out" 2>"$tmp/err"
	rc=$?
fi
if [ "$rc" != 1 ] || $opened_netlink ||
	[ "$(cat "$tmp/err")" != 'relayctl: setconf: <stdin>:4: password-file: "-" is standard input, which holds the configuration' ]; then
	fail "setconf relay0 - with password-file = -: exit $rc, netlink $opened_netlink, stderr \"$(cat "$tmp/err")\""
fi

# Without the module, valid commands get as far as the family lookup.
if [ ! -d /sys/module/pktrelay ] && ! modinfo pktrelay >/dev/null 2>&1; then
	nofamily='relayctl: pktrelay generic netlink family not found (is the pktrelay module loaded?)'
	head -c 255 /dev/zero | tr '\0' p >"$tmp/max"
	echo >>"$tmp/max"
	printf '%s\n' '; every key' '[Device]' 'upstream = socks5 [2001:db8::1]:1080' \
		'user = bob' "password-file = $tmp/max" 'udp-timeout = 5' 'dns-timeout = 1' \
		'refresh = both' 'max-assocs = 9' 'max-assocs-per-source = off' 'fwmark = 0x10' \
		'dns = truncate' 'icmp-echo = drop' 'echo-rate = off' 'echo-burst = 7' >"$tmp/full.conf"
	for args in "" "show" "show relay0" "-j show" \
		"set relay0 udp-timeout 5 fwmark 0x10 echo-rate off max-assocs-per-source off" \
		"set relay0 upstream socks5 [2001:db8::1]:1080 user bob password-file $tmp/max dns truncate" \
		"set relay0 upstream none refresh both icmp-echo drop echo-burst 7 max-assocs 9 dns-timeout 1" \
		"flows relay0" "-j flows relay0" "flush relay0" "monitor" "-j monitor" "monitor lo" \
		"showconf relay0" "setconf relay0 $tmp/full.conf"; do
		# shellcheck disable=SC2086 # split on purpose
		run $args
		if [ "$rc" != 1 ] || [ "$err" != "$nofamily" ] || [ -n "$out" ]; then
			fail "relayctl $args: exit $rc, stderr \"$err\", want \"$nofamily\""
		fi
		if $have_strace && ! $opened_netlink; then
			fail "relayctl $args: did not open a netlink socket"
		fi
	done
fi

if [ "$failures" -gt 0 ]; then
	echo "test_cli: $failures failure(s)" >&2
	exit 1
fi
echo "test_cli: ok"
