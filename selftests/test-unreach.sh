#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packets routed into a pktrelay device that nothing relays are dropped,
# counted, and answered with ICMP/ICMPv6 destination unreachable: UDP gets
# port unreachable (a connected socket sees ECONNREFUSED), everything else
# host/address unreachable; ICMP errors are never answered; malformed
# packets are counted as such and never answered.
#
# The cases run in one Python process (process start-up is slow under TCG):
# each reads the counters (relayctl -j show, ip -s -j link), sends, reads
# them again and checks the exact deltas. Every case runs; all failures are
# listed at the end.
set -euo pipefail
# shellcheck source=selftests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root
require_cmd ip jq ping
require_module
require_relayctl

netns_new NS u
DEV=relay0
ip -n "$NS" link add "$DEV" type pktrelay
# keep IPv6 quiet: no link-local address (so no router solicitations), no DAD
nsx "$NS" sysctl -qw "net.ipv6.conf.$DEV.addr_gen_mode=1" >/dev/null ||
	fail "sysctl addr_gen_mode on $DEV"
nsx "$NS" sysctl -qw "net.ipv6.conf.$DEV.router_solicitations=0" \
	"net.ipv6.conf.$DEV.accept_dad=0" >/dev/null || fail "sysctl on $DEV"
ip -n "$NS" link set "$DEV" up
ip -n "$NS" addr add 10.99.0.1/24 dev "$DEV"
ip -n "$NS" addr add fd99::1/64 dev "$DEV" nodad

# relay1: IPv6 with the defaults (link-local address, RS, MLD), no app traffic
ip -n "$NS" link add relay1 type pktrelay
ip -n "$NS" link set relay1 up
ip -n "$NS" addr add fd98::1/64 dev relay1

PY=$(tmpdir)/unreach.py
cat >"$PY" <<'EOF'
import errno, json, socket, struct, subprocess, sys, time

RELAYCTL, DEV = sys.argv[1], sys.argv[2]
failures = []

def log(msg):
    print("# test-unreach.sh: " + msg, file=sys.stderr, flush=True)

# --- counters ---------------------------------------------------------------
def snap(dev=DEV):
    r = json.loads(subprocess.check_output([RELAYCTL, "-j", "show", dev]))
    if isinstance(r, list):
        r = r[0]
    l = json.loads(subprocess.check_output(["ip", "-s", "-j", "link", "show", "dev", dev]))[0]
    st = r["stats"]
    return {
        "tx_packets": st["tx_packets"], "tx_dropped": st["tx_dropped"],
        "unhandled": st["unhandled"], "malformed": st["malformed"],
        "unreach_sent": st["unreach_sent"],
        **({"fragments": st["fragments"]} if "fragments" in st else {}),
        **({"icmp_other": st["icmp_other"]} if "icmp_other" in st else {}),
        **({"dns_malformed": st["dns_malformed"]} if "dns_malformed" in st else {}),
        "ip_tx_packets": l["stats64"]["tx"]["packets"],
        "ip_tx_dropped": l["stats64"]["tx"]["dropped"],
        "features": r["features"],
    }

def settle(quiet=1.0, limit=30, dev=DEV):
    """wait until background packets (IPv6 MLD, ...) stop moving counters"""
    a, t0 = snap(dev), time.time()
    while time.time() - t0 < limit:
        time.sleep(quiet)
        b = snap(dev)
        if a == b:
            return b
        a = b
    raise SystemExit("counters never settle: %r" % a)

def case(name, action, **want):
    """run action; the counters must move exactly as want says
    (a value given as (n, None) means: at least n)"""
    b = snap()
    try:
        action()
    except SystemExit as e:
        failures.append("%s: %s" % (name, e))
        log("FAIL %s: %s" % (name, e))
        return
    except OSError as e:
        failures.append("%s: %s" % (name, e))
        log("FAIL %s: %s" % (name, e))
        return
    a = snap()
    bad = []
    for k, v in want.items():
        d = a[k] - b[k]
        if isinstance(v, tuple):
            if d < v[0]:
                bad.append("%s +%d (want >= %d)" % (k, d, v[0]))
        elif d != v:
            bad.append("%s +%d (want +%d)" % (k, d, v))
    if a["ip_tx_dropped"] != a["tx_dropped"] or a["ip_tx_packets"] != a["tx_packets"]:
        bad.append("ip -s and relayctl disagree: %r" % a)
    if bad:
        failures.append("%s: %s" % (name, ", ".join(bad)))
        log("FAIL %s: %s" % (name, ", ".join(bad)))
    else:
        log("ok   %s" % name)

# --- traffic ----------------------------------------------------------------
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET

def udp(addr, count=1, size=4, df_off=False):
    """datagrams over a connected socket; each must see ECONNREFUSED"""
    def run():
        s = socket.socket(fam(addr), socket.SOCK_DGRAM)
        if df_off and fam(addr) == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER: DONT
        s.settimeout(10)
        s.connect((addr, 9999))
        for i in range(count):
            s.send(b"x" * size)
            try:
                data = s.recv(65536)
                raise SystemExit("UDP %s #%d: got %r, want ECONNREFUSED" % (addr, i, data))
            except socket.timeout:
                raise SystemExit("UDP %s #%d (%d bytes): no error within 10 s, want ECONNREFUSED"
                                 % (addr, i, size))
            except OSError as e:
                if e.errno != errno.ECONNREFUSED:
                    raise SystemExit("UDP %s #%d: %s, want ECONNREFUSED" % (addr, i, e))
    return run

def tcp(addr):
    def run():
        s = socket.socket(fam(addr), socket.SOCK_STREAM)
        s.settimeout(30)
        try:
            s.connect((addr, 80))
        except socket.timeout:
            raise SystemExit("TCP %s: timed out, want EHOSTUNREACH" % addr)
        except OSError as e:
            if e.errno != errno.EHOSTUNREACH:
                raise SystemExit("TCP %s: %s, want EHOSTUNREACH" % (addr, e))
            return
        raise SystemExit("TCP %s: connected" % addr)
    return run

def ping(addr):
    def run():
        p = subprocess.run(["ping", "-c1", "-W2", addr], capture_output=True, text=True)
        if p.returncode == 0:
            raise SystemExit("ping %s got an echo reply: %s" % (addr, p.stdout))
        if "nreachable" not in p.stdout + p.stderr:
            raise SystemExit("ping %s: no 'Unreachable' in: %s" % (addr, p.stdout + p.stderr))
    return run

def rawproto(addr, proto):
    """a valid packet of an IP protocol nothing handles"""
    def run():
        s = socket.socket(fam(addr), socket.SOCK_RAW, proto)
        s.sendto(b"payload!", (addr, 0))
    return run

def icmp_err(addr):
    """an ICMP/ICMPv6 destination unreachable going into the device"""
    def run():
        if fam(addr) == socket.AF_INET:
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            inner = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 0, 0, 64, 17, 0,
                                socket.inet_aton(addr), socket.inet_aton("10.99.0.1"))
            inner += struct.pack("!HHHH", 9999, 53, 8, 0)
            msg = struct.pack("!BBHI", 3, 3, 0, 0) + inner
            msg = msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]
        else:  # the kernel fills in the ICMPv6 checksum
            s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
            msg = struct.pack("!BBHI", 1, 4, 0, 0) + b"\x60" + b"\0" * 47
        s.sendto(msg, (addr, 0))
    return run

def ip4(payload, proto=17, ihl=5, tot=None, ver=4):
    tot = 20 + len(payload) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", (ver << 4) | ihl, 0, tot, 1, 0, 64, proto,
                    0, socket.inet_aton("10.99.0.1"), socket.inet_aton("10.99.0.2"))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload

def ip6(payload, nh=17, plen=None):
    plen = len(payload) if plen is None else plen
    return struct.pack("!IHBB16s16s", 6 << 28, plen, nh, 64,
                       socket.inet_pton(socket.AF_INET6, "fd99::1"),
                       socket.inet_pton(socket.AF_INET6, "fd99::2")) + payload

UDP8 = struct.pack("!HHHH", 40000, 9999, 8, 0)
def udph(length):
    return struct.pack("!HHHH", 40000, 9999, length, 0)

MALFORMED = [
    ("v4-short", 0x0800, ip4(UDP8)[:12]),
    ("v4-ihl4", 0x0800, ip4(UDP8, ihl=4)),
    ("v4-ihl15", 0x0800, ip4(UDP8, ihl=15)),
    ("v4-totlen-long", 0x0800, ip4(UDP8, tot=1000)),
    ("v4-totlen-below-ihl", 0x0800, ip4(UDP8, tot=19)),
    ("v4-version6", 0x0800, ip4(UDP8, ver=6)),
    ("v4-udp-truncated", 0x0800, ip4(UDP8[:4])),
    ("v4-udp-len-long", 0x0800, ip4(udph(200))),
    ("v4-udp-len-short", 0x0800, ip4(udph(4))),
    ("v4-icmp-empty", 0x0800, ip4(b"", proto=1)),
    ("v6-short", 0x86dd, ip6(UDP8)[:30]),
    ("v6-plen-long", 0x86dd, ip6(UDP8, plen=500)),
    ("v6-version4", 0x86dd, ip4(UDP8) + b"\0" * 40),
    ("v6-udp-truncated", 0x86dd, ip6(UDP8[:4])),
    ("v6-udp-len-long", 0x86dd, ip6(udph(300))),
    ("v6-icmp-empty", 0x86dd, ip6(b"", nh=58)),
]

def packet(proto, data):
    """straight to the device's transmit path, as AF_PACKET can"""
    def run():
        s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(proto))
        s.sendto(data, (DEV, proto))
    return run

def rawsock(data, v6):
    """through the IP stack and the route into the device (IPPROTO_RAW):
    Linux fixes IHL and total length of IPv4 headers from raw sockets, so
    for IPv4 only the UDP header can lie; IPv6 headers go as they are"""
    def run():
        dst = "fd99::2" if v6 else "10.99.0.2"
        s = socket.socket(fam(dst), socket.SOCK_RAW, socket.IPPROTO_RAW)
        s.sendto(data, (dst, 0))
    return run

# --- the cases ----------------------------------------------------------------
st = settle(quiet=2.0)
features = st["features"]
log("features %s, counters after settling: %r" % (features, st))
if "unreach" not in features:
    failures.append("features lack 'unreach': %r" % features)

ALL = dict(tx_packets=0, malformed=0)
case("3 IPv4 UDP datagrams -> ECONNREFUSED", udp("10.99.0.2", 3),
     unreach_sent=3, unhandled=3, tx_dropped=3, ip_tx_dropped=3, **ALL)
case("3 IPv6 UDP datagrams -> ECONNREFUSED", udp("fd99::2", 3),
     unreach_sent=3, unhandled=3, tx_dropped=3, ip_tx_dropped=3, **ALL)
if "icmp_echo" in features:
    log("module answers echo requests (feature icmp_echo): ping cases skipped")
else:
    case("ping 10.99.0.2 -> unreachable", ping("10.99.0.2"),
         unreach_sent=1, unhandled=1, tx_dropped=1, **ALL)
    case("ping fd99::2 -> unreachable", ping("fd99::2"),
         unreach_sent=1, unhandled=1, tx_dropped=1, **ALL)
case("TCP 10.99.0.2:80 -> EHOSTUNREACH", tcp("10.99.0.2"),
     unreach_sent=(1, None), unhandled=(1, None), **ALL)
case("TCP [fd99::2]:80 -> EHOSTUNREACH", tcp("fd99::2"),
     unreach_sent=(1, None), unhandled=(1, None), **ALL)
case("IPv4 protocol 253 -> unreachable", rawproto("10.99.0.2", 253),
     unreach_sent=1, unhandled=1, tx_dropped=1, **ALL)
case("IPv6 next header 253 -> unreachable", rawproto("fd99::2", 253),
     unreach_sent=1, unhandled=1, tx_dropped=1, **ALL)
# ICMP other than echo requests is counted as icmp_other by a module that
# handles ICMP (feature icmp_echo), as unhandled by one that does not.
ICMP_DROP = "icmp_other" if "icmp_echo" in features else "unhandled"
case("ICMP error into the device: not answered", icmp_err("10.99.0.2"),
     unreach_sent=0, tx_dropped=1, **{ICMP_DROP: 1}, **ALL)
case("ICMPv6 error into the device: not answered", icmp_err("fd99::2"),
     unreach_sent=0, tx_dropped=1, **{ICMP_DROP: 1}, **ALL)
case("ARP frame (not IP): dropped, not answered",
     packet(0x0806, bytes.fromhex("0001080006040001")),
     unreach_sent=0, unhandled=1, tx_dropped=1, **ALL)
for name, proto, data in MALFORMED:
    case("malformed %s (AF_PACKET): counted, not answered" % name, packet(proto, data),
         malformed=1, unreach_sent=0, unhandled=0, tx_dropped=1, tx_packets=0)
for name, data, v6 in (("v4-udp-len-long", ip4(udph(200)), False),
                       ("v4-udp-truncated", ip4(UDP8[:4]), False),
                       ("v6-plen-long", ip6(UDP8, plen=500), True),
                       ("v6-udp-len-long", ip6(udph(300)), True)):
    case("malformed %s (IPPROTO_RAW): counted, not answered" % name, rawsock(data, v6),
         malformed=1, unreach_sent=0, unhandled=0, tx_dropped=1, tx_packets=0)
case("IPv4 UDP still answered after the malformed ones", udp("10.99.0.2"),
     unreach_sent=1, unhandled=1, tx_dropped=1, **ALL)
case("IPv6 UDP still answered after the malformed ones", udp("fd99::2"),
     unreach_sent=1, unhandled=1, tx_dropped=1, **ALL)

end = settle()
d_drop = end["tx_dropped"] - st["tx_dropped"]
REASONS = ("unhandled", "malformed", "fragments", "icmp_other", "dns_malformed")
d_why = sum(end.get(k, 0) - st.get(k, 0) for k in REASONS)
if d_drop != d_why:
    failures.append("tx_dropped +%d but the drop reasons %s +%d" % (d_drop, "+".join(REASONS), d_why))

# A datagram bigger than the MTU leaves in fragments. The UAPI says
# fragments are dropped and counted (PKTRELAY_A_STATS_FRAGMENTS), nothing
# reassembles: no unreachable, not malformed.
def send_big(addr, size=3000):
    def run():
        s = socket.socket(fam(addr), socket.SOCK_DGRAM)
        if fam(addr) == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER: DONT
        s.connect((addr, 9999))
        s.send(b"y" * size)
    return run

subprocess.check_call(["ip", "link", "set", DEV, "mtu", "1280"])
settle()
if "fragments" not in snap():
    failures.append("stats lack 'fragments' (PKTRELAY_A_STATS_FRAGMENTS)")
else:
    # 3000 bytes at MTU 1280: 3 fragments in either family
    case("fragmented IPv4 UDP datagram: 3 fragments counted, dropped",
         send_big("10.99.0.2"), fragments=3, tx_dropped=3, unreach_sent=0, malformed=0)
    case("fragmented IPv6 UDP datagram: 3 fragments counted, dropped",
         send_big("fd99::2"), fragments=3, tx_dropped=3, unreach_sent=0, malformed=0)

# relay1 has IPv6 as it comes (link-local address, router solicitations,
# MLD reports): the stack's own multicast housekeeping went into it. Those
# packets are unhandled, but an ICMPv6 error about a packet sent to a
# multicast address is never allowed (RFC 4443 2.4 e.3), so none may have
# been handed to the stack for an app.
quiet = settle(quiet=2.0, dev="relay1")
log("relay1 (IPv6 housekeeping only): %r" % quiet)
if quiet["unreach_sent"] != 0:
    failures.append("relay1: unreach_sent %d for the stack's own multicast traffic "
                    "(unhandled %d), want 0" % (quiet["unreach_sent"], quiet["unhandled"]))

if failures:
    print("# test-unreach.sh: %d case(s) failed:" % len(failures), file=sys.stderr)
    for f in failures:
        print("#   " + f, file=sys.stderr)
    sys.exit(1)
EOF

nsx "$NS" "$PYTHON" "$PY" "$RELAYCTL" "$DEV" || fail "see the failed cases above"
exit 0
