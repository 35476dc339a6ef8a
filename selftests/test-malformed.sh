#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed and unanswerable packets sent straight into relay0 (AF_PACKET,
# built with scapy by pkt.py): truncated DNS headers, QR set, opcodes other
# than QUERY, QDCOUNT 0, UDP lengths that disagree with the IP length,
# truncated ICMP headers, bad ICMP checksums, other ICMP types, multicast
# and broadcast destinations, fragments, broken IPv6 extension headers,
# empty frames, then random bytes. Nothing is answered that should not be,
# each batch moves exactly its counter, every packet is accounted for, and
# the kernel stays clean (run-all.sh checks the log) and keeps working.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_module
require_relayctl
require_cmd jq ip
"$PYTHON" -c 'import scapy' 2>/dev/null || fail "python3-scapy not installed (scripts/deps.sh)"

topo_up
# relay0's link-local address sends router solicitations into relay0, which
# count as icmp_other: keep them out of the counters this test checks.
nsx "$APP" sysctl -qw net.ipv6.conf.relay0.router_solicitations=0
# Nothing may leave: with upstream none, DNS is truncated and other UDP
# refused, so random packets cannot reach the network.
relayctl_app set relay0 upstream none || fail "set upstream none"
relayctl_app flush relay0 || fail "flush"

pkt() { nsx "$APP" env RELAYCTL="$RELAYCTL" "$PYTHON" "$SELFTESTS/pkt.py" relay0 "$@"; }

log "malformed batches, each moving exactly its counter"
out=$(pkt malformed --repeat 120) || fail "pkt.py malformed"
sent=${out##*sent }
((sent >= 4000)) || fail "only $sent malformed packets sent"

log "the same under dns truncate with upstream direct"
relayctl_app set relay0 upstream direct dns truncate || fail "set dns truncate"
out=$(pkt malformed --repeat 20) || fail "pkt.py malformed (dns truncate)"
relayctl_app set relay0 upstream none dns relay || fail "set upstream none"

log "random bytes and random L4 headers"
out=$(pkt fuzz --count 3000) || fail "pkt.py fuzz"

log "still answering afterwards"
pkt echo >/dev/null || fail "pkt.py echo after the malformed packets"
pkt dns >/dev/null || fail "pkt.py dns after the malformed packets"
assert_eq 0 "$(stat nomem)" "no allocation failures"
