#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UDP through relay0 with the direct upstream, against real peers:
# socat and Python clients in one namespace, echo servers in another.
# Round trips over IPv4 and IPv6, endpoint-independent mapping (one
# association per local endpoint, RFC 4787 REQ-1), full-cone replies from a
# remote the app never contacted, and many concurrent flows.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_module
require_relayctl
require_cmd socat jq ip

topo_up

log "round trip with socat over IPv4 and IPv6"
out=$(nsx "$APP" socat -T5 - UDP4:10.200.0.2:7000 <<<"hello4")
assert_eq "a:hello4" "$out" "IPv4 reply through relay0"
out=$(nsx "$APP" socat -T5 - "UDP6:[fd20::2]:7000" <<<"hello6")
assert_eq "a:hello6" "$out" "IPv6 reply through relay0"
# The servers saw the relay's upstream address, not the app's 10.99.0.1.
assert_match '^10\.200\.0\.1 [0-9]+$' "$(peers s4a)" "IPv4 server's peer"
assert_match '^fd20::1 [0-9]+$' "$(peers s6a)" "IPv6 server's peer"
assert_eq 2 "$(stat assoc_created)" "associations created"
assert_eq 2 "$(stat rx_packets)" "replies injected into relay0"
# relay0 counts IP packets both ways: "hello4\n" is 7 bytes of UDP payload,
# "a:hello4\n" 9, plus 28 bytes of IPv4+UDP or 48 of IPv6+UDP headers.
assert_eq $((7 + 28 + 7 + 48)) "$(stat tx_bytes)" "tx_bytes of the two requests"
assert_eq $((9 + 28 + 9 + 48)) "$(stat rx_bytes)" "rx_bytes of the two replies"
assert_eq 0 "$(stat upstream_errors)" "no upstream errors"
assert_eq 0 "$(stat queue_drops)" "no queue drops"

log "datagrams larger than the upstream path MTU (veth: 1500) go through"
big=$(head -c 3000 /dev/zero | tr '\0' x)
out=$(nsx "$APP" socat -T5 -b 65536 - UDP4:10.200.0.2:7000 <<<"$big")
assert_eq "a:$big" "$out" "3000-byte IPv4 datagram and reply"
out=$(nsx "$APP" socat -T5 -b 65536 - "UDP6:[fd20::2]:7000" <<<"$big")
assert_eq "a:$big" "$out" "3000-byte IPv6 datagram and reply"
# An app that does its own path MTU discovery (IPV6_PMTUDISC_DO, as QUIC
# stacks do) still gets its datagram through: relay0's MTU is 65535, and
# the relay fragments on the upstream side whatever the app's socket said.
out=$(nsx "$APP" "$PYTHON" -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, 23, 2)   # IPV6_MTU_DISCOVER = PMTUDISC_DO
s.settimeout(5)
s.sendto(b"y" * 3000, ("fd20::2", 7000))
print(len(s.recv(65535)))
')
assert_eq 3002 "$out" "3000-byte IPv6 datagram from a PMTUDISC_DO socket"
assert_eq 0 "$(stat upstream_errors)" "no upstream errors for large datagrams"

log "endpoint-independent mapping: one local endpoint, two destinations"
for fam in 4 6; do
	if [[ $fam == 4 ]]; then
		bind=10.99.0.1:40000 a=10.200.0.2:7000 b=10.200.0.2:7001 srv=s4
	else
		bind="[fd99::1]:40000" a="[fd20::2]:7000" b="[fd20::2]:7001" srv=s6
	fi
	before=$(stat assoc_created)
	out=$(client --bind "$bind" "$a" "$b")
	assert_contains "a:msg-0" "$out" "IPv$fam reply from first destination"
	assert_contains "b:msg-1" "$out" "IPv$fam reply from second destination"
	assert_eq $((before + 1)) "$(stat assoc_created)" \
		"IPv$fam: one association for both destinations"
	pa=$(last_peer "${srv}a") pb=$(last_peer "${srv}b")
	assert_eq "$pa" "$pb" "IPv$fam: both servers saw the same relay endpoint"
done

log "relayctl flows lists the association with its counters"
flow=$(relayctl_app -j flows relay0 | jq -c '.[] | select(.local == "10.99.0.1:40000")')
[[ -n $flow ]] || fail "10.99.0.1:40000 not in relayctl -j flows"
assert_eq '"inet" "10.200.0.2:7000" "direct" "ready" 2 2' \
	"$(jq -r '[.family, .remote, .upstream, .state, .tx_packets, .rx_packets] | map(tojson) | join(" ")' <<<"$flow" | tr -d '\\')" \
	"flow fields"
assert_eq "$(last_peer s4b | tr ' ' :)" "$(jq -r .relay <<<"$flow")" \
	"relay endpoint in flows = what the server saw"
flow6=$(relayctl_app -j flows relay0 | jq -c '.[] | select(.local == "[fd99::1]:40000")')
assert_eq '"inet6"' "$(jq -c .family <<<"$flow6")" "IPv6 flow listed"

log "full cone: a remote the app never sent to reaches it through the mapping"
out_file="$(tmpdir)/cone.out"
client --bind 10.99.0.1:40001 --linger 8 10.200.0.2:7000 >"$out_file" &
bg_track $!
wait_for 10 grep -q "^reply" "$out_file" || fail "no first reply: $(cat "$out_file")"
relay_port=$(last_peer s4a | cut -d' ' -f2)
nsx "$UP" "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.200.0.2", 7002))
s.sendto(b"from-stranger", ("10.200.0.1", int(sys.argv[1])))
' "$relay_port"
wait_for 10 grep -q "^extra 10.200.0.2 7002 from-stranger" "$out_file" ||
	fail "unsolicited datagram not delivered: $(cat "$out_file")"

log "many concurrent flows"
before=$(stat assoc_created)
out=$(client --flows 200 --timeout 20 10.200.0.2:7000)
assert_eq "ok=200 refused=0 timeout=0" "$out" "200 IPv4 flows"
out=$(client --flows 100 --timeout 20 "[fd20::2]:7001")
assert_eq "ok=100 refused=0 timeout=0" "$out" "100 IPv6 flows"
assert_eq $((before + 300)) "$(stat assoc_created)" "one association per flow"
assert_eq "$(stat assoc_created)" "$(assocs)" "all associations still live"
assert_eq 0 "$(stat queue_drops)" "no queue drops"
assert_eq 0 "$(stat nomem)" "no allocation failures"

log "relayctl monitor reports creation and removal"
ev="$(tmpdir)/events" everr="$(tmpdir)/events.err"
nsx_bg "$APP" "$RELAYCTL" -j monitor relay0 >"$ev" 2>"$everr"
wait_for 10 grep -q monitoring "$everr" || fail "monitor did not start: $(cat "$everr")"
client --bind 10.99.0.1:44000 10.200.0.2:7000 | grep -q "^reply" || fail "no reply"
relayctl_app flush relay0 || fail "flush"
wait_for 10 grep -q '"local":"10.99.0.1:44000".*"reason":"flushed"' "$ev" ||
	fail "no del event for 10.99.0.1:44000: $(cat "$ev")"
new=$(grep '"event":"new"' "$ev" | grep '"local":"10.99.0.1:44000"') ||
	fail "no new event: $(cat "$ev")"
assert_eq '"10.200.0.2:7000" "direct"' "$(jq -c '[.remote, .upstream]' <<<"$new" | tr -d '[]' | tr , ' ')" "new event"
del=$(grep '"local":"10.99.0.1:44000".*"reason":"flushed"' "$ev")
assert_eq "$(jq -r .relay <<<"$new")" "$(jq -r .relay <<<"$del")" "relay endpoint in both events"
[[ $(jq -r .relay <<<"$new") =~ ^10\.200\.0\.1:[0-9]+$ ]] || fail "relay endpoint: $new"
assert_eq 0 "$(assocs)" "flush emptied the table"
