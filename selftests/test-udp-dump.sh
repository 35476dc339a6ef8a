#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The association dump (relayctl flows) survives concurrent change: while
# short-lived associations (to port 53, dns-timeout 1 s) are created and
# expire all the time, every dump of a multi-message table lists each of
# 400 long-lived associations exactly once.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_module
require_relayctl
require_cmd jq

topo_up
echo_server 10.200.0.2 53 dns: s4dns
relayctl_app set relay0 udp-timeout 600 dns-timeout 1

log "400 long-lived associations"
out=$(client --flows 400 --timeout 60 10.200.0.2:7000)
assert_eq "ok=400 refused=0 timeout=0" "$out" "stable flows"
stable=$(relayctl_app -j flows relay0 | jq -r '.[] | select(.remote == "10.200.0.2:7000") | .local' | sort)
assert_eq 400 "$(wc -l <<<"$stable")" "stable associations listed"

log "dumps while churning associations to port 53"
churn="$(tmpdir)/churn"
: >"$churn"
(
	while [[ -e $churn ]]; do
		client --flows 20 --timeout 5 10.200.0.2:53 >/dev/null 2>&1 || true
	done
) &
bg_track $!
on_exit "rm -f '$churn'"
created=$(stat assoc_created)
for i in 1 2 3 4 5 6; do
	dump=$(relayctl_app -j flows relay0)
	got=$(jq -r '.[] | select(.remote == "10.200.0.2:7000") | .local' <<<"$dump" | sort)
	assert_eq "$stable" "$got" "dump $i: the 400 stable associations, each once"
	dups=$(jq -r '.[].id' <<<"$dump" | sort | uniq -d | wc -l)
	assert_eq 0 "$dups" "dump $i: no association listed twice"
	sleep 0.5
done
rm -f "$churn"
wait_for 20 bash -c "(( \$(ip netns exec '$APP' '$RELAYCTL' -j show relay0 | jq .stats.assoc_expired) > 0 ))" ||
	fail "no short-lived association expired during the dumps"
(( $(stat assoc_created) > created )) || fail "no association created during the dumps"
