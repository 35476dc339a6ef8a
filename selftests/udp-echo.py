#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""UDP echo server for the pktrelay selftests.

udp-echo.py ADDR PORT [--prefix TEXT] [--log FILE]

Answers every datagram from the socket it arrived on, optionally prefixed
(so a test can tell which server answered), and appends "PEER_ADDR PEER_PORT"
per datagram to FILE, so tests can check what the far side saw.
"""
import argparse
import socket
import sys

ap = argparse.ArgumentParser()
ap.add_argument("addr")
ap.add_argument("port", type=int)
ap.add_argument("--prefix", default="")
ap.add_argument("--log")
args = ap.parse_args()

fam = socket.AF_INET6 if ":" in args.addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
# Tests open hundreds of flows at once: a burst must not overflow this
# one-threaded server's socket (UdpRcvbufErrors), or replies go missing
# that the relay delivered. SO_RCVBUFFORCE (33) goes past rmem_max as root.
try:
    s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)
except OSError:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
s.bind((args.addr, args.port))
log = open(args.log, "a", buffering=1) if args.log else None
print("ready", flush=True)
sys.stdout.close()
while True:
    data, peer = s.recvfrom(65535)
    if log:
        log.write(f"{peer[0]} {peer[1]}\n")
    s.sendto(args.prefix.encode() + data, peer)
