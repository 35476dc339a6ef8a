#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# relayctl setconf/showconf against the real module: a full file sets every
# key (checked in -j show with jq), keys left out go back to their defaults,
# showconf | setconf changes nothing, the password is read from its file and
# never shown, and every refused file (unknown key, bad value, missing file,
# key given twice, value the kernel refuses) exits 1 with FILE:LINE and
# leaves the configuration exactly as it was.
set -euo pipefail
# shellcheck source=selftests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root
require_relayctl
require_cmd ip jq
ensure_module

netns_new NS r
ip -n "$NS" link add relay0 type pktrelay
ip -n "$NS" link add relay1 type pktrelay
ip -n "$NS" link add dum0 type dummy 2>/dev/null || ip -n "$NS" link add dum0 type veth

tmpdir >/dev/null
T=$(tmpdir)
ERR=$T/err
PASSWORD='pR3-s3cret-8c1d'	# must never appear in any output
printf '%s\n' "$PASSWORD" >"$T/pw"

RELAYCTL_NS=$NS

cfg() { # cfg DEV: the configuration part of `-j show DEV` (no counters)
	ok -j show "$1"
	jq -c 'del(.stats)' <<<"$STDOUT"
}

# conf NAME LINE...: write the file $T/NAME of the LINEs.
conf() {
	local name=$1
	shift
	printf '%s\n' "$@" >"$T/$name"
}

DEFAULTS='.upstream == {type: "none"} and
	.udp_timeout == 120 and .dns_timeout == 15 and .refresh == "outbound" and
	.max_assocs == 65536 and .max_assocs_per_source == 0 and .fwmark == 0 and
	.dns == "relay" and .icmp_echo == "reply" and
	.echo_rate == 10000 and .echo_burst == 1000'

ok -j show relay0
jq -e '.features | index("config_reset")' <<<"$STDOUT" >/dev/null ||
	fail "the module does not report the config_reset feature: $STDOUT"
jq -e "$DEFAULTS" <<<"$STDOUT" >/dev/null || fail "a new relay0 is not at the defaults: $STDOUT"

# --- a full file: every key, socks5 with credentials --------------------------
conf full.conf '# every key, in a file' '; another comment' '' '[Device]' \
	'upstream = socks5 192.0.2.10:1080' 'user = alice' "password-file = $T/pw" \
	'udp-timeout = 30' 'dns-timeout = 5' 'refresh = both' 'max-assocs = 100' \
	'max-assocs-per-source = 4' 'fwmark = 0x10' 'dns = truncate' 'icmp-echo = drop' \
	'echo-rate = 50' '	echo-burst	=	10	'
ok setconf relay0 "$T/full.conf"
[[ -z $STDOUT && -z $STDERR ]] || fail "setconf printed something: $STDOUT $STDERR"
ok -j show relay0
jq -e '.upstream == {type: "socks5", address: "192.0.2.10:1080", username: "alice"} and
	.udp_timeout == 30 and .dns_timeout == 5 and .refresh == "both" and
	.max_assocs == 100 and .max_assocs_per_source == 4 and .fwmark == 16 and
	.dns == "truncate" and .icmp_echo == "drop" and .echo_rate == 50 and
	.echo_burst == 10' <<<"$STDOUT" >/dev/null ||
	fail "setconf of every key not reflected in -j show: $STDOUT"
ok -j show relay1
jq -e "$DEFAULTS" <<<"$STDOUT" >/dev/null || fail "setconf relay0 changed relay1: $STDOUT"

# --- the password: read from its file, never shown -----------------------------
ok showconf relay0
conf_out=$STDOUT
ok show relay0
text_out=$STDOUT
ok -j show relay0
json_out=$STDOUT
ok -j show
for o in "$conf_out" "$text_out" "$json_out" "$STDOUT"; do
	[[ $o != *"$PASSWORD"* ]] || fail "the password appears in the output: $o"
done
[[ $conf_out != *"$T/pw"* ]] || fail "showconf names the password-file: $conf_out"
assert_contains 'user = alice' "$conf_out" "showconf with credentials"
grep -Eq '^# password-file: not shown' <<<"$conf_out" ||
	fail "showconf: no comment where the password-file goes: $conf_out"
# The password is read from the file: a password on stdin works the same.
conf stdinpw.conf '[Device]' 'upstream = socks5 [2001:db8::1]:1080' 'user = bob' \
	'password-file = -'
nsx "$NS" "$RELAYCTL" setconf relay1 "$T/stdinpw.conf" <"$T/pw" ||
	fail "setconf with password-file = - (password on stdin)"
ok -j show relay1
jq -e '.upstream == {type: "socks5", address: "[2001:db8::1]:1080", username: "bob"}' \
	<<<"$STDOUT" >/dev/null || fail "socks5 over IPv6 with a user from setconf: $STDOUT"
[[ $STDOUT != *"$PASSWORD"* ]] || fail "the password appears in -j show relay1"

# --- showconf: every key, the file format ---------------------------------------
for key in upstream user udp-timeout dns-timeout refresh max-assocs \
	max-assocs-per-source fwmark dns icmp-echo echo-rate echo-burst; do
	grep -Eq "^$key = [^ ]" <<<"$conf_out" || fail "showconf: no '$key = ...' line in: $conf_out"
done
grep -Fxq '[Device]' <<<"$conf_out" || fail "showconf: no [Device] line: $conf_out"
grep -Fxq 'upstream = socks5 192.0.2.10:1080' <<<"$conf_out" ||
	fail "showconf: upstream line: $conf_out"

# --- round trip: showconf | setconf changes nothing ------------------------------
# With credentials, the password-file line has to be added (it is never shown).
before=$(cfg relay0)
nsx "$NS" sh -c "{ '$RELAYCTL' showconf relay0; echo 'password-file = $T/pw'; } | '$RELAYCTL' setconf relay0 -" ||
	fail "showconf relay0 (+ password-file) | setconf relay0 - failed"
assert_eq "$before" "$(cfg relay0)" "configuration after showconf | setconf (socks5 with credentials)"
# Without it, setconf refuses, and nothing changes.
rc=0
nsx "$NS" sh -c "'$RELAYCTL' showconf relay0 | '$RELAYCTL' setconf relay0 -" 2>"$ERR" || rc=$?
((rc == 1)) || fail "showconf | setconf of a socks5 upstream with a user but no password-file: exit $rc"
assert_contains '<stdin>:' "$(cat "$ERR")" "showconf | setconf without password-file: message"
assert_contains '"user" and "password-file" go together' "$(cat "$ERR")" \
	"showconf | setconf without password-file: message"
assert_eq "$before" "$(cfg relay0)" "configuration after a refused showconf | setconf"

# Without credentials the plain pipe is a no-op, every key away from its default.
ok set relay0 upstream direct udp-timeout 31 dns-timeout 6 refresh both max-assocs 99 \
	max-assocs-per-source 3 fwmark 0xdeadbeef dns truncate icmp-echo drop echo-rate off \
	echo-burst 11
before=$(cfg relay0)
nsx "$NS" sh -c "'$RELAYCTL' showconf relay0 | '$RELAYCTL' setconf relay0 -" ||
	fail "showconf relay0 | setconf relay0 - failed"
assert_eq "$before" "$(cfg relay0)" "configuration after showconf | setconf"
# ... and gives another device the same configuration.
nsx "$NS" sh -c "'$RELAYCTL' showconf relay0 | '$RELAYCTL' setconf relay1 -" ||
	fail "showconf relay0 | setconf relay1 - failed"
assert_eq "$(jq -c 'del(.ifname, .ifindex)' <<<"$before")" \
	"$(cfg relay1 | jq -c 'del(.ifname, .ifindex)')" "relay1 after showconf relay0 | setconf relay1"
# ... and a fresh device's showconf round-trips too.
ip -n "$NS" link add relay2 type pktrelay
before=$(cfg relay2)
nsx "$NS" sh -c "'$RELAYCTL' showconf relay2 | '$RELAYCTL' setconf relay2 -" ||
	fail "showconf relay2 | setconf relay2 - failed"
assert_eq "$before" "$(cfg relay2)" "fresh relay2 after showconf | setconf"

# --- keys left out take their defaults ---------------------------------------------
ok setconf relay0 "$T/full.conf"
conf one.conf '[Device]' 'udp-timeout = 77'
ok setconf relay0 "$T/one.conf"
ok -j show relay0
jq -e "${DEFAULTS/udp_timeout == 120/udp_timeout == 77}" <<<"$STDOUT" >/dev/null ||
	fail "setconf of udp-timeout alone did not reset the rest (upstream included): $STDOUT"
ok setconf relay0 "$T/full.conf"
conf section.conf '# nothing but the section' '[Device]'
ok setconf relay0 "$T/section.conf"
ok -j show relay0
jq -e "$DEFAULTS" <<<"$STDOUT" >/dev/null || fail "setconf of an empty [Device]: not the defaults: $STDOUT"
assert_eq "$(cfg relay2 | jq -c 'del(.ifname, .ifindex)')" \
	"$(cfg relay0 | jq -c 'del(.ifname, .ifindex)')" "relay0 after an empty setconf vs a fresh device"

# --- refused files change nothing, and say FILE:LINE -----------------------------------
ok setconf relay0 "$T/full.conf"
good=$(cfg relay0)

# each refused file also carries good keys that differ from the current ones
conf unknown.conf '[Device]' 'udp-timeout = 40' 'bogus = 1'
bad "$T/unknown.conf:3: \"bogus\" is not a key" setconf relay0 "$T/unknown.conf"
conf value.conf '[Device]' 'udp-timeout = 40' '' 'refresh = sometimes'
bad "$T/value.conf:4: refresh: \"sometimes\" is not one of: outbound, both" \
	setconf relay0 "$T/value.conf"
conf number.conf '[Device]' 'dns-timeout = 5s'
bad "$T/number.conf:2: dns-timeout: \"5s\" is not a number" setconf relay0 "$T/number.conf"
conf twice.conf '[Device]' 'udp-timeout = 40' 'dns = relay' 'udp-timeout = 41'
bad "$T/twice.conf:4: udp-timeout: given more than once (first on line 2)" \
	setconf relay0 "$T/twice.conf"
conf twice-up.conf '[Device]' 'upstream = direct' 'upstream = none'
bad "$T/twice-up.conf:3: upstream: given more than once (first on line 2)" \
	setconf relay0 "$T/twice-up.conf"
bad "$T/nope.conf: No such file or directory" setconf relay0 "$T/nope.conf"
conf nopw.conf '[Device]' 'upstream = socks5 192.0.2.1:1080' 'user = bob' \
	"password-file = $T/nope.pw"
bad "$T/nopw.conf:4: password-file \"$T/nope.pw\": No such file or directory" \
	setconf relay0 "$T/nopw.conf"
conf nosection.conf 'udp-timeout = 40'
bad "$T/nosection.conf:1: \"udp-timeout = 40\" comes before [Device]" \
	setconf relay0 "$T/nosection.conf"
conf syntax.conf '[Device]' 'udp-timeout 40'
bad "$T/syntax.conf:2: \"udp-timeout 40\" is not KEY = VALUE" setconf relay0 "$T/syntax.conf"
conf creds.conf '[Device]' 'upstream = direct' 'user = bob' "password-file = $T/pw"
bad "$T/creds.conf:3: user: only with \"upstream = socks5 ADDR:PORT\"" setconf relay0 "$T/creds.conf"
assert_eq "$good" "$(cfg relay0)" "configuration after files refused by relayctl"

# the kernel refuses a value out of range: the whole file is refused
conf range.conf '[Device]' 'upstream = direct' 'udp-timeout = 40' 'dns-timeout = 0' 'dns = relay'
bad "dns-timeout at $T/range.conf:4" setconf relay0 "$T/range.conf"
grep -Eiq "range|invalid" <<<"$STDERR" || fail "kernel refusal without the kernel's reason: $STDERR"
conf range2.conf '[Device]' 'echo-burst = 0'
bad "echo-burst at $T/range2.conf:2" setconf relay0 "$T/range2.conf"
# a rule across keys: per-source above max-assocs
conf cross.conf '[Device]' 'max-assocs = 5' 'max-assocs-per-source = 6' 'udp-timeout = 40'
bad "max-assocs-per-source cannot exceed max-assocs" setconf relay0 "$T/cross.conf"
assert_contains "$T/cross.conf:3" "$STDERR" "cross-key refusal names the line"
# ... and per-source alone above the default max-assocs (65536)
conf cross2.conf '[Device]' 'max-assocs-per-source = 70000'
bad "max-assocs-per-source cannot exceed max-assocs" setconf relay0 "$T/cross2.conf"
assert_eq "$good" "$(cfg relay0)" "configuration after files refused by the kernel"

# the device must exist and be a pktrelay device
bad "No such device" setconf nosuchdev0 "$T/one.conf"
rc setconf dum0 "$T/one.conf"
((RC == 1)) || fail "setconf dum0: exit $RC, want 1"
bad "No such device" showconf nosuchdev0
assert_eq "$good" "$(cfg relay0)" "configuration at the end"

exit 0
