#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UDP through relay0 with the socks5 upstream against a real SOCKS5 server,
# Debian's dante-server (danted), in the upstream namespace: round trips of
# IPv4 and IPv6 apps over an IPv4 and an IPv6 server, one UDP ASSOCIATE per
# local endpoint, RFC 1929 authentication (right and wrong password),
# swapping upstreams under traffic, and the server dying mid-flow.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_module
require_relayctl
require_cmd danted socat jq ip unshare

topo_up

# danted METHOD: start a SOCKS5 server on 10.200.0.2:1080 and [fd20::2]:1080
# in UP, with socksmethod METHOD (none or username). For username, the
# account relay/secret exists only in its private mount namespace.
DANTED_PID=
danted_start() {
	local dir conf
	dir=$(tmpdir)
	conf="$dir/danted.conf"
	cat >"$conf" <<-EOC
	logoutput: $dir/danted.log
	internal: 10.200.0.2 port = 1080
	internal: fd20::2 port = 1080
	external: veth1
	clientmethod: none
	socksmethod: $1
	user.privileged: root
	user.unprivileged: nobody
	client pass { from: 0/0 to: 0/0 }
	socks pass { from: 0/0 to: 0/0 command: udpassociate udpreply }
	EOC
	cp /etc/passwd "$dir/passwd"
	cp /etc/shadow "$dir/shadow"
	echo "relay:x:4242:4242::/nonexistent:/usr/sbin/nologin" >>"$dir/passwd"
	echo "relay:$("$PYTHON" -W ignore -c 'import crypt; print(crypt.crypt("secret", crypt.mksalt(crypt.METHOD_SHA512)))'):19000:0:99999:7:::" >>"$dir/shadow"
	nsx "$UP" unshare -m sh -c "mount --bind '$dir/passwd' /etc/passwd &&
		mount --bind '$dir/shadow' /etc/shadow &&
		exec danted -f '$conf' -N 1" &
	DANTED_PID=$!
	bg_track "$DANTED_PID"
	wait_for 10 nsx "$UP" sh -c 'ss -ltn | grep -q "10.200.0.2:1080"' ||
		fail "danted did not start: $(cat "$dir/danted.log" 2>/dev/null)"
}

# danted_stop: kill every danted process in UP. Its io-child, which holds
# the control connections, outlives the mother and renames itself.
danted_stop() {
	local pid
	for pid in $(ip netns pids "$UP"); do
		[[ $(cat "/proc/$pid/comm" 2>/dev/null) != danted ]] ||
			kill -9 "$pid" 2>/dev/null || true
	done
	{ wait "$DANTED_PID"; } 2>/dev/null || true
	wait_for 10 nsx "$UP" sh -c '! ss -ltn | grep -q ":1080"' ||
		fail "danted still listening"
}

danted_start none
relayctl_app set relay0 upstream socks5 10.200.0.2:1080 ||
	fail "relayctl set upstream socks5"
assert_eq '{"type":"socks5","address":"10.200.0.2:1080"}' \
	"$(relay_json "$APP" relay0 | jq -c .upstream)" "upstream shown"

log "IPv4 and IPv6 apps over an IPv4 SOCKS5 server"
out=$(nsx "$APP" socat -T5 - UDP4:10.200.0.2:7000 <<<"via-socks4")
assert_eq "a:via-socks4" "$out" "IPv4 reply through socks5"
out=$(nsx "$APP" socat -T5 - "UDP6:[fd20::2]:7000" <<<"via-socks6")
assert_eq "a:via-socks6" "$out" "IPv6 reply through socks5"
# The echo servers saw dante's address, not the relay's own (10.200.0.1).
assert_match '^10\.200\.0\.2 [0-9]+$' "$(last_peer s4a)" "IPv4 server's peer is the SOCKS server"
assert_match '^fd20::2 [0-9]+$' "$(last_peer s6a)" "IPv6 server's peer is the SOCKS server"
flow=$(relayctl_app -j flows relay0 | jq -c '.[] | select(.upstream == "socks5" and .family == "inet6")')
[[ $flow == *'"relay":"10.200.0.1:'* ]] || fail "IPv6 flow relayed from the IPv4 socket: $flow"

log "one UDP ASSOCIATE per local endpoint, whatever the destination"
before=$(stat assoc_created)
out=$(client --bind 10.99.0.1:45000 10.200.0.2:7000 10.200.0.2:7001)
assert_contains "a:msg-0" "$out" "first destination"
assert_contains "b:msg-1" "$out" "second destination"
assert_eq $((before + 1)) "$(stat assoc_created)" "one association for both"
assert_eq "$(last_peer s4a)" "$(last_peer s4b)" "both servers saw one relay endpoint"

log "IPv4 app over an IPv6 SOCKS5 server"
relayctl_app set relay0 upstream socks5 "[fd20::2]:1080"
out=$(client --bind 10.99.0.1:45001 10.200.0.2:7000)
assert_contains "reply 10.200.0.2 7000 a:msg-0" "$out" "IPv4 app, IPv6 server"
# The control connection is IPv6 (kernel sockets, so ss shows no process);
# where UDP goes is the server's choice (dante answers with its IPv4 BND).
ctrl=$(nsx "$APP" ss -Htn state established '( dport = :1080 )')
assert_match '\[fd20::1\]:[0-9]+ +\[fd20::2\]:1080' "$ctrl" "IPv6 control connection"

log "swapping upstreams: the SOCKS5 associations keep working, new flows go direct"
relayctl_app set relay0 upstream direct
out=$(client --bind 10.99.0.1:45001 10.200.0.2:7000)
assert_contains "reply 10.200.0.2 7000 a:msg-0" "$out" "existing socks5 association"
assert_match '^10\.200\.0\.2 ' "$(last_peer s4a)" "still relayed by dante (its address, not 10.200.0.1)"
out=$(client --bind 10.99.0.1:45002 10.200.0.2:7000)
assert_contains "reply 10.200.0.2 7000 a:msg-0" "$out" "new direct flow"
assert_match '^10\.200\.0\.1 ' "$(last_peer s4a)" "relayed directly"

log "the SOCKS5 server dies: its associations end, new flows are refused"
relayctl_app set relay0 upstream socks5 10.200.0.2:1080
out=$(client --flows 5 --timeout 10 10.200.0.2:7000)
assert_eq "ok=5 refused=0 timeout=0" "$out" "flows through socks5"
socks_assocs() { relayctl_app -j flows relay0 | jq '[.[] | select(.upstream == "socks5")] | length'; }
closed=$(stat socks5_closed)
live=$(socks_assocs)
((live >= 5)) || fail "socks5 associations before the kill: $live"
ev="$(tmpdir)/events" everr="$(tmpdir)/events.err"
nsx_bg "$APP" "$RELAYCTL" -j monitor relay0 >"$ev" 2>"$everr"
wait_for 10 grep -q monitoring "$everr" || fail "monitor did not start: $(cat "$everr")"
danted_stop
wait_for 15 stat_is socks5_closed $((closed + live)) ||
	fail "control connection loss not noticed: socks5_closed=$(stat socks5_closed), want $((closed + live))"
# relayctl monitor names the reason: one upstream-error event per association.
upstream_errors_are() {
	[[ $(jq -s '[.[] | select(.event == "del" and .reason == "upstream-error" and
		.upstream == "socks5")] | length' "$ev") == "$1" ]]
}
wait_for 10 upstream_errors_are "$live" ||
	fail "monitor: want $live upstream-error events: $(cat "$ev")"
assert_eq 0 "$(socks_assocs)" "socks5 associations left"
failed=$(stat open_failed)
out=$(client --bind 10.99.0.1:45003 10.200.0.2:7000)
assert_contains "refused" "$out" "new flow with the server gone"
assert_eq $((failed + 1)) "$(stat open_failed)" "open_failed"

log "RFC 1929 username/password"
danted_start username
relayctl_app flush relay0
printf 'secret\n' >"$(tmpdir)/pw"
relayctl_app set relay0 upstream socks5 10.200.0.2:1080 user relay password-file "$(tmpdir)/pw" ||
	fail "set socks5 with credentials"
assert_eq '{"type":"socks5","address":"10.200.0.2:1080","username":"relay"}' \
	"$(relay_json "$APP" relay0 | jq -c .upstream)" "credentials shown without the password"
relay_json "$APP" relay0 | grep -q secret && fail "password shown by relayctl"
out=$(client --bind 10.99.0.1:45004 10.200.0.2:7000)
assert_contains "reply 10.200.0.2 7000 a:msg-0" "$out" "authenticated flow"
printf 'wrong\n' >"$(tmpdir)/pw"
relayctl_app set relay0 upstream socks5 10.200.0.2:1080 user relay password-file "$(tmpdir)/pw"
failed=$(stat open_failed)
out=$(client --bind 10.99.0.1:45005 10.200.0.2:7000)
assert_contains "refused" "$out" "wrong password"
assert_eq $((failed + 1)) "$(stat open_failed)" "open_failed after a refused login"
danted_stop
