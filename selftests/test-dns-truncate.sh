#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DNS truncation: with "dns truncate" (or "upstream none"), a DNS query
# routed into relay0 gets an in-kernel answer with TC set, the same id and
# ANCOUNT = QDCOUNT; dig then retries over TCP, which does not enter relay0,
# and gets its answer from a real dnsmasq. With "dns relay" and the direct
# upstream, the same query reaches dnsmasq over UDP. IPv4 and IPv6. pkt.py
# checks the answers byte by byte.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_module
require_relayctl
require_cmd dig dnsmasq jq ip

topo_up
# relay0's link-local address sends router solicitations into relay0, which
# count as icmp_other: keep them out of the counters this test checks.
nsx "$APP" sysctl -qw net.ipv6.conf.relay0.router_solicitations=0
assert_contains '"dns_truncate"' "$(relay_json "$APP" relay0 | jq -c .features)" "features"

dnslog="$(tmpdir)/dnsmasq.log"
nsx_bg "$UP" dnsmasq --no-daemon --keep-in-foreground --port=53 \
	--listen-address=10.200.0.2 --listen-address=fd20::2 --bind-interfaces \
	--no-resolv --no-hosts --address=/example.test/192.0.2.7 \
	--address=/example.test/2001:db8::7 --conf-file=/dev/null --pid-file= \
	--user=root --log-queries --log-facility=- >"$dnslog" 2>&1
# TCP is not routed into relay0: dig +tcp reaches dnsmasq directly.
dns_up() { nsx "$APP" dig +tcp +short +time=1 +tries=1 @10.200.0.2 example.test | grep -q 192.0.2.7; }
wait_for 15 dns_up || fail "dnsmasq did not come up: $(cat "$dnslog")"

# hdr OUT: "id flags qd an" from dig's header lines
hdr() {
	local id flags counts
	id=$(sed -n 's/.*status: [A-Z]*, id: \([0-9]*\).*/\1/p' <<<"$1")
	flags=$(sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' <<<"$1")
	counts=$(sed -n 's/.*QUERY: \([0-9]*\), ANSWER: \([0-9]*\),.*/\1 \2/p' <<<"$1")
	echo "$id [$flags] $counts"
}

# dns_queries: how many queries (UDP or TCP) dnsmasq logged
dns_queries() { grep -c 'query\[' "$dnslog" || true; }

check_truncated() { # SERVER: dig +ignore gets a truncated answer
	local srv=$1 out before
	before=$(stat dns_truncated)
	out=$(nsx "$APP" dig @"$srv" example.test A +ignore +tries=1 +time=3 +qid=1234 2>&1) ||
		fail "dig @$srv +ignore: $out"
	# dig sets RD and AD in queries: both come back, QR and TC added.
	assert_eq '1234 [qr tc rd ad] 1 1' "$(hdr "$out")" \
		"dig @$srv +ignore: id, flags, QUERY and ANSWER counts"
	assert_contains "status: NOERROR" "$out" "RCODE 0"
	assert_eq $((before + 1)) "$(stat dns_truncated)" "dns_truncated after dig @$srv"
	# Without EDNS as well, and with RD and AD clear.
	out=$(nsx "$APP" dig @"$srv" example.test A +ignore +tries=1 +time=3 +qid=4321 +noedns +nordflag +noadflag 2>&1) ||
		fail "dig @$srv +ignore +noedns: $out"
	assert_eq '4321 [qr tc] 1 1' "$(hdr "$out")" "dig @$srv +noedns +nordflag +noadflag"
	assert_eq $((before + 2)) "$(stat dns_truncated)" "dns_truncated after dig @$srv +noedns"
}

check_tcp_fallback() { # SERVER TYPE WANT: dig retries over TCP and succeeds
	local srv=$1 type=$2 want=$3 out before udp0
	before=$(stat dns_truncated) udp0=$(dns_queries)
	out=$(nsx "$APP" dig @"$srv" example.test "$type" +tries=1 +time=3 2>&1) ||
		fail "dig @$srv: $out"
	assert_contains "Truncated, retrying in TCP mode" "$out" "dig @$srv saw TC"
	assert_match "example\.test\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+$type[[:space:]]+$want" \
		"$out" "answer over TCP from dnsmasq"
	assert_contains "(TCP)" "$out" "dig @$srv answered over TCP"
	assert_eq $((before + 1)) "$(stat dns_truncated)" "dns_truncated after dig @$srv"
	# dnsmasq saw only the TCP query.
	wait_for 5 test "$(dns_queries)" -eq $((udp0 + 1)) ||
		fail "dnsmasq logged $(($(dns_queries) - udp0)) queries, want 1 (TCP)"
}

log "dns truncate: dig +ignore gets TC, same id, ANCOUNT = QDCOUNT (IPv4, IPv6)"
relayctl_app set relay0 dns truncate || fail "set dns truncate"
assocs0=$(stat assoc_created)
check_truncated 10.200.0.2
check_truncated fd20::2
assert_eq "$assocs0" "$(stat assoc_created)" "no association for truncated DNS"

log "dns truncate: dig falls back to TCP and gets dnsmasq's answer"
check_tcp_fallback 10.200.0.2 A 192.0.2.7
check_tcp_fallback fd20::2 AAAA 2001:db8::7

log "answers checked byte by byte (pkt.py dns)"
nsx "$APP" env RELAYCTL="$RELAYCTL" "$PYTHON" "$SELFTESTS/pkt.py" relay0 dns ||
	fail "pkt.py dns"
assert_eq 0 "$(stat dns_malformed)" "no malformed DNS so far"
assert_eq 0 "$(stat nomem)" "no allocation failures"

log "dns relay + upstream direct: the query reaches dnsmasq over UDP"
relayctl_app set relay0 dns relay || fail "set dns relay"
for srv in 10.200.0.2 fd20::2; do
	before=$(stat dns_truncated) assocs0=$(stat assoc_created) udp0=$(dns_queries)
	out=$(nsx "$APP" dig @"$srv" example.test A +ignore +tries=1 +time=5 +qid=777 2>&1) ||
		fail "dig @$srv (relayed): $out"
	assert_match '^777 \[qr aa rd ra\] 1 1$' "$(hdr "$out")" "relayed answer header"
	assert_match "IN[[:space:]]+A[[:space:]]+192\.0\.2\.7" "$out" "relayed answer"
	assert_contains "(UDP)" "$out" "dig @$srv answered over UDP"
	assert_eq "$before" "$(stat dns_truncated)" "nothing truncated under dns relay"
	assert_eq $((assocs0 + 1)) "$(stat assoc_created)" "the query went through an association"
	assert_eq $((udp0 + 1)) "$(dns_queries)" "dnsmasq saw the query"
done

log "upstream none + dns relay: still truncated"
relayctl_app set relay0 upstream none || fail "set upstream none"
relayctl_app flush relay0 || fail "flush"
check_truncated 10.200.0.2
check_truncated fd20::2
check_tcp_fallback 10.200.0.2 A 192.0.2.7

log "upstream none: other UDP still gets port unreachable"
before=$(stat unreach_sent)
out=$(nsx "$APP" dig @10.200.0.2 -p 5353 example.test +ignore +tries=1 +time=2 2>&1) || true
assert_contains "connection refused" "$out" "dig to port 5353 under upstream none"
assert_eq $((before + 1)) "$(stat unreach_sent)" "unreach_sent"
