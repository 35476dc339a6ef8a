#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP and ICMPv6 echo requests routed into relay0 are answered in-kernel:
# ping and ping -6 (plain, large, empty, patterned, flood) get every reply
# with the payload intact (ping compares it), checked byte by byte by
# pkt.py (addresses, TTL 64, checksums, options and extension headers
# removed, a tapped request left unmodified); "icmp-echo drop" and the
# echo-rate token bucket stop replies and count them; broadcasts are never
# answered.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_module
require_relayctl
require_cmd ping jq ip

topo_up
# relay0's link-local address sends router solicitations into relay0, which
# count as icmp_other: keep them out of the counters this test checks.
nsx "$APP" sysctl -qw net.ipv6.conf.relay0.router_solicitations=0
# Only UDP enters relay0 through topo.sh's rules: route these ranges there
# to ping them.
ip -n "$APP" route add 10.55.0.0/24 dev relay0 src 10.99.0.1
ip -n "$APP" -6 route add fd55::/64 dev relay0 src fd99::1

features=$(relay_json "$APP" relay0 | jq -c .features)
assert_contains '"icmp_echo"' "$features" "features"

# ping_all N ARGS...: ping -c N ARGS in APP; all N replies must come back
# intact (iputils ping reports payload mismatches and bad checksums).
ping_all() {
	local n=$1 out before
	shift
	before=$(stat echo_replied)
	out=$(nsx "$APP" ping -n -c "$n" -W 5 "$@" 2>&1) || fail "ping $*: $out"
	assert_contains "$n packets transmitted, $n received," "$out" "ping $*"
	[[ $out != *"wrong data"* && $out != *"BAD CHECKSUM"* && $out != *DUP!* ]] ||
		fail "ping $*: damaged replies: $out"
	assert_eq $((before + n)) "$(stat echo_replied)" "echo_replied after ping $*"
}

log "ping and ping -6: plain, 1400 bytes, empty, 9000 bytes, patterned"
for dst in 10.55.0.7 fd55::7; do
	ping_all 3 -i 0.2 "$dst"
	ping_all 3 -i 0.2 -s 1400 "$dst"
	ping_all 3 -i 0.2 -s 0 "$dst"
	ping_all 2 -i 0.2 -s 9000 "$dst"
	ping_all 3 -i 0.2 -s 300 -p ff00aa5501 "$dst"
	ping_all 3 -i 0.2 -s 64 -p 00 "$dst"
done

log "flood: ping -f -c 500 and ping -6 -f -c 500"
for dst in 10.55.0.200 fd55::200; do
	ping_all 500 -f "$dst"
done
assert_eq 0 "$(stat echo_ratelimited)" "default rate limit did not bite"
assert_eq 0 "$(stat nomem)" "no allocation failures"

log "answers checked byte by byte (pkt.py echo)"
nsx "$APP" env RELAYCTL="$RELAYCTL" "$PYTHON" "$SELFTESTS/pkt.py" relay0 echo ||
	fail "pkt.py echo"

log "relay0 counts requests as tx and replies as rx"
before_tx=$(stat tx_packets) before_rx=$(stat rx_packets) before=$(stat echo_replied)
ping_all 4 -i 0.2 -s 100 10.55.0.9
wait_for 5 stat_is rx_packets $((before_rx + 4)) ||
	fail "rx_packets $(stat rx_packets), want $((before_rx + 4))"
assert_eq $((before_tx + 4)) "$(stat tx_packets)" "tx_packets"

log "icmp-echo drop: no replies, echo_dropped counts them"
relayctl_app set relay0 icmp-echo drop || fail "set icmp-echo drop"
for dst in 10.55.0.7 fd55::7; do
	before=$(stat echo_dropped) replied=$(stat echo_replied)
	out=$(nsx "$APP" ping -n -c 3 -i 0.2 -W 1 "$dst" 2>&1) && fail "ping $dst answered under icmp-echo drop: $out"
	assert_contains "3 packets transmitted, 0 received" "$out" "ping $dst under icmp-echo drop"
	assert_eq $((before + 3)) "$(stat echo_dropped)" "echo_dropped ($dst)"
	assert_eq "$replied" "$(stat echo_replied)" "echo_replied unchanged ($dst)"
done
relayctl_app set relay0 icmp-echo reply || fail "set icmp-echo reply"
ping_all 1 10.55.0.7

log "echo-rate 5 echo-burst 5: a fast burst of 50 is limited"
relayctl_app set relay0 echo-rate 5 echo-burst 5 || fail "set echo-rate"
for dst in 10.55.0.7 fd55::7; do
	# Let the bucket fill up again.
	sleep 1.2
	r0=$(stat echo_replied) l0=$(stat echo_ratelimited)
	out=$(nsx "$APP" ping -n -c 50 -i 0.002 -W 1 "$dst" 2>&1) || true
	assert_contains "50 packets transmitted" "$out" "ping burst to $dst"
	replied=$(($(stat echo_replied) - r0)) limited=$(($(stat echo_ratelimited) - l0))
	log "$dst: $replied replied, $limited rate-limited"
	((replied >= 5)) || fail "$dst: only $replied replies, the burst allows 5"
	((limited > 0)) || fail "$dst: nothing rate-limited"
	assert_eq 50 $((replied + limited)) "$dst: replied + ratelimited"
	received=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
	assert_eq "$replied" "$received" "$dst: replies ping received"
done
relayctl_app set relay0 echo-rate 10000 echo-burst 1000 || fail "restore echo-rate"

log "broadcast: never answered (RFC 1122 3.2.1.3)"
ip -n "$APP" addr add 10.56.0.1/24 dev relay0
before=$(stat icmp_other) replied=$(stat echo_replied)
out=$(nsx "$APP" ping -n -b -c 3 -i 0.2 -W 1 10.56.0.255 2>&1) || true
assert_contains "3 packets transmitted, 0 received" "$out" "ping -b 10.56.0.255"
assert_eq $((before + 3)) "$(stat icmp_other)" "icmp_other after ping -b"
assert_eq "$replied" "$(stat echo_replied)" "echo_replied after ping -b"
