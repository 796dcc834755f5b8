#!/usr/bin/env bash
# Serving cached tiles, side by side in one run: nginx (static files, gzip_static; the shared
# peer config) and `locus serve --tiles` from the bucket directory and from the PMTiles archive,
# each under the same wrk script (shared/bench/tiles: real tile paths cycled, Accept-Encoding:
# gzip, 16 connections, 1 wrk thread). Prints req/s, p50/p99 and requests per server CPU-second.
# Usage: bench/tiles/serve.sh [LOCUS_BINARY] [REGION]   (run bench/tiles/run.sh first: it writes
# WORK/mvt-REGION and WORK/REGION.pmtiles; env WORK=/tmp/tiles-bench DURATION=20s)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LOCUS=${1:-${CARGO_TARGET_DIR:-$ROOT/target}/release/locus}
REGION=${2:-andorra}
PEER=$(cd "$ROOT/../shared/bench/tiles" && pwd)
WORK=${WORK:-/tmp/tiles-bench}
BUCKET=$WORK/mvt-$REGION
[ -d "$BUCKET" ] || { echo "no $BUCKET: run bench/tiles/run.sh first" >&2; exit 1; }

# The same tiles as nginx's static tree: y.pbf (plain) and y.pbf.gz (as stored), and the paths.
STATIC=$WORK/static-$REGION
rm -rf "$STATIC"; mkdir -p "$STATIC"
(cd "$BUCKET" && find . -name '*.mvt' | sed 's#^\./##') | while read -r f; do
  mkdir -p "$STATIC/$(dirname "$f")"
  cp "$BUCKET/$f" "$STATIC/${f%.mvt}.pbf.gz"
  gunzip -c "$BUCKET/$f" > "$STATIC/${f%.mvt}.pbf"
done
(cd "$STATIC" && find . -name '*.pbf' | sed 's#^\.#/#; s#//#/#' | sort) > "$WORK/paths-$REGION.txt"
echo "$(wc -l < "$WORK/paths-$REGION.txt") tile paths; load $(cut -d' ' -f1 /proc/loadavg)"

"$PEER/serve_nginx.sh" "$STATIC" "$WORK/nginx-run" > /dev/null
"$PEER/bench_http.sh" nginx "$(cat "$WORK/nginx-run/nginx.pid")" http://127.0.0.1:18080 "$WORK/paths-$REGION.txt"
kill "$(cat "$WORK/nginx-run/nginx.pid")"

serve_locus() { # serve_locus LABEL TILES
  "$LOCUS" serve --services tiles --no-demo --addr 127.0.0.1:18090 --data-dir "$WORK/locus-data" --tiles "$2" \
    > "$WORK/locus-serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:18090/health/ready > /dev/null && break; sleep 0.1; done
  "$PEER/bench_http.sh" "$1" "$pid" http://127.0.0.1:18090 "$WORK/paths-$REGION.txt" /tiles .mvt
  kill "$pid"; wait "$pid" 2> /dev/null || true
}
serve_locus locus-bucket "$BUCKET"
serve_locus locus-pmtiles "$WORK/$REGION.pmtiles"
