#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# relayctl route add|del|show against the real kernel:
#   - add routes UDP and ping (IPv4 and IPv6) into relay0 and nothing else,
#     keeps the relay's own marked traffic out, and is idempotent;
#   - del removes exactly what add installed (foreign rules in the same
#     table, other devices' routes and the main table stay);
#   - all or nothing: a failure at any step (injected, or a real one: IPv6
#     disabled on the device) leaves `ip rule` and `ip route show table all`
#     exactly as before;
#   - crash safety: when relay0 is deleted, or the module unloaded, its
#     routes vanish and traffic falls through to the main table.
set -euo pipefail
# shellcheck source=selftests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=selftests/topo.sh
source "$(dirname "${BASH_SOURCE[0]}")/topo.sh"

require_root
require_relayctl
require_cmd ip jq ping insmod rmmod
ensure_module
on_exit ensure_module

topo_up --no-routing

OUT=$(tmpdir)/out
ERR=$(tmpdir)/err
RELAYCTL_NS=$APP

# rules: every rule of APP, both families.
rules() {
	ip -n "$APP" -4 rule show
	ip -n "$APP" -6 rule show
}

# snapshot: every rule and every route of APP, both families.
snapshot() {
	rules
	ip -n "$APP" -4 route show table all
	ip -n "$APP" -6 route show table all
}

# same_as FILE WHAT: the snapshot now is FILE's.
same_as() {
	local now
	now=$(snapshot)
	[[ $now == "$(cat "$1")" ]] ||
		fail "$2: rules/routes changed: $(diff <(cat "$1") <(echo "$now") || true)"
}

# relayed DEST: one datagram to DEST is answered and went through relay0.
relayed() {
	local before after out
	before=$(stat tx_packets)
	out=$(client "$1")
	grep -q "^reply" <<<"$out" || fail "no reply from $1 through relay0: $out"
	after=$(stat tx_packets)
	((after > before)) || fail "reply from $1 without relay0 seeing the datagram"
}

# direct DEST: one datagram to DEST is answered and did not touch relay0.
direct() {
	local before out
	before=$(stat tx_packets 2>/dev/null || echo gone)
	out=$(client "$1")
	grep -q "^reply" <<<"$out" || fail "no reply from $1 over the main table: $out"
	[[ $before == gone || $(stat tx_packets) == "$before" ]] ||
		fail "datagram to $1 went into relay0"
}

# Foreign state that route del must leave alone: a rule into the same
# table, a route of the main table.
ip -n "$APP" rule add ipproto udp dport 9 lookup 5353 prio 7000
ip -n "$APP" route add 10.77.0.0/24 dev veth0

snapshot >"$(tmpdir)/before"
rules >"$(tmpdir)/before.rules"
direct 10.200.0.2:7000

log "route add relay0: UDP and ping enter relay0, both families"
ok route add relay0
[[ -z $STDOUT ]] || fail "route add printed '$STDOUT'"
snapshot >"$(tmpdir)/added"
relayed 10.200.0.2:7000
relayed "[fd20::2]:7001"
n=$(stat echo_replied)
nsx "$APP" ping -c 1 -W 5 10.200.0.2 >/dev/null || fail "ping -4 through relay0"
nsx "$APP" ping -6 -c 1 -W 5 fd20::2 >/dev/null || fail "ping -6 through relay0"
assert_eq $((n + 2)) "$(stat echo_replied)" "echo requests answered by relay0"
# The relay's own sockets carry fwmark 0x100 and must not loop.
assert_eq 0 "$(stat upstream_errors)" "upstream errors (a loop would be ELOOP)"

ok -j route show relay0
jq -e '.ifname == "relay0" and .table == 5353' <<<"$STDOUT" >/dev/null ||
	fail "route show -j header: $STDOUT"
jq -e '[.routes[] | .family + " " + .dst + " " + .dev] | sort ==
	["inet default relay0", "inet6 default relay0"]' <<<"$STDOUT" >/dev/null ||
	fail "route show -j routes: $STDOUT"
jq -e '[.rules[] | "\(.family) \(.selects) \(.priority) \(.fwmark)/\(.fwmask)"] | sort ==
	["inet icmp echo 5353 0/256", "inet udp 5353 0/256",
	 "inet6 icmp echo 5353 0/256", "inet6 udp 5353 0/256"]' <<<"$STDOUT" >/dev/null ||
	fail "route show -j rules: $STDOUT"
# ip(8) sees the same rules.
assert_eq 2 "$(ip -n "$APP" -4 rule show | grep -c 'fwmark 0/0x100 .*lookup 5353')" "IPv4 rules"
# (grep reads a variable: under pipefail, grep -q ending a pipe early
# would make ip die of SIGPIPE and the check fail at random)
v4rules=$(ip -n "$APP" -4 rule show)
grep -q 'ipproto icmp dport 2048 .*lookup 5353' <<<"$v4rules" ||
	fail "no echo-request rule: $v4rules"
ok route show relay0
assert_eq 6 "$(wc -l <<<"$STDOUT")" "route show lines"

log "route add again: nothing changes; a different add is refused"
ok route add relay0
same_as "$(tmpdir)/added" "second route add"
bad "already has different rules for table 5353" route add relay0 proto all
same_as "$(tmpdir)/added" "refused route add proto all"
bad "already routed through table 5353" route add relay0 table 100
same_as "$(tmpdir)/added" "refused route add table 100"

log "route del: exactly what add installed"
ok route del relay0
same_as "$(tmpdir)/before" "route del"
direct 10.200.0.2:7000
bad "no rules or routes of relay0 installed by relayctl" route del relay0
ok -j route show relay0
jq -e '.routes == [] and .rules == []' <<<"$STDOUT" >/dev/null || fail "show after del: $STDOUT"

log "route add refuses a table with other routes, a device without fwmark"
ip -n "$APP" route add 10.66.0.0/24 dev veth0 table 5353
snapshot >"$(tmpdir)/foreign"
bad "table 5353 already holds a route not installed for relay0" route add relay0
same_as "$(tmpdir)/foreign" "refused route add (foreign route in table)"
ip -n "$APP" route del 10.66.0.0/24 dev veth0 table 5353
ok set relay0 fwmark off
bad "relay0 has no fwmark" route add relay0
same_as "$(tmpdir)/before" "refused route add (no fwmark)"
ok set relay0 fwmark "$RELAY_MARK"
bad "relayctl: route add: " route add veth0
bad "relayctl: route add: " route add nosuchdev
same_as "$(tmpdir)/before" "route add on a wrong device"

log "proto all -4: every IPv4 packet enters relay0 (TCP too), IPv6 stays out"
ok route add relay0 proto all -4
ok -j route show relay0
jq -e '[.rules[] | "\(.family) \(.selects)"] == ["inet all"]' <<<"$STDOUT" >/dev/null ||
	fail "proto all -4 rules: $STDOUT"
n=$(stat unhandled)
# relay0 answers TCP with ICMP host unreachable: connect fails at once.
nsx "$APP" timeout 10 bash -c 'exec 3<>/dev/tcp/10.200.0.2/9' 2>/dev/null &&
	fail "TCP connect succeeded through proto all"
((n < $(stat unhandled))) || fail "TCP did not enter relay0 (unhandled stays $n)"
relayed 10.200.0.2:7000
direct "[fd20::2]:7001"
ok route del relay0
same_as "$(tmpdir)/before" "route del after proto all -4"

log "all or nothing: each of the 6 steps made to fail in turn"
for step in 1 2 3 4 5 6; do
	RC=0
	nsx "$APP" env RELAYCTL_TEST_FAIL_STEP=$step "$RELAYCTL" route add relay0 \
		>"$OUT" 2>"$ERR" || RC=$?
	STDERR=$(cat "$ERR")
	((RC == 1)) || fail "injected failure at step $step: exit $RC"
	grep -q "step $step of 6 .*failure injected" <<<"$STDERR" ||
		fail "step $step: stderr '$STDERR'"
	grep -q "nothing changed" <<<"$STDERR" || fail "step $step: no 'nothing changed'"
	same_as "$(tmpdir)/before" "failure at step $step"
done

log "all or nothing: a real kernel refusal half-way (IPv6 disabled on relay0)"
nsx "$APP" sysctl -qw net.ipv6.conf.relay0.disable_ipv6=1
snapshot >"$(tmpdir)/nov6"
bad "step 4 of 6 (ip -6 route add default dev relay0 table 5353" route add relay0
grep -q "nothing changed" <<<"$STDERR" || fail "real failure: no 'nothing changed': $STDERR"
same_as "$(tmpdir)/nov6" "IPv6 route refused by the kernel"
ok route add relay0 -4
ok -j route show relay0
jq -e '[.routes[].family, .rules[].family] | unique == ["inet"]' <<<"$STDOUT" >/dev/null ||
	fail "route add -4 installed more than IPv4: $STDOUT"
relayed 10.200.0.2:7000
ok route del relay0
same_as "$(tmpdir)/nov6" "route del after route add -4"
nsx "$APP" sysctl -qw net.ipv6.conf.relay0.disable_ipv6=0
ip -n "$APP" addr add fd99::1/128 dev relay0 nodad 2>/dev/null || true

log "two devices: del of one leaves the other's"
ip -n "$APP" link add relay1 type pktrelay
ip -n "$APP" link set relay1 up
ok set relay1 upstream direct fwmark 0x200
ok route add relay1 table 6000 priority 6000
snapshot >"$(tmpdir)/relay1"
ok route add relay0
ok route del relay0
same_as "$(tmpdir)/relay1" "route del relay0 next to relay1"
ok route del relay1
ip -n "$APP" link del relay1

log "crash safety: relay0 deleted, its routes go and traffic falls back to main"
ok route add relay0
relayed 10.200.0.2:7000
ip -n "$APP" link del relay0
assert_eq "" "$(ip -n "$APP" -4 route show table 5353)" "IPv4 table 5353 after link del"
assert_eq "" "$(ip -n "$APP" -6 route show table 5353)" "IPv6 table 5353 after link del"
direct 10.200.0.2:7000
direct "[fd20::2]:7001"
nsx "$APP" ping -c 1 -W 5 10.200.0.2 >/dev/null || fail "ping over main after link del"
# What is left are our rules, which del still finds and removes.
ok route del relay0
[[ $(rules) == "$(cat "$(tmpdir)/before.rules")" ]] ||
	fail "rules after cleanup differ: $(diff "$(tmpdir)/before.rules" <(rules) || true)"

log "crash safety: module unloaded"
ip -n "$APP" link add relay0 type pktrelay
ip -n "$APP" addr add 10.99.0.1/32 dev relay0
ip -n "$APP" link set relay0 up
ok set relay0 upstream direct fwmark "$RELAY_MARK"
ok route add relay0
relayed 10.200.0.2:7000
rmmod pktrelay || fail "rmmod pktrelay"
assert_eq "" "$(ip -n "$APP" route show table 5353; ip -n "$APP" -6 route show table 5353)" \
	"table 5353 after rmmod"
direct 10.200.0.2:7000
direct "[fd20::2]:7001"
ensure_module
ok route del relay0
[[ $(rules) == "$(cat "$(tmpdir)/before.rules")" ]] ||
	fail "rules after rmmod cleanup differ: $(diff "$(tmpdir)/before.rules" <(rules) || true)"

log "rules belong to the table: a device that takes over a gone device's table"
ip -n "$APP" link add relay0 type pktrelay
ip -n "$APP" link set relay0 up
ok set relay0 upstream direct fwmark "$RELAY_MARK"
ok route add relay0
ip -n "$APP" link del relay0
ip -n "$APP" link add relay1 type pktrelay
ip -n "$APP" link set relay1 up
ok set relay1 upstream direct fwmark "$RELAY_MARK"
ok route add relay1	# the rules relay0 left are the ones relay1 needs
snapshot >"$(tmpdir)/taken"
bad "table 5353 routes through relay1 now, not relay0; nothing removed" route del relay0
same_as "$(tmpdir)/taken" "route del of the gone device"
ok -j route show relay0
jq -e '.routes == [] and .rules == []' <<<"$STDOUT" >/dev/null ||
	fail "route show of the gone device lists relay1's: $STDOUT"
ok route del relay1
[[ $(rules) == "$(cat "$(tmpdir)/before.rules")" ]] ||
	fail "rules after route del relay1 differ: $(diff "$(tmpdir)/before.rules" <(rules) || true)"
ip -n "$APP" link del relay1

if command -v valgrind >/dev/null; then
	log "valgrind: route add, show -j, del leak nothing"
	ip -n "$APP" link add relay0 type pktrelay
	ip -n "$APP" link set relay0 up
	ok set relay0 upstream direct fwmark "$RELAY_MARK"
	for args in "route add relay0" "-j route show relay0" "route del relay0"; do
		# shellcheck disable=SC2086 # split on purpose
		nsx "$APP" valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect "$RELAYCTL" $args \
			>"$OUT" 2>"$ERR" || fail "valgrind relayctl $args: $(cat "$ERR")"
	done
fi

log "ok"
