#!/usr/bin/env python3
"""Alternative routes over HTTP, side by side: the same OD pairs sent to OSRM-style servers
with `alternatives=N&overview=false`, one client, sequential (2nd of 2 passes timed).

    python3 bench/routing/alternatives.py OD.csv N NAME=http://127.0.0.1:PORT [NAME=URL ...]

Prints one markdown row per server: pairs answered, median and p99 latency, the share of pairs
with at least one alternative, routes per answer, and the median and p90 of each alternative's
duration over the best route's.
"""
import csv
import json
import statistics
import sys
import time
import urllib.request


def pct(values, p):
    values = sorted(values)
    return values[max(0, min(len(values) - 1, int(-(-p * len(values) // 100)) - 1))] if values else float("nan")


def run(base, pairs, n):
    opener = urllib.request.build_opener()
    for timed in (False, True):
        latencies, counts, stretches, ok = [], [], [], 0
        for olat, olon, dlat, dlon in pairs:
            url = f"{base}/route/v1/driving/{olon},{olat};{dlon},{dlat}?overview=false&alternatives={n}"
            started = time.perf_counter()
            with opener.open(url) as r:
                body = json.loads(r.read())
            latencies.append((time.perf_counter() - started) * 1e6)
            routes = body.get("routes") or []
            if body.get("code") != "Ok" or not routes:
                continue
            ok += 1
            counts.append(len(routes))
            best = routes[0]["duration"]
            stretches += [r["duration"] / best for r in routes[1:] if best > 0]
    return ok, latencies, counts, stretches


def main(argv):
    od, n, servers = argv[1], int(argv[2]), [a.split("=", 1) for a in argv[3:]]
    with open(od) as f:
        pairs = [(r["origin_lat"], r["origin_lon"], r["dest_lat"], r["dest_lon"]) for r in csv.DictReader(f)]
    for name, base in servers:
        ok, lat, counts, stretch = run(base, pairs, n)
        with_alt = sum(1 for c in counts if c > 1)
        print(
            f"| {name} | {ok}/{len(pairs)} | {statistics.median(lat):,.0f} | {pct(lat, 99):,.0f} "
            f"| {100.0 * with_alt / max(ok, 1):.1f} % | {statistics.mean(counts) if counts else 0:.2f} "
            f"| {statistics.median(stretch) if stretch else float('nan'):.3f} / {pct(stretch, 90):.3f} |"
        )


if __name__ == "__main__":
    main(sys.argv)
