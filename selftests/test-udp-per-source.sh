#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# max-assocs-per-source: when one local address reaches its limit, its
# longest-idle association is evicted for the new flow, and other
# addresses are untouched; with the limit off nothing is evicted.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_module
require_relayctl
require_cmd jq ip

topo_up
# A second local address: another "client" behind the same relay0.
ip -n "$APP" addr add 10.99.0.2/32 dev relay0
relayctl_app set relay0 max-assocs-per-source 3 || fail "set max-assocs-per-source"

# locals: the local endpoints of relay0's associations, sorted
locals() { relayctl_app -j flows relay0 | jq -r '.[].local' | sort | tr '\n' ' '; }

# flow BIND: one datagram from BIND, which must be answered
flow() { client --bind "$1" 10.200.0.2:7000 | grep -q "^reply" || fail "no reply for $1"; }

log "three flows from 10.99.0.1 and one from 10.99.0.2 fit"
for p in 46000 46001 46002; do
	flow "10.99.0.1:$p"
	sleep 1.1	# distinct idle times; jiffies order them
done
flow 10.99.0.2:47000
assert_eq "10.99.0.1:46000 10.99.0.1:46001 10.99.0.1:46002 10.99.0.2:47000 " \
	"$(locals)" "associations at the limit"
assert_eq 0 "$(stat assoc_evicted)" "nothing evicted yet"

log "a fourth flow from 10.99.0.1 evicts its longest-idle one"
flow 10.99.0.1:46003
assert_eq "10.99.0.1:46001 10.99.0.1:46002 10.99.0.1:46003 10.99.0.2:47000 " \
	"$(locals)" "46000 evicted, 10.99.0.2 untouched"
assert_eq 1 "$(stat assoc_evicted)" "assoc_evicted"

log "outbound traffic makes an association the freshest, not the victim"
flow 10.99.0.1:46001
flow 10.99.0.1:46004
assert_eq "10.99.0.1:46001 10.99.0.1:46003 10.99.0.1:46004 10.99.0.2:47000 " \
	"$(locals)" "46002 (now the longest idle) evicted"
assert_eq 2 "$(stat assoc_evicted)" "assoc_evicted"

log "the other address has its own allowance"
flow 10.99.0.2:47001
flow 10.99.0.2:47002
assert_eq 2 "$(stat assoc_evicted)" "10.99.0.2 below its limit: nothing evicted"
assert_eq 6 "$(assocs)" "associations"

log "with the limit off nothing is evicted"
relayctl_app set relay0 max-assocs-per-source off
for p in 46005 46006 46007; do
	flow "10.99.0.1:$p"
done
assert_eq 2 "$(stat assoc_evicted)" "no eviction without a limit"
assert_eq 9 "$(assocs)" "associations"
