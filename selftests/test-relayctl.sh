#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# relayctl against the real module: show (text and JSON), set of every key,
# rejected input (the kernel's extack text reaches the user), atomicity,
# privileges, and the module being absent.
set -euo pipefail
# shellcheck source=selftests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root
require_relayctl
require_cmd ip jq setpriv
ensure_module

netns_new NS r
netns_new EMPTY e
ip -n "$NS" link add relay0 type pktrelay
ip -n "$NS" link add relay1 type pktrelay
ip -n "$NS" link add dum0 type dummy 2>/dev/null || ip -n "$NS" link add dum0 type veth

OUT=$(tmpdir)/out
ERR=$(tmpdir)/err

RELAYCTL_NS=$NS

cfg() { # cfg DEV: the configuration part of `-j show DEV`
	ok -j show "$1"
	jq -c 'del(.stats)' <<<"$STDOUT"
}

# --- help and version ---------------------------------------------------------
"$RELAYCTL" --help >"$OUT" 2>"$ERR" || fail "relayctl --help exited non-zero"
assert_contains "show" "$(cat "$OUT" "$ERR")" "--help"
assert_contains "set" "$(cat "$OUT" "$ERR")" "--help"
"$RELAYCTL" --version >"$OUT" 2>"$ERR" || fail "relayctl --version exited non-zero"
[[ -n $(cat "$OUT") ]] || fail "relayctl --version printed nothing on stdout"
bad "" nosuchcommand

# --- show: text ------------------------------------------------------------------
ok show relay0
txt=$STDOUT
assert_contains relay0 "$txt" "show relay0"
for kv in "udp.timeout 120" "dns.timeout 15" "refresh outbound" "max.assocs 65536" \
	"dns relay" "icmp.echo reply" "echo.rate 10000" "echo.burst 1000" "upstream none"; do
	k=${kv% *} v=${kv#* }
	grep -Eiq "(^|[^a-z_-])${k}:?[[:space:]]+${v}([^0-9a-z]|$)" <<<"$txt" ||
		fail "show relay0: no '$k $v' in:
$txt"
done
grep -Eiq "max.assocs.per.source:?[[:space:]]+(0|off)([^0-9a-z]|$)" <<<"$txt" ||
	fail "show relay0: max-assocs-per-source default missing: $txt"
grep -Eiq "fwmark:?[[:space:]]+(0|0x0|off|none)([^0-9a-z]|$)" <<<"$txt" ||
	fail "show relay0: fwmark default missing: $txt"
assert_contains relay1 "$(nsx "$NS" "$RELAYCTL" show)" "show (all) text"

# --- show: JSON ----------------------------------------------------------------------
ok -j show relay0
j=$STDOUT
jq -e 'type == "object"' <<<"$j" >/dev/null || fail "-j show relay0 is not one JSON object: $j"
ifindex=$(ip -n "$NS" -j link show relay0 | jq '.[0].ifindex')
jq -e --argjson i "$ifindex" '
	.ifname == "relay0" and .ifindex == $i and
	.upstream.type == "none" and
	.udp_timeout == 120 and .dns_timeout == 15 and .refresh == "outbound" and
	.max_assocs == 65536 and .max_assocs_per_source == 0 and .fwmark == 0 and
	.dns == "relay" and .icmp_echo == "reply" and
	.echo_rate == 10000 and .echo_burst == 1000 and
	(.features | type == "array" and index("unreach") != null) and
	(.stats | type == "object") and
	([.stats.tx_packets, .stats.tx_dropped, .stats.unhandled, .stats.malformed,
	  .stats.unreach_sent] | all(type == "number"))' <<<"$j" >/dev/null ||
	fail "-j show relay0 does not show the defaults: $j"

ok -j show
jq -e 'type == "array" and length == 2' <<<"$STDOUT" >/dev/null ||
	fail "-j show: want an array of the 2 pktrelay devices, got: $STDOUT"
assert_eq "relay0 relay1" "$(jq -r '[.[].ifname] | sort | join(" ")' <<<"$STDOUT")" "-j show names"
all=$STDOUT
ok -j
assert_eq "$(jq -c '[.[].ifname] | sort' <<<"$all")" "$(jq -c '[.[].ifname] | sort' <<<"$STDOUT")" \
	"relayctl -j (no command) vs -j show"
RC=0
out=$(nsx "$EMPTY" "$RELAYCTL" -j show) || RC=$?
((RC == 0)) || fail "-j show in a namespace without devices exited $RC"
assert_eq 0 "$(jq 'length' <<<"$out")" "-j show in a namespace without devices"

# --- set every key -------------------------------------------------------------------
ok set relay0 udp-timeout 30 dns-timeout 5 refresh both max-assocs 100 \
	max-assocs-per-source 4 fwmark 0x10 dns truncate icmp-echo drop \
	echo-rate 50 echo-burst 10
ok -j show relay0
jq -e '.udp_timeout == 30 and .dns_timeout == 5 and .refresh == "both" and
	.max_assocs == 100 and .max_assocs_per_source == 4 and .fwmark == 16 and
	.dns == "truncate" and .icmp_echo == "drop" and .echo_rate == 50 and
	.echo_burst == 10 and .upstream.type == "none"' <<<"$STDOUT" >/dev/null ||
	fail "set of every key not reflected: $STDOUT"
ok show relay0
grep -Eiq "udp.timeout:?[[:space:]]+30([^0-9]|$)" <<<"$STDOUT" || fail "text show after set: $STDOUT"
# relay1 is untouched
ok -j show relay1
jq -e '.udp_timeout == 120 and .dns == "relay" and .fwmark == 0' <<<"$STDOUT" >/dev/null ||
	fail "set relay0 changed relay1: $STDOUT"

ok set relay0 max-assocs-per-source off fwmark off echo-rate off upstream none
ok -j show relay0
jq -e '.max_assocs_per_source == 0 and .fwmark == 0 and .echo_rate == 0 and
	.upstream.type == "none" and .udp_timeout == 30' <<<"$STDOUT" >/dev/null ||
	fail "set ... off not reflected: $STDOUT"
ok set relay0 fwmark 4294967295 udp-timeout 86400 max-assocs 16777216 echo-burst 1000000
ok -j show relay0
jq -e '.fwmark == 4294967295 and .udp_timeout == 86400 and .max_assocs == 16777216 and
	.echo_burst == 1000000' <<<"$STDOUT" >/dev/null || fail "range maxima not reflected: $STDOUT"

# --- rejected input changes nothing ------------------------------------------------------
ok set relay0 udp-timeout 30 dns-timeout 5
good=$(cfg relay0)

bad "" set relay0 udp-timeout 0
grep -Eiq "udp|timeout|range" <<<"$STDERR" ||
	fail "set udp-timeout 0: the message names neither the key nor the range: $STDERR"
bad "" set relay0 udp-timeout 86401
grep -Eiq "udp|timeout|range" <<<"$STDERR" ||
	fail "set udp-timeout 86401: the message names neither the key nor the range: $STDERR"
bad "" set relay0 max-assocs 0
bad "" set relay0 echo-burst 0
bad "" set relay0 udp-timeout abc
bad "" set relay0 udp-timeout -1
bad "" set relay0 udp-timeout 4294967296
bad "" set relay0 udp-timeout ""
bad "" set relay0 udp-timeout
bad "" set relay0 refresh sometimes
bad "" set relay0 dns maybe
bad "" set relay0 icmp-echo 1
bad "" set relay0 fwmark 0x100000000
bad "" set relay0 bogus 1
assert_contains bogus "$STDERR" "set relay0 bogus 1: message"
bad "" set relay0
bad "" set relay0 udp-timeout 40 udp-timeout 50
bad "" set nosuchdev udp-timeout 5
grep -Eiq "nosuchdev|no such device" <<<"$STDERR" || fail "set nosuchdev: unhelpful message: $STDERR"
bad "" set dum0 udp-timeout 5
bad "" set lo udp-timeout 5
bad "" show nosuchdev
grep -Eiq "nosuchdev|no such device" <<<"$STDERR" || fail "show nosuchdev: unhelpful message: $STDERR"
rc -j show nosuchdev
((RC == 1)) || fail "-j show nosuchdev: exit $RC, want 1"

ok -j show relay0
features=$(jq -c .features <<<"$STDOUT")
if jq -e 'index("upstream_direct")' <<<"$features" >/dev/null; then
	log "module implements upstream direct (features $features): its refusal not checked"
else
	bad "" set relay0 upstream direct
	# the kernel's extack text, not only strerror
	grep -Eiq "upstream|direct|implement" <<<"$STDERR" ||
		fail "set upstream direct: kernel message missing: $STDERR"
	# atomicity: a good key with a refused upstream
	bad "" set relay0 udp-timeout 77 upstream direct
fi
if ! jq -e 'index("upstream_socks5")' <<<"$features" >/dev/null; then
	bad "" set relay0 upstream socks5 127.0.0.1:1080
	grep -Eiq "upstream|socks|implement" <<<"$STDERR" ||
		fail "set upstream socks5: kernel message missing: $STDERR"
fi
bad "" set relay0 upstream
bad "" set relay0 upstream bogus

# atomicity: good keys and one bad value, in either order, change nothing
bad "" set relay0 udp-timeout 77 dns-timeout 0
bad "" set relay0 dns-timeout 0 udp-timeout 77
bad "" set relay0 dns truncate refresh both max-assocs 0 icmp-echo reply
bad "" set relay0 udp-timeout 77 refresh sometimes
assert_eq "$good" "$(cfg relay0)" "configuration after rejected sets"

# --- not root -------------------------------------------------------------------------
# a copy any user can execute (the build tree may not be)
ucopy=$(tmpdir)/u
mkdir -p "$ucopy"
cp "$RELAYCTL" "$ucopy/relayctl"
chmod 755 "$(tmpdir)" "$ucopy" "$ucopy/relayctl"
for cmd in "show relay0" "-j show" "set relay0 udp-timeout 9"; do
	RC=0
	# shellcheck disable=SC2086 # word splitting of $cmd is intended
	nsx "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$ucopy/relayctl" $cmd >"$OUT" 2>"$ERR" || RC=$?
	((RC == 1)) || fail "unprivileged relayctl $cmd: exit $RC, want 1 ($(cat "$ERR"))"
	grep -q "Operation not permitted" "$ERR" ||
		fail "unprivileged relayctl $cmd: no 'Operation not permitted': $(cat "$ERR")"
done
assert_eq "$good" "$(cfg relay0)" "configuration after unprivileged set"

# --- module not loaded ------------------------------------------------------------------
if [[ ${PKTRELAY_IN_VM:-} == 1 && -w /proc/sys/kernel/modprobe ]]; then
	# no autoloading behind our back (a DKMS install would bring it back)
	old_modprobe=$(cat /proc/sys/kernel/modprobe)
	on_exit "echo '$old_modprobe' > /proc/sys/kernel/modprobe"
	echo /nonexistent-modprobe >/proc/sys/kernel/modprobe
fi
rmmod pktrelay || fail "rmmod pktrelay"
on_exit ensure_module
for cmd in "show" "show relay0" "-j show" "set relay0 udp-timeout 9"; do
	# shellcheck disable=SC2086 # word splitting of $cmd is intended
	rc $cmd
	((RC == 1)) || fail "relayctl $cmd without the module: exit $RC, want 1"
	grep -Eiq "not found|not loaded" <<<"$STDERR" ||
		fail "relayctl $cmd without the module: no 'family not found' message: $STDERR"
done
if [[ -n ${old_modprobe:-} ]]; then
	echo "$old_modprobe" >/proc/sys/kernel/modprobe
fi
insmod "$PKTRELAY_KO" || fail "insmod $PKTRELAY_KO"
ip -n "$NS" link add relay0 type pktrelay
ok -j show relay0
jq -e '.udp_timeout == 120' <<<"$STDOUT" >/dev/null || fail "fresh relay0 after reload: $STDOUT"

# Colour: on a terminal only (script(1) gives relayctl one), never with
# NO_COLOR or into a pipe, always with --color=always.
# tty_show TERM [NO_COLOR] [OPTION]: relayctl [OPTION] show relay0 on a tty
tty_show() {
	nsx "$NS" env TERM="$1" NO_COLOR="${2:-}" \
		script -qec "$RELAYCTL ${3:-} show relay0" /dev/null
}
esc=$'\033['
[[ $(tty_show xterm) == *"${esc}1;32mdevice: relay0"* ]] || fail "no colour on a terminal"
[[ $(tty_show xterm 1) != *"$esc"* ]] || fail "colour despite NO_COLOR"
[[ $(tty_show dumb) != *"$esc"* ]] || fail "colour on TERM=dumb"
[[ $(tty_show xterm "" --color=never) != *"$esc"* ]] || fail "colour despite --color=never"
ok show relay0
[[ $STDOUT != *"$esc"* ]] || fail "colour into a pipe"
ok --color=always show relay0
[[ $STDOUT == *"${esc}1;32mdevice: relay0"* ]] || fail "--color=always: no coloured title"
ok --color=always -j show relay0
[[ $STDOUT != *"$esc"* ]] || fail "colour in JSON"
jq -e . <<<"$STDOUT" >/dev/null || fail "--color=always -j show: not JSON"

exit 0
