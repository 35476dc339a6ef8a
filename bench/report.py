#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench/guest.sh's raw results into the table and the JSON.

report.py --results FILE [--relay0 JSON] [--json OUT] [--text OUT]
          [--param KEY=VALUE]...

FILE has one line per run: "KIND CASE PARAM REP KEY=VALUE...", KIND being
udp (PARAM = payload size), flows (PARAM = number of flows) or ping (PARAM
= echo requests). Medians and ranges per (KIND, PARAM, CASE); ratios are of
medians, relay0 against each baseline, written so that > 1x means relay0 did
better (for memory: relay0's bytes over the baseline's, < 1x is better).
Standard library only: it runs in the VM from the host's /usr/bin/python3.
"""
import argparse
import datetime
import json
import os
import statistics
import sys

CASE_ORDER = ["direct-veth", "relay0", "tun-relay", "sock-relay"]
BASELINES = ["direct-veth", "tun-relay", "sock-relay"]


def parse(path):
    runs = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            kind, case, param, rep = w[:4]
            kv = {k: float(v) for k, v in (x.split("=", 1) for x in w[4:])}
            runs.append(dict(kind=kind, case=case, param=int(param), rep=int(rep), **kv))
    return runs


def derive(r):
    """Per-run figures from the raw counts."""
    if r["kind"] in ("udp", "udprate"):
        # the sink's first-to-last span: a relay still draining its queue
        # after the sender stopped gets no credit for the extra time
        t = r.get("span") or r["secs"]
        r["rate"] = r["rx"] / t if t else 0.0
        r["loss"] = 1 - r["rx"] / r["tx"] if r["tx"] else 0.0
        r["mbps"] = r["rate"] * r["param"] * 8 / 1e6
        r["cpu_us"] = r.get("cpu_s", 0.0) * 1e6 / r["rx"] if r["rx"] else 0.0
    elif r["kind"] == "flows":
        r["rate"] = r["ok"] / r["secs"] if r["secs"] else 0.0
        r["bytes_per_flow"] = (r["slab_kb"] + r["rss_kb"]) * 1024 / r["param"]
    elif r["kind"] == "ping":
        r["rate"] = r["rcvd"] / (r["ms"] / 1000) if r["ms"] else 0.0
    return r


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}


def group(runs, kind, metrics):
    """[{case, param, runs, METRIC: summary}] in a stable order."""
    out = []
    params = sorted({r["param"] for r in runs if r["kind"] == kind})
    for p in params:
        cases = {r["case"] for r in runs if r["kind"] == kind and r["param"] == p}
        for c in sorted(cases, key=lambda c: CASE_ORDER.index(c) if c in CASE_ORDER else 99):
            rs = [r for r in runs if r["kind"] == kind and r["param"] == p and r["case"] == c]
            g = {"case": c, "param": p,
                 "runs": [{k: v for k, v in r.items() if k not in ("kind", "case", "param")}
                          for r in rs]}
            for m in metrics:
                g[m] = summary([r[m] for r in rs])
            out.append(g)
    return out


def find(groups, case, param):
    for g in groups:
        if g["case"] == case and g["param"] == param:
            return g
    return None


def ratios(groups, metric):
    """{param: {"relay0/BASE": ratio}} of medians."""
    out = {}
    for p in sorted({g["param"] for g in groups}):
        r0 = find(groups, "relay0", p)
        if not r0:
            continue
        for b in BASELINES:
            g = find(groups, b, p)
            if not g:
                continue
            num, den = r0[metric]["median"], g[metric]["median"]
            if den > 0:
                out.setdefault(p, {})[f"relay0/{b}"] = num / den
    return out


def fmt_n(v, digits=0):
    return f"{v:,.{digits}f}"


def rng(s, digits=0, scale=1.0):
    return (f"{fmt_n(s['median'] * scale, digits)} "
            f"[{fmt_n(s['min'] * scale, digits)}-{fmt_n(s['max'] * scale, digits)}]")


def table(rows, header):
    """Aligned columns: text left, numbers (starting with a digit) right."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    lines = []
    for row in [header] + rows:
        cells = []
        for x, w in zip(row, widths):
            x = str(x)
            num = x[:1].isdigit() or x[:1] in "+-"
            cells.append(x.rjust(w) if num else x.ljust(w))
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def ratio_line(label, rs, unit=""):
    parts = [f"{k} = {v:.2f}x" for k, v in rs.items()]
    return f"  {label:<14} " + "   ".join(parts) + unit


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--relay0")
    ap.add_argument("--json")
    ap.add_argument("--text")
    ap.add_argument("--param", action="append", default=[])
    a = ap.parse_args()

    runs = [derive(r) for r in parse(a.results)]
    params = dict(p.split("=", 1) for p in a.param)
    udp = group(runs, "udp", ["rate", "loss", "mbps"])
    udprate = group(runs, "udprate", ["rate", "loss", "cpu_us"])
    flows = group(runs, "flows", ["secs", "rate", "bytes_per_flow"])
    ping = group(runs, "ping", ["rate", "rtt_ms"])
    res = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kernel": os.uname().release,
        "accel": "QEMU TCG",		# bench/run.sh boots selftests/vm/vm-run.sh: TCG only
        "vcpus": os.cpu_count(),
        "params": params,
        "udp": udp, "udp_fixed_rate": udprate, "flows": flows, "ping": ping,
        "ratios": {
            "udp_rate": ratios(udp, "rate"),
            "udp_cpu_per_datagram": ratios(udprate, "cpu_us"),
            "flows_setup_rate": ratios(flows, "rate"),
            "flows_bytes_per_flow": ratios(flows, "bytes_per_flow"),
            "ping_rate": ratios(ping, "rate"),
        },
    }
    if a.relay0:
        with open(a.relay0) as f:
            res["relay0"] = json.load(f)

    reps = params.get("reps", "?")
    L = [f"pktrelay benchmarks: {res['date']}, kernel {res['kernel']}, {res['accel']}, "
         f"{res['vcpus']} vCPU, commit {params.get('commit', '?')}",
         f"median of {reps} runs [min-max], runs of all cases interleaved in one boot. "
         "Under TCG compare the ratios, not the absolute numbers.", ""]
    if udp:
        L.append(f"1. UDP throughput, one flow APP -> UP, {params.get('secs', '?')} s of sendmmsg per run")
        rows = []
        for g in udp:
            base = find(udp, "direct-veth", g["param"])
            vs = (f"{g['rate']['median'] / base['rate']['median']:.2f}x"
                  if base and base["rate"]["median"] else "-")
            rows.append([g["param"], g["case"], rng(g["rate"]), fmt_n(g["mbps"]["median"], 1),
                         f"{g['loss']['median'] * 100:.1f}%", vs])
        L += table(rows, ["bytes", "case", "delivered datagrams/s", "Mbit/s", "loss", "vs direct-veth"])
        L.append("")
    if udprate:
        L.append(f"1b. UDP at a fixed {params.get('rate', '?')} datagrams/s: CPU time per delivered "
                 "datagram, all vCPUs (sender, kernel, relay, sink)")
        rows = []
        for g in udprate:
            base = find(udprate, "direct-veth", g["param"])
            vs = (f"{g['cpu_us']['median'] / base['cpu_us']['median']:.2f}x"
                  if base and base["cpu_us"]["median"] else "-")
            rows.append([g["param"], g["case"], rng(g["rate"]), f"{g['loss']['median'] * 100:.1f}%",
                         rng(g["cpu_us"], 1), vs])
        L += table(rows, ["bytes", "case", "delivered datagrams/s", "loss", "CPU us/datagram",
                          "vs direct-veth"])
        L.append("")
    if flows:
        n = flows[0]["param"]
        L.append(f"2. Many flows: {n} sockets each send one datagram to an echo server and wait for the answer")
        rows = []
        for g in flows:
            note = " (noise floor)" if g["case"] == "direct-veth" else ""
            ok = min(r["ok"] for r in g["runs"])
            rows.append([g["case"], rng(g["secs"], 2), rng(g["rate"]),
                         rng(g["bytes_per_flow"]) + note, f"{ok:.0f}/{n}"])
        L += table(rows, ["case", "setup s", "flows/s", "kernel+relay bytes/flow held", "answered (min)"])
        L.append("")
    if ping:
        L.append(f"3. Ping: ping -f -c {ping[0]['param']} from APP to the peer's address")
        rows = [[g["case"], rng(g["rate"]), f"{g['rtt_ms']['median']:.3f}"] for g in ping]
        L += table(rows, ["case", "round trips/s", "rtt avg ms"])
        L.append("")
    L.append("Ratios of medians (relay0 against each baseline; > 1x: relay0 faster)")
    for p, rs in res["ratios"]["udp_rate"].items():
        L.append(ratio_line(f"udp {p} B", rs))
    for p, rs in res["ratios"]["udp_cpu_per_datagram"].items():
        L.append(ratio_line(f"udp {p} B CPU", rs, "  (CPU time per datagram at a fixed rate: < 1x, relay0 cheaper)"))
    for p, rs in res["ratios"]["flows_setup_rate"].items():
        L.append(ratio_line("flows setup", rs, "  (flows/s)"))
    for p, rs in res["ratios"]["flows_bytes_per_flow"].items():
        rs = {k: v for k, v in rs.items() if k != "relay0/direct-veth"}	# noise floor
        if rs:
            L.append(ratio_line("flows memory", rs, "  (bytes/flow: < 1x, relay0 smaller)"))
    for p, rs in res["ratios"]["ping_rate"].items():
        L.append(ratio_line("ping", rs, "  (round trips/s)"))
    text = "\n".join(L) + "\n"

    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
            f.write("\n")
    if a.text:
        with open(a.text, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
