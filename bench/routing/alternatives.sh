#!/usr/bin/env bash
# bench/routing/alternatives.sh - alternative routes (`alternatives=N`) from Locus beside OSRM
# MLD on the shared OD pairs: latency, how often an alternative is offered, and how much slower
# the alternatives are than the best route. Uses the tiles and peer builds that
# bench/routing/run.sh leaves behind (run it first for the extracts named here).
#
#   bash bench/routing/alternatives.sh [N] [extract ...]     (default: 2 monaco andorra porto london)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
WORK=${WORK:-/tmp/locus-routing-bench}
PEERS_DIR=${PEERS_DIR:-$REPO/../peers}
case ${CARGO_TARGET_DIR:-target} in /*) LOCUS=${LOCUS:-$CARGO_TARGET_DIR/release/locus};; *) LOCUS=${LOCUS:-$REPO/${CARGO_TARGET_DIR:-target}/release/locus};; esac
N=${1:-2}; shift || true
EXTRACTS=${*:-monaco andorra porto london}
PORT_LOCUS=15310 PORT_MLD=15311
[ -x "$LOCUS" ] || { echo "no binary at $LOCUS (cargo build --release -p locus-web)" >&2; exit 1; }
echo "alternatives=$N; $(date -u +%FT%TZ); Locus $(git -C "$REPO" rev-parse --short HEAD); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| extract | server | answered | median µs | p99 µs | pairs with an alternative | routes per answer | alternative ÷ best duration, median / p90 |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for x in $EXTRACTS; do
  [ -d "$WORK/$x/routing" ] || "$LOCUS" import osm "$SHARED/data/$x.osm.pbf" --data-dir "$WORK/$x" >/dev/null
  "$LOCUS" serve --data-dir "$WORK/$x" --addr 127.0.0.1:$PORT_LOCUS --services routing --no-demo >/tmp/alt-locus.log 2>&1 &
  locus_pid=$!
  bash "$SHARED/bench/routing/peers.sh" start -d "$PEERS_DIR" -p "$SHARED/data/$x.osm.pbf" --mld $PORT_MLD -t 2 >/tmp/alt-mld.log 2>&1
  mld_pid=$(cat "$PEERS_DIR/run/osrm-mld-$PORT_MLD.pid")
  for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:$PORT_LOCUS/health/ready && break; sleep 0.2; done
  python3 "$REPO/bench/routing/alternatives.py" "$SHARED/bench/routing/od/$x.csv" "$N" \
    "locus=http://127.0.0.1:$PORT_LOCUS" "osrm-mld=http://127.0.0.1:$PORT_MLD" | sed "s/^| /| $x | /"
  kill "$locus_pid" "$mld_pid" 2>/dev/null || true
  wait "$locus_pid" 2>/dev/null || true
  rm -f "$PEERS_DIR/run/osrm-mld-$PORT_MLD.pid"
done
