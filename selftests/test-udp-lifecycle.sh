#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Life of UDP associations on relay0 (direct upstream, real peers):
# idle expiry refreshed by outbound traffic only by default (RFC 4787 4.3)
# or by both directions, the shorter DNS timeout, the max-assocs cap,
# swapping the upstream under live traffic, the routing-loop guard (open
# fails, the app gets ICMP), flush, and deleting the device, its namespace
# and the module while associations are live.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_module
require_relayctl
require_cmd socat jq ip

topo_up
relayctl_app set relay0 udp-timeout 2 || fail "set udp-timeout 2"

# remote_burst PORT N: from UP (10.200.0.2:7009) send N datagrams, 0.5 s
# apart, to the relay endpoint 10.200.0.1:PORT (inbound-only traffic).
remote_burst() {
	nsx "$UP" "$PYTHON" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.200.0.2", 7009))
for i in range(int(sys.argv[2])):
    s.sendto(b"in-%d" % i, ("10.200.0.1", int(sys.argv[1])))
    time.sleep(0.5)
' "$1" "$2"
}

log "outbound traffic keeps an association alive past its timeout"
expired=$(stat assoc_expired)
out=$(client --bind 10.99.0.1:41000 --repeat 10 --every 0.5 10.200.0.2:7000)
assert_eq 10 "$(grep -c '^reply' <<<"$out")" "replies over 5 s of outbound traffic"
assert_eq 1 "$(peers s4a | wc -l)" "one relay endpoint for the whole exchange"
assert_eq "$expired" "$(stat assoc_expired)" "nothing expired while outbound flowed"
wait_for 10 stat_is assoc_expired $((expired + 1)) ||
	fail "idle association did not expire (expired=$(stat assoc_expired))"
assert_eq 0 "$(assocs)" "table empty after expiry"

# inbound_only POLICY: with udp-timeout 8, one outbound datagram, then 28
# inbound ones over 14 s. Prints how many of them reached the app, and
# leaves assoc_expired as it was when the last one was sent in
# $(tmpdir)/expired (the client lingers on, and the mapping may expire then).
inbound_only() {
	local out_file port pid
	relayctl_app set relay0 refresh "$1" udp-timeout 8 || fail "set refresh $1"
	out_file="$(tmpdir)/inbound-$1.out"
	client --bind 10.99.0.1:41001 --linger 24 10.200.0.2:7000 >"$out_file" &
	pid=$!
	wait_for 10 grep -q "^reply" "$out_file" || fail "no reply ($1)"
	port=$(last_peer s4a | cut -d' ' -f2)
	remote_burst "$port" 28
	stat assoc_expired >"$(tmpdir)/expired"
	wait "$pid"
	grep -c "^extra 10.200.0.2 7009" "$out_file" || true
}

log "inbound-only traffic does not keep a mapping open (refresh outbound)"
expired=$(stat assoc_expired)
got=$(inbound_only outbound)
assert_eq $((expired + 1)) "$(cat "$(tmpdir)/expired")" "expired despite inbound flood"
((got < 28)) || fail "all 28 inbound datagrams arrived: the mapping stayed open"
((got > 0)) || fail "no inbound datagram arrived while the mapping was fresh"

log "refresh both: inbound traffic keeps it open"
expired=$(stat assoc_expired)
got=$(inbound_only both)
assert_eq 28 "$got" "inbound datagrams delivered with refresh both"
assert_eq "$expired" "$(cat "$(tmpdir)/expired")" "nothing expired while inbound flowed"
relayctl_app set relay0 refresh outbound udp-timeout 2

log "DNS associations use dns-timeout"
echo_server 10.200.0.2 53 dns: s4dns
relayctl_app set relay0 udp-timeout 60 dns-timeout 1
expired=$(stat assoc_expired)
client --bind 10.99.0.1:41002 10.200.0.2:53 | grep -q "reply 10.200.0.2 53 dns:msg-0" ||
	fail "no reply from port 53"
client --bind 10.99.0.1:41003 10.200.0.2:7000 | grep -q "^reply" || fail "no reply"
wait_for 10 stat_is assoc_expired $((expired + 1)) ||
	fail "DNS association did not expire after dns-timeout"
sleep 2
assert_eq $((expired + 1)) "$(stat assoc_expired)" "the non-DNS one lives on"
assert_eq 1 "$(assocs)" "one association left"

log "flush removes every association"
relayctl_app flush relay0 || fail "relayctl flush"
assert_eq 0 "$(assocs)" "associations after flush"
assert_eq "" "$(relayctl_app flows relay0 | tail -n +2)" "flows after flush"

log "max-assocs refuses new flows with ICMP"
relayctl_app set relay0 udp-timeout 60 max-assocs 5
refused=$(stat assoc_refused)
out=$(client --flows 8 --timeout 10 10.200.0.2:7000)
assert_eq "ok=5 refused=3 timeout=0" "$out" "8 flows against max-assocs 5"
assert_eq $((refused + 3)) "$(stat assoc_refused)" "assoc_refused counter"
assert_eq 5 "$(assocs)" "table at its cap"
relayctl_app set relay0 max-assocs 65536

log "upstream swap: existing associations keep theirs, new flows use the new one"
client --bind 10.99.0.1:42000 10.200.0.2:7000 | grep -q "^reply" || fail "no reply"
relayctl_app set relay0 upstream none
out=$(client --bind 10.99.0.1:42000 10.200.0.2:7000)
assert_contains "reply 10.200.0.2 7000 a:msg-0" "$out" "existing association after swap to none"
out=$(client --bind 10.99.0.1:42001 10.200.0.2:7000)
assert_contains "refused" "$out" "new flow with upstream none"
relayctl_app set relay0 upstream direct
out=$(client --bind 10.99.0.1:42001 10.200.0.2:7000)
assert_contains "reply 10.200.0.2 7000 a:msg-0" "$out" "new flow after swap back to direct"

log "a route back into relay0 is refused, not looped"
ip -n "$APP" rule del fwmark "$RELAY_MARK" lookup main prio 100
failed=$(stat open_failed)
out=$(client --bind 10.99.0.1:43000 10.200.0.2:7000)
assert_contains "refused" "$out" "flow whose upstream route loops"
assert_eq $((failed + 1)) "$(stat open_failed)" "open_failed counter"
ip -n "$APP" rule add fwmark "$RELAY_MARK" lookup main prio 100
out=$(client --bind 10.99.0.1:43000 10.200.0.2:7000)
assert_contains "reply 10.200.0.2 7000" "$out" "same endpoint works once the loop is gone"

log "deleting the namespace, then the module, with live associations"
out=$(client --flows 20 --timeout 10 10.200.0.2:7000)
assert_eq "ok=20 refused=0 timeout=0" "$out" "flows before teardown"
((  $(assocs) >= 20 )) || fail "associations not live before teardown"
netns_del "$APP"
netns_del "$UP"
topo_up
out=$(client --flows 20 --timeout 10 "[fd20::2]:7000")
assert_eq "ok=20 refused=0 timeout=0" "$out" "flows in a fresh topology"
rmmod pktrelay || fail "rmmod with live associations"
module_loaded && fail "module still loaded"
pktrelay_devs=$(pktrelay_devs_everywhere)
assert_eq "" "$pktrelay_devs" "no pktrelay device left"
