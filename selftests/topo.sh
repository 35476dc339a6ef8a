# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Topology for the UDP relay selftests; source after lib.sh.
#
#   APP netns                                   UP netns
#   app sockets ── rule "ipproto udp" ──► relay0 (10.99.0.1, fd99::1)
#   relay upstream sockets (fwmark 0x100) ──► veth0 10.200.0.1/fd20::1
#                                                 ══ veth1 10.200.0.2/fd20::2
#                                                       echo servers :7000 "a:"
#                                                                    :7001 "b:"
#
# Only UDP from the apps enters relay0; the relay's own sockets carry fwmark
# 0x100, which the first rule sends to the main table (no loop).

RELAY_MARK=0x100
SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# topo_up [--no-routing]: sets APP, UP; relay0 with upstream direct; echo
# servers running. With --no-routing nothing is routed into relay0 (the
# route tests let relayctl do it).
topo_up() {
	local d routing=true
	[[ ${1:-} == --no-routing ]] && routing=false
	tmpdir >/dev/null	# create it here: $(tmpdir) runs in a subshell
	netns_new APP app
	netns_new UP up
	ip link add veth0 netns "$APP" type veth peer name veth1 netns "$UP" ||
		fail "veth pair"
	ip -n "$APP" addr add 10.200.0.1/24 dev veth0
	ip -n "$APP" addr add fd20::1/64 dev veth0 nodad
	ip -n "$UP" addr add 10.200.0.2/24 dev veth1
	ip -n "$UP" addr add fd20::2/64 dev veth1 nodad
	ip -n "$APP" link set veth0 up
	ip -n "$UP" link set veth1 up

	ip -n "$APP" link add relay0 type pktrelay || fail "ip link add relay0"
	ip -n "$APP" addr add 10.99.0.1/32 dev relay0
	ip -n "$APP" addr add fd99::1/128 dev relay0 nodad
	ip -n "$APP" link set relay0 up
	# Replies come in on relay0 from addresses routed elsewhere.
	nsx "$APP" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.relay0.rp_filter=0
	if $routing; then
		for d in -4 -6; do
			ip -n "$APP" "$d" rule add fwmark "$RELAY_MARK" lookup main prio 100
			ip -n "$APP" "$d" rule add ipproto udp lookup 100 prio 200
		done
		ip -n "$APP" route add default dev relay0 src 10.99.0.1 table 100
		ip -n "$APP" -6 route add default dev relay0 src fd99::1 table 100
	fi

	relayctl_app set relay0 upstream direct fwmark "$RELAY_MARK" ||
		fail "relayctl set upstream direct"

	echo_server 10.200.0.2 7000 a: s4a
	echo_server 10.200.0.2 7001 b: s4b
	echo_server fd20::2 7000 a: s6a
	echo_server fd20::2 7001 b: s6b
}

# echo_server ADDR PORT PREFIX NAME: UDP echo in UP, log in $(tmpdir)/NAME.log
echo_server() {
	local out log
	out="$(tmpdir)/$4.out"
	log="$(tmpdir)/$4.log"
	: >"$log"
	nsx_bg "$UP" "$PYTHON" "$SELFTESTS/udp-echo.py" "$1" "$2" --prefix "$3" \
		--log "$log" >"$out" 2>&1
	wait_for 10 grep -q ready "$out" || fail "echo server $1:$2 did not start"
}

# client ARGS...: selftests/udp-client.py in APP
client() { nsx "$APP" "$PYTHON" "$SELFTESTS/udp-client.py" "$@"; }

relayctl_app() { nsx "$APP" "$RELAYCTL" "$@"; }

# stat NAME: one relay0 counter (relayctl -j show relay0 .stats.NAME)
stat() { relay_stat "$APP" relay0 "$1"; }

# stat_is NAME VALUE: predicate for wait_for (re-reads the counter each call)
stat_is() { [[ $(stat "$1") == "$2" ]]; }

# assocs_is N: predicate for wait_for
assocs_is() { [[ $(assocs) == "$1" ]]; }

# assocs: how many associations relay0 has now
assocs() { relay_json "$APP" relay0 | jq -er .assocs; }

# peers NAME: the distinct "ADDR PORT" the echo server NAME saw
peers() { sort -u "$(tmpdir)/$1.log"; }

# last_peer NAME: "ADDR PORT" of the last datagram the echo server NAME saw
last_peer() { tail -n1 "$(tmpdir)/$1.log"; }
