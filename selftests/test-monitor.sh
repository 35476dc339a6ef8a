#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# relayctl monitor against real associations: text and JSON at once, one
# event per association created and one per association removed, with the
# reason: idle (timeout), limit (max-assocs-per-source eviction), flushed,
# device-gone (link deleted). SIGINT and SIGTERM end it with exit 0.
# (upstream-error is checked in test-socks5.sh, where a server dies.)
set -euo pipefail
# shellcheck source=selftests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=selftests/topo.sh
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_relayctl
require_cmd ip jq
ensure_module

topo_up

txt="$(tmpdir)/text" txterr="$(tmpdir)/text.err"
js="$(tmpdir)/json" jserr="$(tmpdir)/json.err"
nsx_bg "$APP" "$RELAYCTL" --color=never monitor relay0 >"$txt" 2>"$txterr"
txt_pid=$BG_PID
nsx_bg "$APP" "$RELAYCTL" -j monitor relay0 >"$js" 2>"$jserr"
js_pid=$BG_PID
wait_for 10 grep -q monitoring "$txterr" || fail "text monitor did not start: $(cat "$txterr")"
wait_for 10 grep -q monitoring "$jserr" || fail "JSON monitor did not start: $(cat "$jserr")"

# flow PORT: one datagram from 10.99.0.1:PORT, answered through relay0.
flow() {
	client --bind "10.99.0.1:$1" 10.200.0.2:7000 | grep -q "^reply" ||
		fail "no reply for 10.99.0.1:$1"
}

# has_event EVENT PORT REASON: the JSON monitor printed it.
has_event() {
	jq -e -s --arg e "$1" --arg l "10.99.0.1:$2" --arg r "$3" \
		'any(.[]; .event == $e and .local == $l and
		     ($r == "" or .reason == $r))' "$js" >/dev/null
}

log "idle: an association that times out"
relayctl_app set relay0 udp-timeout 2 || fail "set udp-timeout 2"
flow 46000
wait_for 20 has_event del 46000 idle || fail "no idle event: $(cat "$js")"

log "limit: evicted for a newer flow of the same address"
relayctl_app set relay0 udp-timeout 60 max-assocs-per-source 1 ||
	fail "set max-assocs-per-source 1"
flow 46001
flow 46002
wait_for 10 has_event del 46001 limit || fail "no limit event: $(cat "$js")"

log "flushed"
relayctl_app flush relay0 || fail "flush"
wait_for 10 has_event del 46002 flushed || fail "no flushed event: $(cat "$js")"

log "device-gone: relay0 deleted under a live association"
flow 46003
wait_for 10 has_event new 46003 "" || fail "no new event for 46003: $(cat "$js")"
ip -n "$APP" link del relay0
wait_for 10 has_event del 46003 device-gone || fail "no device-gone event: $(cat "$js")"

log "SIGINT and SIGTERM: exit 0"
kill -INT "$txt_pid"
rc=0
wait "$txt_pid" || rc=$?
assert_eq 0 "$rc" "text monitor exit status after SIGINT"
kill -TERM "$js_pid"
rc=0
wait "$js_pid" || rc=$?
assert_eq 0 "$rc" "JSON monitor exit status after SIGTERM"

log "every association: one new and one del event, in that order"
for port in 46000 46001 46002 46003; do
	n=$(jq -s --arg l "10.99.0.1:$port" '[.[] | select(.local == $l) | .event] | join(",")' "$js")
	assert_eq '"new,del"' "$n" "JSON events of 10.99.0.1:$port"
	[[ $(jq -s --arg l "10.99.0.1:$port" '[.[] | select(.local == $l and .event == "new")][0] |
		.remote == "10.200.0.2:7000" and .upstream == "direct" and .ifname == "relay0"' "$js") == true ]] ||
		fail "new event of $port: $(grep "$port" "$js")"
done
assert_eq 8 "$(wc -l <"$js")" "JSON lines"

log "the text monitor printed the same events"
assert_eq 8 "$(wc -l <"$txt")" "text lines"
re_new='^new 10\.99\.0\.1:46000 -> 10\.200\.0\.2:7000 relay 10\.200\.0\.1:[0-9]+ dev relay0 upstream direct$'
grep -Eq "$re_new" "$txt" || fail "text new event: $(cat "$txt")"
for pair in 46000:idle 46001:limit 46002:flushed 46003:device-gone; do
	grep -Eq "^del 10\.99\.0\.1:${pair%%:*} -> 10\.200\.0\.2:7000 .* upstream direct reason ${pair#*:}\$" "$txt" ||
		fail "text del event ${pair}: $(cat "$txt")"
done
[[ $(cat "$txt") != *$'\033'* ]] || fail "escape sequences in --color=never output"
grep -v monitoring "$txterr" "$jserr" && fail "monitors wrote more than 'monitoring' on stderr"

log "ok"
