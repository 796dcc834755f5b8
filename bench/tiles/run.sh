#!/usr/bin/env bash
# Map tile benchmarks, side by side in one run (see BENCHMARKS.md):
#   1. vector tiles z0-14: tilemaker 2.2.0 (Debian package, its shipped OpenMapTiles config) and
#      `locus tiles render --format mvt` on the same extracts: wall time, CPU, peak memory, tiles, bytes;
#   2. raster tiles: `locus tiles render` PNG, Monaco z0-17 and Liechtenstein z0-16 (and z0-16 for
#      Monaco): tiles/s, bytes, share of deduplicated tiles, peak memory.
# Usage: bench/tiles/run.sh [LOCUS_BINARY]   (env: REGIONS="monaco liechtenstein andorra", WORK=/tmp/tiles-bench)
# Needs: apt-get install tilemaker sqlite3 time
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LOCUS=${1:-${CARGO_TARGET_DIR:-$ROOT/target}/release/locus}
DATA=${DATA:-$ROOT/../shared/data}
WORK=${WORK:-/tmp/tiles-bench}
REGIONS=${REGIONS:-monaco liechtenstein andorra}
mkdir -p "$WORK"
cp /usr/share/doc/tilemaker/examples/config-openmaptiles.json /usr/share/doc/tilemaker/examples/process-openmaptiles.lua "$WORK/"

timed() { # timed LOG CMD... -> prints "wall_s cpu_s maxrss_mib"
  local log=$1; shift
  /usr/bin/time -v "$@" > "$log.out" 2> "$log.time"
  local wall usr sys rss
  wall=$(grep "Elapsed (wall" "$log.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  usr=$(grep "User time" "$log.time" | awk '{print $NF}')
  sys=$(grep "System time" "$log.time" | awk '{print $NF}')
  rss=$(grep "Maximum resident" "$log.time" | awk '{print $NF}')
  python3 -c "print(f'{$wall:.2f} {$usr+$sys:.2f} {$rss/1024:.0f}')"
}

echo "## vector tiles z0-14 (load $(cut -d' ' -f1 /proc/loadavg))"
printf "%-14s %-9s %8s %8s %9s %7s %9s %12s\n" region tool wall_s cpu_s rss_mib tiles distinct bytes
for r in $REGIONS; do
  (cd "$WORK" && rm -f "$r.mbtiles" && read -r w c m < <(timed "$WORK/tm-$r" tilemaker --input "$DATA/$r.osm.pbf" --output "$r.mbtiles" \
      --config config-openmaptiles.json --process process-openmaptiles.lua) && \
   read -r n d b < <(sqlite3 -separator ' ' "$r.mbtiles" "select count(*), count(distinct tile_data), sum(length(tile_data)) from tiles") && \
   printf "%-14s %-9s %8s %8s %9s %7s %9s %12s\n" "$r" tilemaker "$w" "$c" "$m" "$n" "$d" "$b")
  rm -rf "$WORK/mvt-$r"
  read -r w c m < <(timed "$WORK/locus-mvt-$r" "$LOCUS" tiles render --osm "$DATA/$r.osm.pbf" --zoom 0-14 --format mvt --out "$WORK/mvt-$r" --pmtiles "$WORK/$r.pmtiles")
  n=$(find "$WORK/mvt-$r" -name '*.mvt' | wc -l)
  d=$(find "$WORK/mvt-$r" -name '*.mvt' -printf '%i\n' | sort -u | wc -l)
  b=$(find "$WORK/mvt-$r" -name '*.mvt' -printf '%s\n' | awk '{s+=$1} END {print s}')
  printf "%-14s %-9s %8s %8s %9s %7s %9s %12s\n" "$r" locus "$w" "$c" "$m" "$n" "$d" "$b"
done

echo
echo "## raster tiles (PNG, 256 px; load $(cut -d' ' -f1 /proc/loadavg))"
printf "%-14s %-6s %8s %8s %9s %7s %9s %9s %12s\n" region zooms wall_s cpu_s rss_mib tiles tiles/s dedup% stored_bytes
for spec in monaco:0-16 monaco:0-17 liechtenstein:0-16; do
  r=${spec%%:*}; z=${spec##*:}
  rm -rf "$WORK/png-$r-$z"
  read -r w c m < <(timed "$WORK/locus-png-$r-$z" "$LOCUS" tiles render --osm "$DATA/$r.osm.pbf" --zoom "$z" --out "$WORK/png-$r-$z")
  n=$(find "$WORK/png-$r-$z" -name '*.png' | wc -l)
  d=$(find "$WORK/png-$r-$z" -name '*.png' -printf '%i\n' | sort -u | wc -l)
  b=$(find "$WORK/png-$r-$z" -name '*.png' -printf '%i %s\n' | sort -u | awk '{s+=$2} END {print s}')
  printf "%-14s %-6s %8s %8s %9s %7s %9.0f %9.1f %12s\n" "$r" "$z" "$w" "$c" "$m" "$n" "$(python3 -c "print($n/$w)")" \
    "$(python3 -c "print(100*($n-$d)/$n)")" "$b"
done
