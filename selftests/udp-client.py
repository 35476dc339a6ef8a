#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""UDP client for the pktrelay selftests: prints what happened, one line per
event, so the shell test can assert on it.

udp-client.py [--bind ADDR:PORT] [--timeout S] [--linger S] [--every S]
              [--repeat N] DEST...
    One socket. For each DEST (ADDR:PORT, IPv6 as [ADDR]:PORT) send
    "msg-I" and wait for the answer: prints "reply ADDR PORT DATA",
    "refused" (ICMP port unreachable came back) or "timeout". --repeat
    sends the whole list N times, --every S apart. --linger S then keeps
    reading for S seconds and prints "extra ADDR PORT DATA" per datagram.
    The first line is "bound ADDR PORT" (the local endpoint).

udp-client.py --flows N [--timeout S] DEST
    N sockets, one datagram each to DEST, then collect the answers:
    prints "ok=K refused=R timeout=T".
"""
import argparse
import select
import selectors
import socket
import time


def parse(ep):
    if ep.startswith("["):
        addr, port = ep[1:].split("]:")
        return socket.AF_INET6, (addr, int(port))
    addr, port = ep.rsplit(":", 1)
    return socket.AF_INET, (addr, int(port))


def fam_of(dests):
    return parse(dests[0])[0]


def one_socket(args):
    fam = fam_of(args.dest)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if args.bind:
        s.bind(parse(args.bind)[1])
    else:
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", 0))
    la = s.getsockname()
    print(f"bound {la[0]} {la[1]}", flush=True)
    # Connected sockets see ICMP errors (refused); --linger needs an
    # unconnected one, which accepts datagrams from anyone.
    connect = not args.linger
    i = 0
    for rnd in range(args.repeat):
        for d in args.dest:
            dst = parse(d)[1]
            msg = f"msg-{i}".encode()
            i += 1
            try:
                if connect:
                    s.connect(dst)
                    s.send(msg)
                else:
                    s.sendto(msg, dst)
                r, _, _ = select.select([s], [], [], args.timeout)
                if not r:
                    print("timeout", flush=True)
                    continue
                data, peer = s.recvfrom(65535)
                print(f"reply {peer[0]} {peer[1]} {data.decode()}", flush=True)
            except ConnectionRefusedError:
                print("refused", flush=True)
        if rnd + 1 < args.repeat:
            time.sleep(args.every)
    end = time.time() + args.linger
    while time.time() < end:
        r, _, _ = select.select([s], [], [], max(0, end - time.time()))
        if not r:
            break
        data, peer = s.recvfrom(65535)
        print(f"extra {peer[0]} {peer[1]} {data.decode()}", flush=True)


def many_flows(args):
    fam, dst = parse(args.dest[0])
    sel = selectors.DefaultSelector()   # epoll: no 1024-descriptor limit
    for i in range(args.flows):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.connect(dst)
        s.send(f"flow-{i}".encode())
        sel.register(s, selectors.EVENT_READ)
    ok = refused = 0
    end = time.time() + args.timeout
    while sel.get_map() and time.time() < end:
        for key, _ in sel.select(max(0, end - time.time())):
            sel.unregister(key.fileobj)
            try:
                key.fileobj.recv(65535)
                ok += 1
            except ConnectionRefusedError:
                refused += 1
    print(f"ok={ok} refused={refused} timeout={len(sel.get_map())}", flush=True)


ap = argparse.ArgumentParser()
ap.add_argument("dest", nargs="+")
ap.add_argument("--bind")
ap.add_argument("--timeout", type=float, default=5)
ap.add_argument("--linger", type=float, default=0)
ap.add_argument("--every", type=float, default=0.5)
ap.add_argument("--repeat", type=int, default=1)
ap.add_argument("--flows", type=int, default=0)
a = ap.parse_args()
if a.flows:
    many_flows(a)
else:
    one_socket(a)
