#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Datagrams larger than the upstream path (veth MTU 1500) from a sender
# doing path MTU discovery (IPv4 IP_PMTUDISC_DO, as QUIC stacks do) are
# fragmented on the upstream side, not refused with ICMP fragmentation
# needed: the PMTU a host learns is per destination and shared by all its
# sockets, so teaching it 1500 would make every default socket fragment
# its large datagrams to that host locally, and relay0 does not reassemble
# fragments. Checks both sockets still get their 3000-byte datagrams
# through, in either order, and that the host learnt nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_module
require_relayctl

topo_up

# send3000 PMTUDISC: one 3000-byte datagram from a fresh socket with
# IP_MTU_DISCOVER set to PMTUDISC (2 = DO, 1 = WANT, the default); prints
# the reply's length and the socket's learnt path MTU.
send3000() {
	nsx "$APP" "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, 10, int(sys.argv[1]))   # IP_MTU_DISCOVER
s.connect(("10.200.0.2", 7000))
s.settimeout(5)
s.send(b"x" * 3000)
print(len(s.recv(65535)), s.getsockopt(socket.IPPROTO_IP, 14))   # IP_MTU
' "$1"
}

for round in 1 2; do
	log "round $round: PMTUDISC_DO, then a default socket"
	assert_eq "3002 65535" "$(send3000 2)" "PMTUDISC_DO socket: reply, relay0's MTU"
	assert_eq "3002 65535" "$(send3000 1)" "default socket: reply, relay0's MTU"
done
assert_eq 0 "$(stat fragments)" "no fragments entered relay0"
assert_eq 0 "$(stat upstream_errors)" "no upstream errors"
