#!/usr/bin/env bash
# Side by side, in one run, on the same 1M points and 5,000 queries: Locus's in-memory indexes
# (criterion), Redis GEOSEARCH (server-side µs from INFO commandstats) and, with --postgis,
# PostGIS ST_DWithin on a GiST index (EXPLAIN ANALYZE execution time).
# Usage: bash bench/proximity_peers.sh [--postgis]
# Needs: Redis on 127.0.0.1:6379; for --postgis, PostgreSQL on 127.0.0.1:5432 (user postgres, db test)
# and the postgresql-15-postgis-3 package. Peer scripts and their README: ../shared/bench/proximity/.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=$(cd ../shared/bench/proximity && pwd)
OUT=${BENCH_DIR:-/tmp/locus-bench/proximity}; mkdir -p "$OUT"
POINTS=$OUT/points.csv
[ -f "$POINTS" ] || python3 "$PEERS/gen_points.py" --count 1000000 --seed 42 --out "$POINTS"
VENV=$OUT/venv
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q redis hiredis psycopg2-binary; }
PY=$VENV/bin/python

echo "== Redis GEOSEARCH"
"$PY" "$PEERS/redis_bench.py" load --points "$POINTS" --batch 1000 --pipeline 10 --json "$OUT/redis_load.json"
"$PY" "$PEERS/redis_bench.py" run --queries "$PEERS/queries.csv" --json "$OUT/redis_run.json"
"$PY" "$PEERS/redis_bench.py" drop

if [ "${1:-}" = "--postgis" ]; then
  echo "== PostGIS"
  psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -v points="$POINTS" -v queries="$PEERS/queries.csv" -f "$PEERS/pg_load.sql" > "$OUT/pg_load.log"
  (cd "$PEERS" && "$PY" pg_bench.py explain --json "$OUT/pg_explain.json")
  (cd "$PEERS" && "$PY" pg_bench.py drop)
fi

echo "== Locus in-memory indexes"
LOCUS_BENCH_POINTS="$POINTS" cargo bench -p locus-lbs --bench index 2>&1 | tee "$OUT/locus_index.txt" | grep -E "time:|build|heap|mean hits|points"
python3 - "$OUT" <<'PY'
import json, re, sys, os
out = sys.argv[1]
redis = json.load(open(os.path.join(out, "redis_run.json")))["radii"]
text = open(os.path.join(out, "locus_index.txt")).read()
def locus(name):
    m = re.search(re.escape(name) + r"\s+time:\s+\[[^\]]*?([\d.]+) (ns|µs|us|ms)\s+[\d.]+ \S+\]", text)
    if not m: return None
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "ns" else v * 1000 if unit == "ms" else v
pg = json.load(open(os.path.join(out, "pg_explain.json"))) if os.path.exists(os.path.join(out, "pg_explain.json")) else None
print("\n| radius | Redis server µs | PostGIS geog median µs | quadtree µs | rtree µs | Redis / quadtree | Redis / rtree | PostGIS / quadtree |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in ["500", "1000", "2000", "5000", "20000"]:
    rs = redis[r]["asc_server_us"]
    q, t = locus(f"within_{r}m/quadtree"), locus(f"within_{r}m/rtree")
    fmt = lambda x: f"{x:.2f}" if x else "?"
    ratio = lambda x: f"{rs / x:.0f}x" if x else "?"
    pgm = pg["radii"][r]["geog"]["median_ms"] * 1000 if pg else None
    pg_ratio = f"{pgm / q:.0f}x" if pg and q else "-"
    print(f"| {r} m | {rs:.0f} | {fmt(pgm) if pg else '-'} | {fmt(q)} | {fmt(t)} | {ratio(q)} | {ratio(t)} | {pg_ratio} |")
PY
