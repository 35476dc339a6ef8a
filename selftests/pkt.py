#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""pkt.py: hand-made packets into a pktrelay device, for the selftests.

  pkt.py DEV echo       echo requests that must be answered: every answer is
                        checked byte by byte (addresses swapped, TTL/hop
                        limit 64, checksums, identifier, sequence, payload,
                        IPv4 options and IPv6 extension headers gone), and
                        the copy a packet tap saw of the request unchanged
  pkt.py DEV dns        DNS queries that must be answered truncated, checked
                        the same way, and received by a UDP socket (so the
                        stack accepted the UDP checksum)
  pkt.py DEV malformed [--repeat N] [--seed S]
                        batches of malformed or unanswerable packets: nothing
                        comes back, and each batch moves exactly the counters
                        it should, N packets a batch
  pkt.py DEV fuzz [--count N] [--seed S]
                        random bytes, and random L4 headers behind valid IP
                        headers: every packet is accounted for as answered
                        (tx_packets) or dropped (tx_dropped)

Packets go straight to the device's transmit path through an AF_PACKET
socket: the device is ARPHRD_NONE, so a frame is an IP packet. Run it in the
APP namespace of topo.sh (the device holds 10.99.0.1 and fd99::1) with
RELAYCTL set. Exit 0 on success, 1 with the failures on stderr.
"""
import argparse
import json
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time

from scapy.layers.dns import DNS, DNSQR, DNSRROPT, EDNS0TLV
from scapy.layers.inet import ICMP, IP, UDP, IPOption_NOP, IPOption_RR
from scapy.layers.inet6 import (ICMPv6EchoRequest, IPv6, IPv6ExtHdrDestOpt,
                                IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                                IPv6ExtHdrRouting, PadN)
from scapy.packet import Raw
from scapy.utils import checksum

ETH_P_ALL, ETH_P_IP, ETH_P_IPV6 = 0x0003, 0x0800, 0x86DD
PACKET_HOST, PACKET_OUTGOING = 0, 4
APP4, APP6 = "10.99.0.1", "fd99::1"
FAR4, FAR6 = "10.55.0.53", "fd55::53"

failures = []


def log(msg):
    print("# pkt.py: %s" % msg, file=sys.stderr, flush=True)


def fail(msg):
    log("FAIL: " + msg)
    failures.append(msg)


def stats(dev):
    out = subprocess.run([os.environ["RELAYCTL"], "-j", "show", dev.name],
                         check=True, capture_output=True, text=True).stdout
    j = json.loads(out)
    if isinstance(j, list):
        j = j[0]
    return j["stats"]


class Dev:
    """A sending socket and a tap on the device."""

    def __init__(self, name):
        self.name = name
        self.tx = {p: socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                                    socket.htons(p))
                   for p in (ETH_P_IP, ETH_P_IPV6)}
        self.tap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                 socket.htons(ETH_P_ALL))
        self.tap.bind((name, ETH_P_ALL))
        self.tap.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)

    def send(self, data, proto=None):
        if proto is None:
            proto = ETH_P_IPV6 if data[:1] and data[0] >> 4 == 6 else ETH_P_IP
        self.tx[proto].sendto(data, (self.name, proto))

    def drain(self):
        while select.select([self.tap], [], [], 0)[0]:
            self.tap.recv(65536)

    def packets(self, timeout):
        """(pkttype, bytes) seen by the tap until @timeout passes quietly"""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.tap], [], [], left)[0]:
                return
            data, addr = self.tap.recvfrom(65536)
            yield addr[2], data


# --- checksums and field checks ------------------------------------------------

def ip4_ok(pkt):
    return checksum(pkt[:(pkt[0] & 15) * 4]) == 0


def pseudo_ok(src, dst, proto, l4):
    if len(src) == 4:
        ph = src + dst + struct.pack("!BBH", 0, proto, len(l4))
    else:
        ph = src + dst + struct.pack("!IxxxB", len(l4), proto)
    return checksum(ph + l4) == 0


def split(pkt):
    """(src, dst, l4 bytes) of an IPv4 packet or an IPv6 one without ext hdrs"""
    if pkt[0] >> 4 == 4:
        hl, tot = (pkt[0] & 15) * 4, struct.unpack("!H", pkt[2:4])[0]
        return pkt[12:16], pkt[16:20], pkt[hl:tot]
    plen = struct.unpack("!H", pkt[4:6])[0]
    return pkt[8:24], pkt[24:40], pkt[40:40 + plen]


def l4_of_request(req):
    """(src, dst, L4 bytes) of a request, walking IPv6 extension headers"""
    if req[0] >> 4 == 4:
        return split(req)
    src, dst = req[8:24], req[24:40]
    plen = struct.unpack("!H", req[4:6])[0]
    off, nh = 40, req[6]
    while nh in (0, 43, 44, 60):
        nxt = req[off]
        off += 8 if nh == 44 else (req[off + 1] + 1) * 8
        nh = nxt
    return src, dst, req[off:40 + plen]


def short(v):
    if isinstance(v, (bytes, bytearray)):
        return v[:48].hex() + ("...(%d bytes)" % len(v) if len(v) > 48 else "")
    return repr(v)


def expect_eq(what, want, got):
    if want != got:
        fail("%s: want %s, got %s" % (what, short(want), short(got)))
        return False
    return True


def check_answer(name, req, rep, l4check):
    """generic part: bare IP header, addresses swapped, TTL 64, checksums"""
    qsrc, qdst, ql4 = l4_of_request(req)
    rsrc, rdst, rl4 = split(rep)
    ok = expect_eq(name + ": answer source", qdst, rsrc)
    ok &= expect_eq(name + ": answer destination", qsrc, rdst)
    ok &= expect_eq(name + ": L4 length", len(ql4), len(rl4))
    if rep[0] >> 4 == 4:
        proto = 1 if req[9] == 1 else 17
        ok &= expect_eq(name + ": IHL (options removed)", 5, rep[0] & 15)
        ok &= expect_eq(name + ": IPv4 total length", len(rep), 20 + len(rl4))
        ok &= expect_eq(name + ": TTL", 64, rep[8])
        ok &= expect_eq(name + ": IPv4 protocol", proto, rep[9])
        ok &= expect_eq(name + ": IPv4 header checksum valid", True, ip4_ok(rep))
        ok &= expect_eq(name + ": TOS kept", req[1], rep[1])
        if proto == 1:
            ok &= expect_eq(name + ": ICMP checksum valid", 0, checksum(rl4))
        else:
            ok &= expect_eq(name + ": UDP checksum valid", True,
                            pseudo_ok(rsrc, rdst, 17, rl4))
    else:
        ok &= expect_eq(name + ": IPv6 length", len(rep), 40 + len(rl4))
        ok &= expect_eq(name + ": hop limit", 64, rep[7])
        ok &= expect_eq(name + ": next header (ext headers removed)",
                        58 if l4check == "echo" else 17, rep[6])
        ok &= expect_eq(name + ": %s checksum valid" % ("ICMPv6" if rep[6] == 58 else "UDP"),
                        True, pseudo_ok(rsrc, rdst, rep[6], rl4))
    if l4check == "echo":
        reply_type = 0 if rep[0] >> 4 == 4 else 129
        ok &= expect_eq(name + ": type", reply_type, rl4[0])
        ok &= expect_eq(name + ": code", 0, rl4[1])
        ok &= expect_eq(name + ": identifier, sequence and payload", ql4[4:], rl4[4:])
    else:
        ok &= expect_eq(name + ": ports swapped", ql4[2:4] + ql4[0:2], rl4[0:4])
        ok &= expect_eq(name + ": UDP length", ql4[4:6], rl4[4:6])
        q, r = ql4[8:], rl4[8:]
        ok &= expect_eq(name + ": DNS id", q[0:2], r[0:2])
        ok &= expect_eq(name + ": flags (QR|TC set, opcode/RD kept)", q[2] | 0x82, r[2])
        ok &= expect_eq(name + ": RCODE cleared, RA/Z/AD/CD kept", q[3] & 0xF0, r[3])
        ok &= expect_eq(name + ": QDCOUNT", q[4:6], r[4:6])
        ok &= expect_eq(name + ": ANCOUNT := QDCOUNT", q[4:6], r[6:8])
        ok &= expect_eq(name + ": rest of the query kept", q[8:], r[8:])
    return ok


def roundtrip(dev, name, req, l4check, sock=None):
    """send @req, find its answer and the tap's copy of the request"""
    dev.drain()
    dev.send(req)
    rep, seen = None, None
    for ptype, data in dev.packets(3.0):
        if ptype == PACKET_OUTGOING and (seen is None or data == req):
            seen = data
        elif ptype == PACKET_HOST and rep is None:
            rep = data
        if rep is not None and seen == req:
            break
    if rep is None:
        fail("%s: no answer" % name)
        return
    # The tap holds a clone of the request: the answer must not show in it.
    expect_eq(name + ": request as the tap saw it (clone unmodified)", req, seen)
    if check_answer(name, req, rep, l4check):
        log("%s: answer ok (%d bytes)" % (name, len(rep)))
    if sock is not None:
        sock.settimeout(3)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            fail("%s: the UDP socket got no answer (bad checksum?)" % name)
            return
        expect_eq(name + ": what the app's socket received", split(rep)[2][8:], data)


# --- answered requests ---------------------------------------------------------

def payload(n, seed):
    r = random.Random(seed)
    return bytes(r.getrandbits(8) for _ in range(n))


def echo_cases():
    p = payload(1000, 1)
    yield "v4 echo", bytes(IP(src=APP4, dst="10.55.0.7", tos=0x28) /
                           ICMP(type=8, id=0x1234, seq=7) / Raw(p[:56]))
    yield "v4 echo, no payload", bytes(IP(src=APP4, dst="10.55.0.7") /
                                       ICMP(type=8, id=1, seq=65535))
    yield "v4 echo, 1000 bytes", bytes(IP(src=APP4, dst="10.55.0.8") /
                                       ICMP(type=8, id=0xffff, seq=0) / Raw(p))
    yield "v4 echo, odd length", bytes(IP(src=APP4, dst="10.55.0.8") /
                                       ICMP(type=8, id=3, seq=3) / Raw(p[:33]))
    yield "v4 echo with IP options (removed)", bytes(
        IP(src=APP4, dst="10.55.0.9",
           options=[IPOption_NOP(), IPOption_RR(routers=["0.0.0.0"] * 2)]) /
        ICMP(type=8, id=9, seq=9) / Raw(p[:40]))
    # Bytes past the IP total length are not part of the message.
    yield "v4 echo with trailing bytes", bytes(
        IP(src=APP4, dst="10.55.0.7") / ICMP(type=8, id=5, seq=5) /
        Raw(p[:20])) + b"TRAILER"
    yield "v6 echo", bytes(IPv6(src=APP6, dst="fd55::7", tc=0x28, fl=0x12345) /
                           ICMPv6EchoRequest(id=0x1234, seq=7, data=p[:56]))
    yield "v6 echo, no payload", bytes(IPv6(src=APP6, dst="fd55::7") /
                                       ICMPv6EchoRequest(id=1, seq=65535))
    yield "v6 echo, 1000 bytes", bytes(IPv6(src=APP6, dst="fd55::8") /
                                       ICMPv6EchoRequest(id=0xffff, seq=0, data=p))
    yield "v6 echo behind hop-by-hop and destination options (removed)", bytes(
        IPv6(src=APP6, dst="fd55::9") / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)]) /
        IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 12)]) /
        ICMPv6EchoRequest(id=9, seq=9, data=p[:40]))
    yield "v6 echo behind a routing header, segments left 0 (removed)", bytes(
        IPv6(src=APP6, dst="fd55::9") / IPv6ExtHdrRouting(addresses=["fd55::10"], segleft=0) /
        ICMPv6EchoRequest(id=10, seq=10, data=p[:40]))
    yield "v6 echo in an atomic fragment (removed)", bytes(
        IPv6(src=APP6, dst="fd55::9") / IPv6ExtHdrFragment(offset=0, m=0, id=77) /
        ICMPv6EchoRequest(id=11, seq=11, data=p[:40]))
    yield "v6 echo with trailing bytes", bytes(
        IPv6(src=APP6, dst="fd55::7") / ICMPv6EchoRequest(id=5, seq=5, data=p[:20])) + b"TRAILER"


def do_echo(dev, args):
    for name, req in echo_cases():
        roundtrip(dev, name, req, "echo")


def dns_query(qid=0x4242, rd=1, opcode=0, names=("example.test",), edns=None,
              rcode=0, z=0):
    qd = DNSQR(qname=names[0])
    for n in names[1:]:
        qd = qd / DNSQR(qname=n)
    d = DNS(id=qid, rd=rd, opcode=opcode, qd=qd)
    if edns is not None:
        d.ar = DNSRROPT(rclass=4096, rdata=edns)
    raw = bytearray(bytes(d))
    raw[3] = (raw[3] & 0xF0) | rcode | z
    return bytes(raw)


def do_dns(dev, args):
    cases = [
        ("one question", dns_query()),
        ("RD clear", dns_query(rd=0, qid=1)),
        ("RCODE bits and AD/CD set in the query", dns_query(rcode=5, z=0x30, qid=2)),
        ("two questions: ANCOUNT 2", dns_query(names=("a.test", "b.test"), qid=3)),
        ("EDNS OPT record kept", dns_query(edns=[], qid=4)),
        ("1145-byte EDNS query with padding (more than 512 bytes)",
         dns_query(edns=[EDNS0TLV(optcode=12, optdata=b"\0" * 1100)], qid=5)),
    ]
    for fam, src, dst, mk in (
            (socket.AF_INET, APP4, FAR4, lambda s, d, sp, q: IP(src=s, dst=d) / UDP(sport=sp, dport=53) / Raw(q)),
            (socket.AF_INET6, APP6, FAR6, lambda s, d, sp, q: IPv6(src=s, dst=d) / UDP(sport=sp, dport=53) / Raw(q))):
        for name, q in cases:
            sock = socket.socket(fam, socket.SOCK_DGRAM)
            sock.bind((src, 0))
            sport = sock.getsockname()[1]
            req = bytes(mk(src, dst, sport, q))
            roundtrip(dev, "%s DNS %s" % ("v4" if fam == socket.AF_INET else "v6", name),
                      req, "dns", sock)
            sock.close()
        # IPv4 options and IPv6 extension headers go, as for echo.
        sock = socket.socket(fam, socket.SOCK_DGRAM)
        sock.bind((src, 0))
        sport = sock.getsockname()[1]
        if fam == socket.AF_INET:
            req = bytes(IP(src=src, dst=dst, options=[IPOption_NOP()] * 4) /
                        UDP(sport=sport, dport=53) / Raw(dns_query(qid=6)))
        else:
            req = bytes(IPv6(src=src, dst=dst) / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 4)]) /
                        UDP(sport=sport, dport=53) / Raw(dns_query(qid=6)))
        roundtrip(dev, "%s DNS behind options/extension headers (removed)"
                  % ("v4" if fam == socket.AF_INET else "v6"), req, "dns", sock)
        sock.close()


# --- malformed and unanswerable ----------------------------------------------------

def ck(data):
    return checksum(data)


def udp4(payload_bytes, dst=FAR4, src=APP4, sport=40000, dport=53, ulen=None,
         trailer=b"", **ip):
    u = UDP(sport=sport, dport=dport)
    if ulen is not None:
        u.len = ulen
    pkt = bytes(IP(src=src, dst=dst, **ip) / u / Raw(payload_bytes))
    if trailer:
        pkt = bytearray(pkt + trailer)
        pkt[2:4] = struct.pack("!H", len(pkt))
        pkt[10:12] = b"\0\0"
        pkt[10:12] = struct.pack("!H", ck(bytes(pkt[:20])))
        pkt = bytes(pkt)
    return pkt


def udp6(payload_bytes, dst=FAR6, src=APP6, sport=40000, dport=53, ulen=None,
         trailer=b""):
    u = UDP(sport=sport, dport=dport)
    if ulen is not None:
        u.len = ulen
    pkt = bytes(IPv6(src=src, dst=dst) / u / Raw(payload_bytes))
    if trailer:
        pkt = bytearray(pkt + trailer)
        pkt[4:6] = struct.pack("!H", len(pkt) - 40)
        pkt = bytes(pkt)
    return pkt


def icmp4(l4, dst=FAR4, **ip):
    """raw ICMP bytes behind an IPv4 header (checksum as given)"""
    return bytes(IP(src=APP4, dst=dst, proto=1, **ip) / Raw(l4))


def icmp6(l4, dst=FAR6):
    return bytes(IPv6(src=APP6, dst=dst, nh=58) / Raw(l4))


def echo_l4(t, code, ident, seq, data, v6=False, src=APP6, dst=FAR6, bad=False):
    l4 = bytearray(struct.pack("!BBHHH", t, code, 0, ident, seq) + data)
    if v6:
        ph = (socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst) +
              struct.pack("!IxxxB", len(l4), 58))
        c = ck(ph + bytes(l4))
    else:
        c = ck(bytes(l4))
    if bad:
        c ^= 0x0100
    l4[2:4] = struct.pack("!H", c)
    return bytes(l4)


def batches(r):
    """(name, packet maker, expected counter deltas per packet)"""
    q = dns_query
    D, M, O, F = "dns_malformed", "malformed", "icmp_other", "fragments"
    rb = lambda n: bytes(r.getrandbits(8) for _ in range(n))
    yield "v4 DNS header shorter than 12 bytes", lambda: udp4(rb(r.randrange(12))), D
    yield "v4 DNS with QR set", lambda: udp4(bytes([0, 1, 0x80 | r.randrange(128)]) + q()[3:]), D
    yield "v4 DNS opcode not QUERY", lambda: udp4(q(opcode=r.randrange(1, 16))), D
    yield "v4 DNS QDCOUNT 0", lambda: udp4(q()[:4] + b"\0\0" + q()[6:]), D
    yield "v4 DNS UDP length shorter than IP payload", lambda: udp4(q(), trailer=rb(r.randrange(1, 30))), D
    yield "v4 DNS UDP length beyond IP payload", lambda: udp4(q(), ulen=8 + len(q()) + r.randrange(1, 100)), M
    yield "v4 DNS UDP length below 8", lambda: udp4(q(), ulen=r.randrange(8)), M
    yield "v4 DNS to 255.255.255.255", lambda: udp4(q(), dst="255.255.255.255"), D
    yield "v4 DNS to multicast", lambda: udp4(q(), dst="224.0.0.%d" % r.randrange(1, 255)), D
    yield "v4 DNS from 0.0.0.0", lambda: udp4(q(), src="0.0.0.0"), D
    yield "v4 ICMP shorter than 4 bytes", lambda: icmp4(rb(r.randrange(4))), M
    yield "v4 echo request shorter than 8 bytes", lambda: icmp4(bytes([8, 0]) + rb(r.randrange(2, 6))), M
    yield "v4 echo request, bad checksum", lambda: icmp4(echo_l4(8, 0, r.randrange(65536), 1, rb(r.randrange(64)), bad=True)), M
    yield "v4 echo request, code not 0", lambda: icmp4(echo_l4(8, r.randrange(1, 256), 1, 1, b"x")), O
    yield "v4 echo request to 255.255.255.255", lambda: icmp4(echo_l4(8, 0, 1, 1, b"x"), dst="255.255.255.255"), O
    yield "v4 echo request to multicast", lambda: icmp4(echo_l4(8, 0, 1, 1, b"x"), dst="224.0.0.1"), O
    yield "v4 ICMP, other types", lambda: icmp4(echo_l4(r.choice([0, 3, 4, 5, 11, 12, 13, 14, 15, 16, 17, 18, 30, 42]), 0, 1, 1, rb(28))), O
    yield "v4 UDP first fragment", lambda: udp4(q(), flags="MF"), F
    yield "v4 UDP later fragment", lambda: udp4(q(), frag=r.randrange(1, 8192)), F
    yield "v4 echo request fragment", lambda: icmp4(echo_l4(8, 0, 1, 1, rb(16)), flags="MF"), F
    yield "v4 total length beyond the packet", lambda: icmp4(echo_l4(8, 0, 1, 1, b"x"), len=200), M
    yield "v6 DNS header shorter than 12 bytes", lambda: udp6(rb(r.randrange(12))), D
    yield "v6 DNS with QR set", lambda: udp6(bytes([0, 1, 0x80 | r.randrange(128)]) + q()[3:]), D
    yield "v6 DNS opcode not QUERY", lambda: udp6(q(opcode=r.randrange(1, 16))), D
    yield "v6 DNS QDCOUNT 0", lambda: udp6(q()[:4] + b"\0\0" + q()[6:]), D
    yield "v6 DNS UDP length shorter than IP payload", lambda: udp6(q(), trailer=rb(r.randrange(1, 30))), D
    yield "v6 DNS UDP length beyond IP payload", lambda: udp6(q(), ulen=8 + len(q()) + r.randrange(1, 100)), M
    yield "v6 DNS to multicast", lambda: udp6(q(), dst="ff02::fb"), D
    yield "v6 ICMPv6 shorter than 4 bytes", lambda: icmp6(rb(r.randrange(4))), M
    yield "v6 echo request shorter than 8 bytes", lambda: icmp6(bytes([128, 0]) + rb(r.randrange(2, 6))), M
    yield "v6 echo request, bad checksum", lambda: icmp6(echo_l4(128, 0, r.randrange(65536), 1, rb(r.randrange(64)), v6=True, bad=True)), M
    yield "v6 echo request, code not 0", lambda: icmp6(echo_l4(128, r.randrange(1, 256), 1, 1, b"x", v6=True)), O
    yield "v6 echo request to multicast", lambda: icmp6(echo_l4(128, 0, 1, 1, b"x", v6=True, dst="ff02::1"), dst="ff02::1"), O
    yield "v6 ICMPv6, other types", lambda: icmp6(echo_l4(r.choice([1, 2, 3, 4, 129, 130, 133, 134, 135, 136, 137, 143, 200]), 0, 1, 1, rb(28), v6=True)), O
    yield "v6 UDP fragment", lambda: bytes(IPv6(src=APP6, dst=FAR6) / IPv6ExtHdrFragment(offset=r.randrange(0, 8192), m=1, id=1) / UDP(dport=53) / Raw(q())), F
    yield "v6 echo request, later fragment", lambda: bytes(IPv6(src=APP6, dst=FAR6) / IPv6ExtHdrFragment(offset=r.randrange(1, 8192), m=r.randrange(2), id=1) / Raw(echo_l4(128, 0, 1, 1, b"x", v6=True))), F
    yield "v6 extension header beyond the packet", lambda: bytes(IPv6(src=APP6, dst=FAR6, nh=0) / Raw(bytes([58, r.randrange(1, 256)]) + rb(6))), M
    yield "v6 extension headers beyond the payload length", lambda: (lambda p: p[:4] + struct.pack("!H", 8) + p[6:])(bytes(IPv6(src=APP6, dst=FAR6) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / Raw(echo_l4(128, 0, 1, 1, b"x", v6=True)))), M


def settle(dev, quiet=0.3):
    """counters once they stop moving"""
    cur = stats(dev)
    while True:
        time.sleep(quiet)
        nxt = stats(dev)
        if nxt == cur:
            return cur
        cur = nxt


WATCH = ("malformed", "dns_malformed", "icmp_other", "fragments", "unhandled",
         "unreach_sent", "echo_replied", "dns_truncated", "echo_dropped",
         "echo_ratelimited", "nomem", "tx_packets", "tx_dropped", "rx_packets")


def do_malformed(dev, args):
    r = random.Random(args.seed)
    total = 0
    after = settle(dev)
    for name, make, counter in batches(r):
        pkts = [make() for _ in range(args.repeat)]
        before = after
        dev.drain()
        for p in pkts:
            dev.send(p)
        answers = [d for t, d in dev.packets(0.3) if t == PACKET_HOST]
        after = settle(dev)
        want = {k: 0 for k in WATCH}
        want[counter] = len(pkts)
        want["tx_dropped"] = len(pkts)
        got = {k: after[k] - before[k] for k in WATCH}
        if got != want:
            fail("%s: counters moved %r, want %r" % (
                name, {k: v for k, v in got.items() if v},
                {k: v for k, v in want.items() if v}))
        if answers:
            fail("%s: %d answers came back, e.g. %s" % (name, len(answers), answers[0].hex()))
        total += len(pkts)
        log("%s: %d packets, +%d %s" % (name, len(pkts), got[counter], counter))

    # An empty frame never gets to the driver (AF_PACKET refuses it or the
    # device sees 0 bytes): either way, it must not be answered.
    before = after
    sent0, refused = 0, None
    for _ in range(args.repeat):
        for proto in (ETH_P_IP, ETH_P_IPV6):
            try:
                dev.send(b"", proto)
                sent0 += 1
            except OSError as e:
                refused = e
    if refused:
        log("empty frames refused by AF_PACKET: %s" % refused)
    after = settle(dev)
    got = {k: after[k] - before[k] for k in WATCH}
    want = {k: 0 for k in WATCH}
    want["malformed"] = want["tx_dropped"] = sent0
    if got != want:
        fail("empty frames: counters moved %r, want %r" % (got, want))
    log("empty frames: %d sent, +%d malformed" % (sent0, got["malformed"]))
    total += sent0
    print("sent %d" % total)


def do_fuzz(dev, args):
    r = random.Random(args.seed)
    rb = lambda n: bytes(r.getrandbits(8) for _ in range(n))
    before = settle(dev)
    n = 0
    for i in range(args.count):
        kind = i % 4
        if kind == 0:      # random bytes, either protocol
            p, proto = rb(r.randrange(1, 120)), r.choice([ETH_P_IP, ETH_P_IPV6])
        elif kind == 1:    # random UDP or ICMP behind a valid IPv4 header
            proto = ETH_P_IP
            l4 = rb(r.randrange(0, 80))
            if r.randrange(2) and len(l4) >= 4:
                l4 = l4[:2] + struct.pack("!H", 53) + l4[4:]
            p = bytes(IP(src=APP4, dst=FAR4, proto=r.choice([1, 17])) / Raw(l4))
        elif kind == 2:    # the same over IPv6
            proto = ETH_P_IPV6
            l4 = rb(r.randrange(0, 80))
            if r.randrange(2) and len(l4) >= 4:
                l4 = l4[:2] + struct.pack("!H", 53) + l4[4:]
            p = bytes(IPv6(src=APP6, dst=FAR6, nh=r.choice([58, 17, 0, 60, 44])) / Raw(l4))
        else:              # valid headers, a few random bytes flipped
            proto = ETH_P_IP if r.randrange(2) else ETH_P_IPV6
            base = bytearray(udp4(dns_query(qid=i)) if proto == ETH_P_IP
                             else bytes(IPv6(src=APP6, dst=FAR6) / ICMPv6EchoRequest(id=i, data=b"abcd")))
            for _ in range(r.randrange(1, 4)):
                base[r.randrange(len(base))] = r.getrandbits(8)
            p = bytes(base)
        dev.send(p, proto)
        n += 1
    after = settle(dev, quiet=0.5)
    d = {k: after[k] - before[k] for k in WATCH}
    log("fuzz: %d packets, counters moved %r" % (n, {k: v for k, v in d.items() if v}))
    # Nothing is relayed with upstream none: answered or dropped, nothing else.
    expect_eq("fuzz: answered (tx_packets) + dropped (tx_dropped)", n,
              d["tx_packets"] + d["tx_dropped"])
    reasons = sum(after[k] - before[k] for k in after
                  if k not in ("tx_packets", "tx_bytes", "tx_dropped", "rx_packets",
                               "rx_bytes", "rx_dropped", "unreach_sent", "echo_replied",
                               "dns_truncated"))
    expect_eq("fuzz: every drop has a reason counter", d["tx_dropped"], reasons)
    expect_eq("fuzz: answers counted", d["tx_packets"], d["echo_replied"] + d["dns_truncated"])
    print("sent %d" % n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dev")
    ap.add_argument("what", choices=["echo", "dns", "malformed", "fuzz"])
    ap.add_argument("--repeat", type=int, default=100)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    args = ap.parse_args()
    log("%s, seed %d" % (args.what, args.seed))
    dev = Dev(args.dev)
    {"echo": do_echo, "dns": do_dns, "malformed": do_malformed, "fuzz": do_fuzz}[args.what](dev, args)
    if failures:
        log("%d failure(s)" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
