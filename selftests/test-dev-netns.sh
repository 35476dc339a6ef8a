#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktrelay devices and network namespaces: creation in several namespaces,
# link properties, moving between namespaces, namespace deletion with
# devices inside, and a create/delete loop.
set -euo pipefail
# shellcheck source=selftests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root
require_cmd ip jq
require_module
require_relayctl

# check_link NS DEV: the link looks like a pktrelay device.
check_link() {
	local ns=$1 dev=$2 j txt mtu
	j=$(link_json "$ns" "$dev") || fail "$dev missing in $ns"
	assert_eq pktrelay "$(jq -r '.linkinfo.info_kind' <<<"$j")" "$ns/$dev kind"
	assert_eq none "$(jq -r '.link_type' <<<"$j")" "$ns/$dev link_type"
	jq -e '.flags | index("POINTOPOINT")' <<<"$j" >/dev/null ||
		fail "$ns/$dev flags lack POINTOPOINT: $(jq -c .flags <<<"$j")"
	jq -e '.flags | index("NOARP")' <<<"$j" >/dev/null ||
		fail "$ns/$dev flags lack NOARP: $(jq -c .flags <<<"$j")"
	jq -e '.flags | index("BROADCAST") or index("MULTICAST") | not' <<<"$j" >/dev/null ||
		log "note: $ns/$dev flags $(jq -c .flags <<<"$j")"
	# no link-layer address on an L3 device
	assert_eq "" "$(jq -r '.address // ""' <<<"$j")" "$ns/$dev link address"
	mtu=$(jq -r '.mtu' <<<"$j")
	((mtu >= 1280 && mtu <= 65535)) || fail "$ns/$dev MTU $mtu not in 1280..65535"
	txt=$(ip -n "$ns" -d link show dev "$dev")
	assert_contains "link/none" "$txt" "ip -d link show $dev"
	assert_contains "pktrelay" "$txt" "ip -d link show $dev"
	assert_match "<[^>]*POINTOPOINT[^>]*>" "$txt" "ip link flags of $dev"
	assert_match "<[^>]*NOARP[^>]*>" "$txt" "ip link flags of $dev"
}

# relay_names NS: sorted device names `relayctl -j show` lists in NS.
relay_names() {
	nsx "$1" "$RELAYCTL" -j show | jq -r '.[].ifname' | sort | tr '\n' ' '
}

# ip_names NS: sorted pktrelay device names `ip -d link` lists in NS.
ip_names() {
	ip -n "$1" -d -j link show |
		jq -r '.[] | select(.linkinfo.info_kind == "pktrelay") | .ifname' |
		sort | tr '\n' ' '
}

# no_link NS DEV: DEV does not exist in NS.
# shellcheck disable=SC2317 # called through wait_for
no_link() { ! ip -n "$1" link show dev "$2" >/dev/null 2>&1; }

root_before=$(ip -d -j link show | jq -c '[.[] | select(.linkinfo.info_kind == "pktrelay") | .ifname]')

netns_new A a
netns_new B b
netns_new C c

# --- creation in three namespaces, several devices in one ---------------
for ns in "$A" "$B" "$C"; do
	ip -n "$ns" link add relay0 type pktrelay || fail "ip link add relay0 in $ns"
done
for i in 1 2 3; do
	ip -n "$A" link add "relay$i" type pktrelay || fail "ip link add relay$i in $A"
done
# created straight into another namespace
ip -n "$A" link add relay5 netns "$B" type pktrelay || fail "ip link add relay5 netns $B"

for d in relay0 relay1 relay2 relay3; do check_link "$A" "$d"; done
check_link "$B" relay0
check_link "$B" relay5
check_link "$C" relay0
ip -n "$A" link show dev relay5 >/dev/null 2>&1 && fail "relay5 created in $A, not $B"

assert_eq "relay0 relay1 relay2 relay3 " "$(ip_names "$A")" "pktrelay devices in $A"
assert_eq "relay0 relay5 " "$(ip_names "$B")" "pktrelay devices in $B"
assert_eq "relay0 " "$(ip_names "$C")" "pktrelay devices in $C"
# genl sees exactly the devices of the caller's namespace
assert_eq "relay0 relay1 relay2 relay3 " "$(relay_names "$A")" "relayctl show in $A"
assert_eq "relay0 relay5 " "$(relay_names "$B")" "relayctl show in $B"
assert_eq "relay0 " "$(relay_names "$C")" "relayctl show in $C"

# a second device of the same name in one namespace is refused
ip -n "$A" link add relay0 type pktrelay 2>/dev/null && fail "duplicate relay0 in $A accepted"
assert_eq "relay0 relay1 relay2 relay3 " "$(ip_names "$A")" "devices after duplicate add"

# --- up, addresses of both families, no qdisc, MTU changes ---------------
ip -n "$A" link set relay1 up
ip -n "$A" addr add 10.98.0.1/24 dev relay1
ip -n "$A" addr add fd98::1/64 dev relay1 nodad
j=$(link_json "$A" relay1)
assert_eq noqueue "$(jq -r '.qdisc' <<<"$j")" "qdisc of relay1 (no qdisc wanted)"
jq -e '.flags | index("UP")' <<<"$j" >/dev/null || fail "relay1 not UP: $(jq -c .flags <<<"$j")"
ip -n "$A" -4 -j addr show dev relay1 | jq -e '.[0].addr_info[] | select(.local == "10.98.0.1")' >/dev/null ||
	fail "IPv4 address missing on relay1"
ip -n "$A" -6 -j addr show dev relay1 | jq -e '.[0].addr_info[] | select(.local == "fd98::1")' >/dev/null ||
	fail "IPv6 address missing on relay1 (is IPv6 enabled on the device?)"
ip -n "$A" link set relay1 mtu 1280 || fail "MTU 1280 refused"
assert_eq 1280 "$(link_json "$A" relay1 | jq -r .mtu)" "MTU after set"
ip -n "$A" link set relay1 mtu 67 2>/dev/null && fail "MTU 67 (below IPv4's 68) accepted"
assert_eq 1280 "$(link_json "$A" relay1 | jq -r .mtu)" "MTU after refused set"

# --- move between namespaces ----------------------------------------------
nsx "$A" "$RELAYCTL" set relay2 udp-timeout 77 || fail "relayctl set relay2 udp-timeout 77"
ip -n "$A" link set dev relay2 netns "$B" || fail "move relay2 $A -> $B"
ip -n "$A" link show dev relay2 >/dev/null 2>&1 && fail "relay2 still in $A after move"
check_link "$B" relay2
j=$(relay_json "$B" relay2) || fail "relayctl -j show relay2 in $B after the move"
assert_eq relay2 "$(jq -r .ifname <<<"$j")" "ifname from relayctl in $B"
assert_eq "$(ip -n "$B" -j link show dev relay2 | jq -r '.[0].ifindex')" \
	"$(jq -r .ifindex <<<"$j")" "ifindex from relayctl in $B"
assert_eq 77 "$(jq -r .udp_timeout <<<"$j")" "relay2 config after the move"
nsx "$A" "$RELAYCTL" show relay2 >/dev/null 2>&1 && fail "relayctl in $A still finds relay2"
assert_eq "relay0 relay1 relay3 " "$(relay_names "$A")" "relayctl show in $A after the move"
assert_eq "relay0 relay2 relay5 " "$(relay_names "$B")" "relayctl show in $B after the move"

# moving onto a name that exists there fails and leaves the device alone
ip -n "$A" link set dev relay0 netns "$B" 2>/dev/null && fail "relay0 moved onto an existing relay0 in $B"
check_link "$A" relay0

# the moved device still works: up, address, a packet in, counted
ip -n "$B" link set relay2 up
ip -n "$B" addr add 10.97.0.1/24 dev relay2
before=$(relay_stat "$B" relay2 unreach_sent)
nsx "$B" "$PYTHON" - <<'EOF' || fail "UDP into the moved relay2 did not come back as ECONNREFUSED"
import errno, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.connect(("10.97.0.2", 9999))
s.send(b"x")
try:
    s.recv(10)
except OSError as e:
    raise SystemExit(0 if e.errno == errno.ECONNREFUSED else 1)
raise SystemExit(1)
EOF
after=$(relay_stat "$B" relay2 unreach_sent)
# (IPv6 housekeeping of the fresh link may add to it: at least one)
((after >= before + 1)) || fail "unreach_sent of the moved relay2 went from $before to $after"

# and back again
ip -n "$B" link set dev relay2 netns "$A" || fail "move relay2 $B -> $A"
check_link "$A" relay2
assert_eq "relay0 relay1 relay2 relay3 " "$(relay_names "$A")" "relayctl show in $A after moving back"
assert_eq "relay0 relay5 " "$(relay_names "$B")" "relayctl show in $B after moving back"

# --- deleting a namespace deletes its devices ------------------------------
# ... and, by the module's design (kmod/device.c: upstream sockets live in
# the creating namespace), also the devices created from it that live
# elsewhere now: relay5 (created from $A into $B) and relay3 (moved to $C).
ip -n "$A" link set dev relay3 netns "$C" || fail "move relay3 $A -> $C"
assert_eq "relay0 relay3 " "$(relay_names "$C")" "relayctl show in $C after moving relay3 in"
netns_del "$A"
wait_for 30 bash -c "! ip netns list | grep -qw -- '$A'" || fail "$A still listed"
leftover=$(pktrelay_devs_everywhere | awk -v a="$A" '$1 == a')
[[ -z $leftover ]] || fail "devices of deleted $A still visible: $leftover"
root_after=$(ip -d -j link show | jq -c '[.[] | select(.linkinfo.info_kind == "pktrelay") | .ifname]')
assert_eq "$root_before" "$root_after" "pktrelay devices in the root namespace"
# devices created from $A went with it, wherever they were
wait_for 30 no_link "$B" relay5 || fail "relay5 (created from $A, living in $B) survived the deletion of $A"
wait_for 30 no_link "$C" relay3 || fail "relay3 (created in $A, moved to $C) survived the deletion of $A"
# the devices created elsewhere are untouched
assert_eq "relay0 " "$(ip_names "$B")" "pktrelay devices in $B after deleting $A"
assert_eq "relay0 " "$(ip_names "$C")" "pktrelay devices in $C after deleting $A"
assert_eq "relay0 " "$(relay_names "$B")" "relayctl show in $B after deleting $A"
assert_eq "relay0 " "$(relay_names "$C")" "relayctl show in $C after deleting $A"
check_link "$B" relay0
check_link "$C" relay0

# --- create/delete 100 devices ------------------------------------------------
# (one `ip -batch`: a process per command is slow under TCG)
batch=$(tmpdir)/batch
for i in $(seq 1 100); do
	echo "link add loop$i type pktrelay"
	if ((i % 10 == 0)); then
		echo "link set loop$i up"
		echo "addr add 10.96.$i.1/24 dev loop$i"
		echo "addr add fd96:$i::1/64 dev loop$i nodad"
	fi
	echo "link del loop$i"
done >"$batch"
ip -n "$C" -batch "$batch" || fail "create/delete loop of 100 devices"
assert_eq "relay0 " "$(ip_names "$C")" "devices in $C after the add/del loop"

# 100 at once, listed by genl, then all deleted
for i in $(seq 1 100); do echo "link add many$i type pktrelay"; done >"$batch"
ip -n "$C" -batch "$batch" || fail "ip -batch add of 100 devices"
assert_eq 101 "$(ip -n "$C" -d -j link show | jq '[.[] | select(.linkinfo.info_kind == "pktrelay")] | length')" \
	"pktrelay devices in $C after adding 100"
assert_eq 101 "$(nsx "$C" "$RELAYCTL" -j show | jq 'length')" "relayctl -j show count in $C"
assert_eq 100 "$(nsx "$C" "$RELAYCTL" -j show | jq '[.[].ifname | select(startswith("many"))] | unique | length')" \
	"distinct many* devices listed by relayctl"
for i in $(seq 1 100); do echo "link del many$i"; done >"$batch"
ip -n "$C" -batch "$batch" || fail "ip -batch del of 100 devices"
assert_eq "relay0 " "$(ip_names "$C")" "devices in $C after deleting 100"
assert_eq "relay0 " "$(relay_names "$C")" "relayctl show in $C after deleting 100"

exit 0
