#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The pktrelay demo, run inside the test VM by scripts/demo.sh: load the
# freshly built module, create relay0 in an "app" network namespace, steer
# the app's UDP into it with policy routing, and relay real traffic to echo
# servers in an "upstream" namespace. Shows each step and what relay0 did.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
KO=${PKTRELAY_KO:-$REPO/pktrelay.ko}
RELAYCTL=${RELAYCTL:-$REPO/tools/relayctl/relayctl}
APP=demo-app
UP=demo-up

if [ -z "${PKTRELAY_IN_VM:-}" ]; then
	echo "demo-guest.sh: runs inside the VM only; use scripts/demo.sh" >&2
	exit 1
fi

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
app() { ip netns exec "$APP" "$@"; }
up() { ip netns exec "$UP" "$@"; }

cleanup() {
	[ -z "${SERVERS:-}" ] || kill $SERVERS 2>/dev/null || true
	ip netns del "$APP" 2>/dev/null || true
	ip netns del "$UP" 2>/dev/null || true
}
trap cleanup EXIT

step "load pktrelay.ko (and the kernel's UDP tunnel helpers it uses)"
run modprobe -a $(modinfo -F depends "$KO" | tr , ' ')
run insmod "$KO"

step "two namespaces joined by veth: $APP (10.200.0.1) and $UP (10.200.0.2)"
ip netns add "$APP"
ip netns add "$UP"
app ip link set lo up
up ip link set lo up
ip link add veth0 netns "$APP" type veth peer name veth1 netns "$UP"
app ip addr add 10.200.0.1/24 dev veth0
app ip addr add fd20::1/64 dev veth0 nodad
up ip addr add 10.200.0.2/24 dev veth1
up ip addr add fd20::2/64 dev veth1 nodad
app ip link set veth0 up
up ip link set veth1 up

step "relay0 in $APP, relaying through the 'direct' upstream"
run app ip link add relay0 type pktrelay
app ip addr add 10.99.0.1/32 dev relay0
app ip addr add fd99::1/128 dev relay0 nodad
app ip link set relay0 up
app sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.relay0.rp_filter=0
run app "$RELAYCTL" set relay0 upstream direct fwmark 0x100 udp-timeout 30

step "policy routing with relayctl: the app's UDP and ping enter relay0, the relay's own traffic (fwmark 0x100) does not"
run app "$RELAYCTL" route add relay0
run app "$RELAYCTL" route show relay0

step "UDP echo servers in $UP"
for addr in 10.200.0.2 fd20::2; do
	up python3 "$REPO/selftests/udp-echo.py" "$addr" 7000 --prefix "echo: " \
		>"/tmp/echo-$addr" &
	SERVERS="${SERVERS:-} $!"
done
for addr in 10.200.0.2 fd20::2; do
	until grep -q ready "/tmp/echo-$addr"; do sleep 0.2; done
done

step "socat in $APP talks UDP to the servers: the packets travel through relay0"
echo "hello over IPv4" | run app socat -T5 - UDP4:10.200.0.2:7000
echo "hello over IPv6" | run app socat -T5 - "UDP6:[fd20::2]:7000"

step "ping is answered by relay0 itself (ICMP echo in the kernel)"
run app ping -c 2 10.200.0.2
run app ping -6 -c 2 fd20::2

step "one association per app endpoint, shown with relayctl"
run app "$RELAYCTL" flows relay0

step "a flow relayctl refuses: with 'upstream none', new UDP gets port unreachable"
run app "$RELAYCTL" set relay0 upstream none
if echo "refused?" | app socat -T3 - UDP4:10.200.0.2:7001 2>&1; then
	echo "(unexpected: got an answer)"
else
	echo "socat: connection refused (ICMP port unreachable from relay0), as configured"
fi

step "device configuration and counters"
run app "$RELAYCTL" show relay0
run app ip -s link show relay0

step "delete relay0: its routes go with it and UDP falls back to the main table"
run app ip link del relay0
run app ip route show table 5353
echo "hello again, straight over veth0" | run app socat -T5 - UDP4:10.200.0.2:7000
run app "$RELAYCTL" route del relay0

step "delete the namespaces (relay0 and its associations go with them), unload"
cleanup
trap - EXIT
run rmmod pktrelay
echo "demo done"
