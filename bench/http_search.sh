#!/usr/bin/env bash
# HTTP load on /v1/search/nearby with N synthetic businesses, embedded (SQLite) and MySQL + Redis.
# Usage: bash bench/http_search.sh [N=1000000] [duration=20s]
# Needs: wrk (apt-get install wrk), MariaDB on 127.0.0.1:3306 (root, no password), Redis on 6379.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}; DURATION=${2:-20s}
WORK=${BENCH_DIR:-/tmp/locus-bench}; mkdir -p "$WORK"
QUERIES=../shared/bench/proximity/queries.csv
command -v wrk >/dev/null && command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk bc >/dev/null; }
pid=""
# Never leave a server behind: a stale one on the port would answer the next run's checks.
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
cargo build --release -q -p locus-web
LOCUS=${CARGO_TARGET_DIR:-target}/release/locus
[ -f "$WORK/world-$N.csv" ] || $LOCUS generate businesses --count "$N" --seed 42 --out "$WORK/world-$N.csv"

run_case() { # run_case <label> <serve flags...>
  local label=$1; shift
  if curl -sf 127.0.0.1:18080/health/live >/dev/null; then echo "port 18080 is taken" >&2; exit 1; fi
  $LOCUS serve --addr 127.0.0.1:18080 --no-demo "$@" >"$WORK/serve.log" 2>&1 &
  pid=$!
  local t0=$(date +%s.%N)
  until curl -sf 127.0.0.1:18080/health/ready >/dev/null; do sleep 0.5; kill -0 $pid || { cat "$WORK/serve.log"; exit 1; }; done
  echo "== $label: ready after $(echo "$(date +%s.%N) - $t0" | bc) s; RSS $(ps -o rss= -p $pid) KiB"
  for r in 500 2000 20000 all; do
    local arg=$r; [ "$r" = all ] && arg=""
    echo "-- radius $r"
    wrk -t2 -c16 -d"$DURATION" --latency -s bench/nearby.lua http://127.0.0.1:18080 -- "$QUERIES" $arg | grep -E "Requests/sec|50%|99%|Non-2xx"
  done
  kill $pid; wait $pid 2>/dev/null || true
  pid=""
}

# Embedded: SQLite file in $WORK/embedded.
if [ ! -f "$WORK/embedded/locus.db" ]; then
  time $LOCUS import businesses "$WORK/world-$N.csv" --data-dir "$WORK/embedded"
fi
for index in quadtree rtree; do run_case "embedded $index" --data-dir "$WORK/embedded" --index $index; done

# Production: MariaDB + Redis.
MYSQL_URL=mysql://root@127.0.0.1:3306/locus_bench
mysql --protocol=tcp -h127.0.0.1 -uroot -e "CREATE DATABASE IF NOT EXISTS locus_bench"
if [ "$(mysql --protocol=tcp -h127.0.0.1 -uroot -N -e 'SELECT COUNT(*) FROM locus_bench.businesses' 2>/dev/null || echo 0)" -lt "$N" ]; then
  time $LOCUS import businesses "$WORK/world-$N.csv" --mysql-url $MYSQL_URL
fi
for index in quadtree geohash; do run_case "mysql+redis $index" --mysql-url $MYSQL_URL --redis-url redis://127.0.0.1:6379 --index $index; done
