#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rmmod pktrelay with devices in several namespaces (after traffic went
# through them and with a listener on the genl "events" group): the module
# goes, the devices go, and insmod brings back a working module.
set -euo pipefail
# shellcheck source=selftests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root
require_cmd ip jq insmod rmmod ping
ensure_module
[[ -n ${PKTRELAY_KO:-} && -r $PKTRELAY_KO ]] || fail "PKTRELAY_KO not set or unreadable: '${PKTRELAY_KO:-}'"
on_exit ensure_module

ROOTDEV="prmu$$"
ROOTDEV=${ROOTDEV:0:15}

# traffic NS DEV V4NET V6NET: bring DEV up and push UDP (v4+v6), ICMP echo
# and a TCP SYN into it; each must be answered with an unreachable.
traffic() {
	local ns=$1 dev=$2 v4=$3 v6=$4
	ip -n "$ns" link set "$dev" up
	ip -n "$ns" addr add "$v4.1/24" dev "$dev"
	ip -n "$ns" addr add "$v6::1/64" dev "$dev" nodad
	nsx "$ns" "$PYTHON" - "$v4.2" "$v6::2" <<'EOF' || fail "traffic through $dev in $ns was not answered with unreachables"
import errno, socket, sys
for fam, addr in ((socket.AF_INET, sys.argv[1]), (socket.AF_INET6, sys.argv[2])):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(10)
    s.connect((addr, 9999))
    s.send(b"ping")
    try:
        s.recv(100)
        sys.exit("UDP to %s: got data" % addr)
    except OSError as e:
        if e.errno != errno.ECONNREFUSED:
            sys.exit("UDP to %s: %r, want ECONNREFUSED" % (addr, e))
    t = socket.socket(fam, socket.SOCK_STREAM)
    t.settimeout(20)
    try:
        t.connect((addr, 80))
        sys.exit("TCP to %s connected" % addr)
    except OSError as e:
        if e.errno != errno.EHOSTUNREACH:
            sys.exit("TCP to %s: %r, want EHOSTUNREACH" % (addr, e))
EOF
	nsx "$ns" ping -c1 -W2 "$v4.2" >/dev/null 2>&1 || true
}

# An events-group listener, alive across rmmod (like `relayctl monitor`).
start_listener() {
	"$PYTHON" - "$(tmpdir)/listener.ready" <<'EOF' &
import os, socket, struct, sys, time
NETLINK_GENERIC, GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 0x10, 3
CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 2, 7
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
s.bind((0, 0))
name = b"pktrelay\0"
attr = struct.pack("HH", 4 + len(name), CTRL_ATTR_FAMILY_NAME) + name
attr += b"\0" * (-len(attr) % 4)
msg = struct.pack("BBH", CTRL_CMD_GETFAMILY, 1, 0) + attr
s.send(struct.pack("IHHII", 16 + len(msg), GENL_ID_CTRL, 1, 1, 0) + msg)
data = s.recv(65536)
ln, typ = struct.unpack_from("IH", data)
if typ != GENL_ID_CTRL:
    sys.exit("listener: family lookup failed")
def attrs(buf):
    off = 0
    while off + 4 <= len(buf):
        l, t = struct.unpack_from("HH", buf, off)
        if l < 4:
            break
        yield t & 0x3fff, buf[off + 4:off + l]
        off += (l + 3) & ~3
grp = None
for t, v in attrs(data[20:ln]):
    if t == CTRL_ATTR_MCAST_GROUPS:
        for _, g in attrs(v):
            ga = dict(attrs(g))
            if ga.get(1, b"").rstrip(b"\0") == b"events":
                grp = struct.unpack("I", ga[2])[0]
if grp is None:
    sys.exit("listener: no events group")
s.setsockopt(270, 1, grp)  # SOL_NETLINK, NETLINK_ADD_MEMBERSHIP
open(sys.argv[1], "w").close()
s.settimeout(1)
while True:
    try:
        s.recv(65536)
    except socket.timeout:
        pass
    except OSError:
        time.sleep(0.1)
EOF
	LISTENER=$!
	bg_track "$LISTENER"
	wait_for 20 test -e "$(tmpdir)/listener.ready" || fail "events listener did not start"
}

netns_new A a
netns_new B b
netns_new C c

ip -n "$A" link add relay0 type pktrelay
ip -n "$A" link add relay1 type pktrelay
ip -n "$B" link add relay0 type pktrelay
ip -n "$C" link add relay0 type pktrelay
ip link add "$ROOTDEV" type pktrelay || fail "ip link add $ROOTDEV in the root namespace"
on_exit "ip link del $ROOTDEV"
traffic "$A" relay0 10.91.0 fd91:0:0:0
traffic "$A" relay1 10.92.0 fd92:0:0:0
traffic "$B" relay0 10.91.0 fd91:0:0:0
traffic "$C" relay0 10.93.0 fd93:0:0:0
ip -n "$C" link set relay0 down	# one device down again

if [[ -x ${RELAYCTL:-} ]]; then
	nsx "$A" "$RELAYCTL" -j show relay0 | jq -e '.stats.unreach_sent // .[0].stats.unreach_sent | . > 0' >/dev/null ||
		fail "unreach_sent did not move on $A/relay0"
fi

start_listener

rmmod pktrelay || fail "rmmod pktrelay with devices present"
module_loaded && fail "/sys/module/pktrelay still there after rmmod"
for ns in "$A" "$B" "$C"; do
	n=$(ip -n "$ns" -d -j link show | jq '[.[] | select(.linkinfo.info_kind == "pktrelay")] | length')
	assert_eq 0 "$n" "pktrelay devices left in $ns after rmmod"
	ip -n "$ns" link show relay0 >/dev/null 2>&1 && fail "relay0 still in $ns after rmmod"
done
ip link show "$ROOTDEV" >/dev/null 2>&1 && fail "$ROOTDEV still in the root namespace after rmmod"
kill -0 "$LISTENER" 2>/dev/null || fail "events listener died at rmmod"

# With module autoloading unavailable, creating a device fails cleanly.
if [[ ${PKTRELAY_IN_VM:-} == 1 && -w /proc/sys/kernel/modprobe ]]; then
	old_modprobe=$(cat /proc/sys/kernel/modprobe)
	on_exit "echo '$old_modprobe' > /proc/sys/kernel/modprobe"
	echo /nonexistent-modprobe >/proc/sys/kernel/modprobe
	if err=$(nsx "$A" ip link add relay0 type pktrelay 2>&1); then
		fail "ip link add type pktrelay succeeded without the module"
	fi
	log "without the module: $err"
	module_loaded && fail "pktrelay loaded although modprobe was unavailable"
	assert_eq 0 "$(ip -n "$A" -j link show | jq '[.[] | select(.ifname == "relay0")] | length')" \
		"relay0 after the failed add"
	echo "$old_modprobe" >/proc/sys/kernel/modprobe
else
	log "not in the VM: skipping the no-modprobe check"
fi

# insmod again: a new device works.
insmod "$PKTRELAY_KO" || fail "insmod $PKTRELAY_KO after rmmod"
module_loaded || fail "pktrelay not loaded after insmod"
ip -n "$A" link add relay0 type pktrelay || fail "ip link add after re-insmod"
j=$(ip -n "$A" -d -j link show dev relay0)
assert_eq pktrelay "$(jq -r '.[0].linkinfo.info_kind' <<<"$j")" "kind after re-insmod"
traffic "$A" relay0 10.94.0 fd94:0:0:0
if [[ -x ${RELAYCTL:-} ]]; then
	nsx "$A" "$RELAYCTL" -j show relay0 >/dev/null || fail "relayctl show after re-insmod"
fi

# A few more load/unload cycles with devices in two namespaces.
for cycle in 1 2 3; do
	ip -n "$B" link add relay0 type pktrelay || fail "cycle $cycle: add in $B"
	ip -n "$B" link set relay0 up
	rmmod pktrelay || fail "cycle $cycle: rmmod"
	ip -n "$A" link show relay0 >/dev/null 2>&1 && fail "cycle $cycle: $A/relay0 survived rmmod"
	ip -n "$B" link show relay0 >/dev/null 2>&1 && fail "cycle $cycle: $B/relay0 survived rmmod"
	insmod "$PKTRELAY_KO" || fail "cycle $cycle: insmod"
	ip -n "$A" link add relay0 type pktrelay || fail "cycle $cycle: add in $A"
done

exit 0
