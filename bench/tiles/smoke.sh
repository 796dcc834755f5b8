#!/usr/bin/env bash
# The README's map-tile commands as a user runs them, on the Monaco extract: render PNG and MVT
# (with a PMTiles archive), re-render with --since last, serve the bucket and the archive, and
# fetch through the real HTTP interface (ETag/304, gzip negotiation, byte ranges, the tile-URL
# API); then wrk a hot tile. Prints what it sees.
# Usage: bench/tiles/smoke.sh [LOCUS_BINARY]   (env WORK=/tmp/tiles-smoke; needs curl, wrk)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LOCUS=${1:-${CARGO_TARGET_DIR:-$ROOT/target}/release/locus}
OSM=${OSM:-$ROOT/../shared/data/monaco.osm.pbf}
WORK=${WORK:-/tmp/tiles-smoke}
ADDR=127.0.0.1:18091
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK"

echo "== locus tiles render (PNG z0-17)"; "$LOCUS" tiles render --osm "$OSM" --zoom 0-17 --out tiles 2>/dev/null
echo "== locus tiles render (MVT z0-14 + PMTiles)"
"$LOCUS" tiles render --osm "$OSM" --zoom 0-14 --format mvt --out vt --pmtiles monaco.pmtiles 2>/dev/null
echo "== again with --since last (nothing changed)"
"$LOCUS" tiles render --osm "$OSM" --zoom 0-17 --out tiles --since last 2>/dev/null | grep -E "tiles:|changes:"

serve() { # serve TILES
  "$LOCUS" serve --services tiles --no-demo --addr "$ADDR" --data-dir data --tiles "$1" > serve.log 2>&1 &
  PID=$!
  for _ in $(seq 100); do curl -sf "http://$ADDR/health/ready" > /dev/null && return; sleep 0.1; done
  echo "the server did not get ready"; cat serve.log; exit 1
}
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

serve tiles
echo "== serving the bucket"
curl -sI "http://$ADDR/tiles/14/8529/5974.png" | grep -iE "^(HTTP|content-type|etag|cache-control|access-control-allow-origin)"
etag=$(curl -sI "http://$ADDR/tiles/14/8529/5974.png" | awk -F': ' 'tolower($1)=="etag"{print $2}' | tr -d '\r')
echo "If-None-Match -> $(status -H "If-None-Match: $etag" "http://$ADDR/tiles/14/8529/5974.png")"
echo "outside the range -> $(status "http://$ADDR/tiles/18/0/0.png"); bad z/x/y -> $(status "http://$ADDR/tiles/3/9/0.png")"
echo "tile URL API: $(curl -s "http://$ADDR/v1/tiles/url?lat=43.7384&lng=7.4246&zoom=14&radius_tiles=0")"
echo "tiles.json: $(curl -s "http://$ADDR/tiles/tiles.json" | tr -d '\n ' | cut -c1-160)..."
echo "== wrk: one hot PNG tile, 16 connections, 10 s"
wrk -t1 -c16 -d10s "http://$ADDR/tiles/14/8529/5974.png" | grep -E "Requests/sec|Latency"
kill $PID; wait $PID 2>/dev/null || true

serve monaco.pmtiles
echo "== serving the archive"
echo "MVT with gzip: $(curl -s -o /dev/null -w '%{http_code} %header{content-encoding} %{size_download} bytes' -H 'Accept-Encoding: gzip' "http://$ADDR/tiles/14/8529/5974.mvt")"
echo "MVT without:   $(curl -s -o /dev/null -w '%{http_code} %header{content-encoding} %{size_download} bytes' "http://$ADDR/tiles/14/8529/5974.mvt")"
echo "archive range 0-126: $(curl -s -o /dev/null -w '%{http_code} %header{content-range}' -H 'Range: bytes=0-126' "http://$ADDR/tiles/tiles.pmtiles")"
echo "range past the end: $(status -H 'Range: bytes=99999999-' "http://$ADDR/tiles/tiles.pmtiles")"
echo "== wrk: one hot MVT tile (gzip), 16 connections, 10 s"
wrk -t1 -c16 -d10s -H 'Accept-Encoding: gzip' "http://$ADDR/tiles/14/8529/5974.mvt" | grep -E "Requests/sec|Latency"
kill -TERM $PID; wait $PID; echo "SIGTERM -> exit $?"
