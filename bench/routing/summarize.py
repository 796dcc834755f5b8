#!/usr/bin/env python3
"""Markdown tables from bench/routing/run.sh output (standard library only).

  summarize.py OUT_DIR [OUT_DIR ...] [--shared DIR] [--md FILE] [--subject NAME] [--outliers N]

OUT_DIR: folders written by run.sh (summary.jsonl, meta.json, <extract>/<server>.seq.csv).
With several (rounds of the same run), each timing is the median over them; route agreement
and outliers come from the first.
--shared: ../shared/bench/routing (for od/ and reference/); default: beside the repo.
--subject: the router compared with the peers (default: locus). Ratios are subject/peer of the
  medians; agreement is every router's duration against OSRM's (the live CH run of the same
  round when there is one, else reference/<extract>-osrm-car.csv).
--md: also write the tables to FILE.
"""
import argparse
import csv
import json
import math
import os
import statistics as st
import sys
from collections import defaultdict

SERVERS = ["locus", "osrm-ch", "osrm-mld", "valhalla"]
PEERS = ["osrm-ch", "osrm-mld", "valhalla"]
TOLERANCE = 0.10  # "within 10 % of OSRM's duration"
AGREE_TARGET = 0.90
med = st.median


def load_runs(dirs):
    recs = defaultdict(list)  # (extract, server) -> [record per round]
    order = []
    for d in dirs:
        path = os.path.join(d, "summary.jsonl")
        if not os.path.exists(path):
            sys.exit(f"summarize.py: no {path}")
        for line in open(path):
            if not line.strip():
                continue
            r = json.loads(line)
            recs[(r["extract"], r["peer"])].append(r)
            if r["extract"] not in order:
                order.append(r["extract"])
    return recs, order


def servers_in(recs, x):
    return [s for s in SERVERS if (x, s) in recs] + sorted(
        s for (e, s) in recs if e == x and s not in SERVERS)


def wrk_key(r):
    return next(k for k in r if k.startswith("wrk_c") and k != "wrk_c1")


def fmt(v, nd=0):
    if v is None:
        return "–"
    return f"{v:,.{nd}f}"


def build_table(recs, order):
    out = ["| extract | router | steps | wall s | peak RSS MiB | on disk MiB |",
           "|---|---|---|---:|---:|---:|"]
    for x in order:
        for s in servers_in(recs, x):
            b = recs[(x, s)][0].get("build")
            if not b:
                continue
            size = None if b.get("bytes") is None else b["bytes"] / 2**20
            out.append(f"| {x} | {s} | {b['steps']} | {b['wall_s']:.2f} | {b['peak_rss_kib'] / 1024:.0f} | "
                       f"{fmt(size, 1)} |")
    extra = []
    for x in order:
        r = recs.get((x, "locus"))
        if r and "ready_s" in r[0]:
            extra.append(f"{x} {med(q['ready_s'] for q in r):.2f} s ({med(q['rss_at_ready_kib'] for q in r) / 1024:.0f} MiB)")
    if extra:
        out.append("\nLocus `serve` time to ready (RSS when ready): " + ", ".join(extra) + ".")
    return "\n".join(out)


def query_table(recs, order):
    out = ["| extract | server | ok | seq py median µs | seq py p99 µs | wrk c1 p50 µs | wrk c1 p99 µs | "
           "wrk cN req/s | wrk cN p50 µs | wrk cN p99 µs | server RSS MiB | rounds |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    conns = None
    for x in order:
        for s in servers_in(recs, x):
            rs = recs[(x, s)]
            k = wrk_key(rs[0])
            conns = k[len("wrk_c"):]
            m = lambda f: med(f(r) for r in rs)
            out.append(
                f"| {x} | {s} | {m(lambda r: r['seq_py']['ok']):.0f}/{rs[0]['seq_py']['n']} | "
                f"{m(lambda r: r['seq_py']['median_us']):,.0f} | {m(lambda r: r['seq_py']['p99_us']):,.0f} | "
                f"{m(lambda r: r['wrk_c1']['p50_us']):,.0f} | {m(lambda r: r['wrk_c1']['p99_us']):,.0f} | "
                f"{m(lambda r: r[k]['rps']):,.0f} | {m(lambda r: r[k]['p50_us']):,.0f} | "
                f"{m(lambda r: r[k]['p99_us']):,.0f} | {m(lambda r: r['server_peak_rss_kib']) / 1024:.0f} | {len(rs)} |")
    text = "\n".join(out)
    if conns:
        text = text.replace("wrk cN", f"wrk c{conns}")
    return text


def ratio_table(recs, order, subject):
    rows = []
    for x in order:
        if (x, subject) not in recs:
            continue
        S = recs[(x, subject)]
        k = wrk_key(S[0])

        def r(peer, f):
            if (x, peer) not in recs:
                return None
            a, b = med(f(q) for q in S), med(f(q) for q in recs[(x, peer)])
            return a / b if b else None
        seq = lambda q: q["seq_py"]["median_us"]
        c1 = lambda q: q["wrk_c1"]["p50_us"]
        rps = lambda q: q[k]["rps"]
        vals = [r("osrm-ch", seq), r("osrm-mld", seq), r("valhalla", seq),
                r("osrm-mld", c1), r("valhalla", c1), r("osrm-mld", rps), r("valhalla", rps)]
        mld_ok = all(v is not None and v <= 1.0 for v in (vals[1], vals[3]))
        val_ok = all(v is not None and v < 1.0 for v in (vals[2], vals[4]))
        verdict = ("yes" if mld_ok and val_ok else
                   "no" if None not in (vals[1], vals[2], vals[3], vals[4]) else "n/a")
        rows.append(f"| {x} | " + " | ".join("–" if v is None else f"{v:.2f}" for v in vals) + f" | {verdict} |")
    if not rows:
        return f"(no `{subject}` run in these results)"
    head = [f"| extract | seq median {subject}/osrm-ch | seq median {subject}/osrm-mld | seq median {subject}/valhalla | "
            f"wrk c1 p50 {subject}/osrm-mld | wrk c1 p50 {subject}/valhalla | req/s {subject}/osrm-mld | "
            f"req/s {subject}/valhalla | median target met |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    return "\n".join(head + rows) + (
        f"\n\nLatency ratios below 1 mean {subject} is faster; req/s ratios above 1 mean it serves more. "
        "Target (issue 4): median latency no worse than OSRM MLD's (≤ 1.00) and better than Valhalla's "
        "(< 1.00), on both the Python sequential median and the wrk c1 p50.")


def read_csv(path):
    with open(path) as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def osrm_reference(run_dir, shared, x):
    live = os.path.join(run_dir, x, "osrm-ch.seq.csv")
    ref_path = os.path.join(shared, "reference", f"{x}-osrm-car.csv")
    ref = read_csv(ref_path) if os.path.exists(ref_path) else None
    if os.path.exists(live):
        rows = read_csv(live)
        osrm = {i: (num(r["duration_s"]), num(r["distance_m"])) if r["status"] == "ok" else (None, None)
                for i, r in rows.items()}
        note = "live osrm-ch"
        if ref:
            same = sum(1 for i, (d, _) in osrm.items()
                       if d is not None and num(ref.get(i, {}).get("duration_s")) is not None
                       and abs(d - num(ref[i]["duration_s"])) < 0.15)
            note += f" (= reference CSV on {same}/{len(ref)})"
        return osrm, note
    if ref:
        return {i: (num(r["duration_s"]), num(r["distance_m"])) for i, r in ref.items()}, "reference CSV"
    return None, None


def agreement(run_dir, shared, order, recs, subject, n_out):
    out = ["| extract | router | OSRM from | pairs | router no route | within 10 % of OSRM | share | "
           "median router/OSRM duration | p10-p90 | median router/OSRM distance | ≥ 90 % |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    outliers = []
    for x in order:
        osrm, note = osrm_reference(run_dir, shared, x)
        if osrm is None:
            out.append(f"| {x} | – | no OSRM durations | | | | | | | | |")
            continue
        od_path = os.path.join(shared, "od", f"{x}.csv")
        od = read_csv(od_path) if os.path.exists(od_path) else {}
        for s in servers_in(recs, x):
            if s == "osrm-ch" and note.startswith("live"):
                continue
            path = os.path.join(run_dir, x, f"{s}.seq.csv")
            if not os.path.exists(path):
                continue
            mine = read_csv(path)
            pairs = [i for i in osrm if osrm[i][0] is not None]
            within, rt, rd, rows, noroute = 0, [], [], [], 0
            for i in pairs:
                od_ = osrm[i]
                r = mine.get(i)
                d, m = (num(r["duration_s"]), num(r["distance_m"])) if r and r["status"] == "ok" else (None, None)
                if d is None:
                    noroute += 1
                    rows.append((math.inf, i, r["status"] if r else "missing", None, od_))
                    continue
                ratio = d / od_[0] if od_[0] > 0 else (1.0 if d == 0 else math.inf)
                rt.append(ratio)
                if od_[1] and m is not None:
                    rd.append(m / od_[1])
                if abs(ratio - 1.0) <= TOLERANCE:
                    within += 1
                rows.append((abs(math.log(ratio)) if 0 < ratio < math.inf else math.inf, i, ratio, (d, m), od_))
            share = within / len(pairs) if pairs else 0.0
            q = st.quantiles(rt, n=10) if len(rt) >= 2 else [math.nan] * 9
            out.append(f"| {x} | {s} | {note} | {len(pairs)} | {noroute} | {within} | {100 * share:.1f} % | "
                       f"{med(rt) if rt else math.nan:.3f} | {q[0]:.2f}-{q[-1]:.2f} | "
                       f"{med(rd) if rd else math.nan:.3f} | {'yes' if share >= AGREE_TARGET else 'no'} |")
            if s == subject or (s == "valhalla" and not any(e == x and t == subject for (e, t) in recs)):
                rows.sort(key=lambda t: (-t[0], int(t[1]) if t[1].isdigit() else t[1]))
                outliers.append((x, s, rows[:n_out], od))
    return "\n".join(out), outliers


def outlier_tables(outliers):
    parts = []
    for x, s, rows, od in outliers:
        lines = [f"**{x}**, {s}: the {len(rows)} pairs farthest from OSRM's duration "
                 "(no route first, then by |log(router/OSRM)|)", "",
                 f"| id | {s} s | OSRM s | ratio | {s} m | OSRM m | origin lat,lon | destination lat,lon |",
                 "|---:|---:|---:|---:|---:|---:|---|---|"]
        for key, i, ratio, mine, (od_d, od_m) in rows:
            p = od.get(i, {})
            o = f"{p.get('origin_lat', '?')},{p.get('origin_lon', '?')}"
            dst = f"{p.get('dest_lat', '?')},{p.get('dest_lon', '?')}"
            if mine is None:
                lines.append(f"| {i} | no route ({ratio}) | {od_d:.1f} | – | – | {fmt(od_m, 1)} | {o} | {dst} |")
            else:
                r = "inf" if ratio == math.inf else f"{ratio:.3f}"
                lines.append(f"| {i} | {mine[0]:.1f} | {od_d:.1f} | {r} | {fmt(mine[1], 1)} | {fmt(od_m, 1)} | "
                             f"{o} | {dst} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def meta_line(dirs):
    out = []
    for d in dirs:
        p = os.path.join(d, "meta.json")
        if os.path.exists(p):
            m = json.load(open(p))
            out.append(f"- `{os.path.basename(os.path.normpath(d))}`: {m.get('date')}, Locus "
                       f"{m.get('git_head')}{' (dirty tree)' if m.get('git_dirty') else ''}, "
                       f"{m.get('osrm') or 'OSRM ?'}, load average {' / '.join(m.get('loadavg', []))} at start, "
                       f"wrk {m.get('seq_s')} s (c1) and {m.get('tput_s')} s (c{m.get('conns')}, "
                       f"{m.get('wrk_threads')} threads), peer server threads {m.get('server_threads')}")
    fails = []
    for d in dirs:
        p = os.path.join(d, "failures.txt")
        if os.path.exists(p):
            fails += [f"{os.path.basename(os.path.normpath(d))}: {l.strip()}" for l in open(p) if l.strip()]
    if fails:
        out.append("- **failed**: " + "; ".join(fails))
    return "\n".join(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--shared", default=os.path.normpath(os.path.join(here, "../../../shared/bench/routing")))
    ap.add_argument("--md")
    ap.add_argument("--subject", default="locus")
    ap.add_argument("--outliers", type=int, default=10)
    a = ap.parse_args()
    recs, order = load_runs(a.runs)
    qt = query_table(recs, order)
    agree, outl = agreement(a.runs[0], a.shared, order, recs, a.subject, a.outliers)
    doc = "\n".join([
        "## Routing: Locus beside OSRM (CH, MLD) and Valhalla",
        "",
        meta_line(a.runs),
        "",
        "### Preprocessing",
        "",
        build_table(recs, order),
        "",
        "### Queries (latencies in µs; `seq py` = bench.py, one client, 2nd of 2 passes; "
        "`wrk c1` = one connection; medians over rounds when several)",
        "",
        qt,
        "",
        f"### Ratios of the medians ({a.subject} ÷ peer)",
        "",
        ratio_table(recs, order, a.subject),
        "",
        "### Route agreement with OSRM (durations; share over all pairs OSRM routes, no route counts as a miss)",
        "",
        agree,
        "",
        "### Outliers",
        "",
        outlier_tables(outl) or "(none)",
        "",
    ])
    print(doc)
    if a.md:
        with open(a.md, "w") as f:
            f.write(doc)


if __name__ == "__main__":
    main()
