#!/usr/bin/env bash
# bench/routing/run.sh - the Locus router side by side with OSRM (CH, MLD) and Valhalla
# on the shared OD pairs (issue 4, Performance). One server at a time, like the peers'
# ../shared/bench/routing/run_bench.sh, with the same client commands.
#
#   bash bench/routing/run.sh [options] [extract ...]     (default: the 7 shared extracts)
#
# Options (each has an environment variable of the same meaning):
#   --peers-only          benchmark only the peers (LOCUS_SKIP=1): no cargo build, no import
#   --no-peers            benchmark only Locus (PEERS=none)
#   --peers LIST          peers to run, comma-separated (PEERS; default osrm-ch,osrm-mld,valhalla)
#   --out DIR             results folder (OUT; default $WORK/results-YYYYmmdd-HHMMSS)
#   --reuse-tiles         skip `locus import osm` when $WORK/X/routing exists (REUSE_TILES=1;
#                         the import figures are then those of the import that made them)
#   --rebuild-peers       rebuild the peers' data for each extract first (REBUILD_PEERS=1;
#                         by default an existing build in PEERS_DIR is used, a missing one is made)
#   -h, --help
# Environment:
#   LOCUS        the binary (default target/release/locus, built with
#                `cargo build --release -p locus-web` unless NO_BUILD=1 or LOCUS is set)
#   LOCUS_SERVE_ARGS  extra flags for `locus serve`
#   WORK         Locus data dirs, one per extract (default /tmp/locus-routing-bench)
#   PEERS_DIR    peer install + builds (default ../peers beside the repo, i.e. /work/peers);
#                installed and built with ../shared/bench/routing/peers.sh when missing
#   SHARED       the shared folder (default ../shared beside the repo)
#   SEQ_S, TPUT_S       wrk durations in s (default 10, 10); CONNS (16); WRK_THREADS (2)
#   SERVER_THREADS      peer server threads (default nproc)
#   PORT_LOCUS, PORT_CH, PORT_MLD, PORT_VAL   (default 15300..15303); a taken port is refused
#   READY_TIMEOUT       seconds to wait for a server to be ready (default 300)
#   SEQ_TIMEOUT         seconds allowed for one `bench.py seq` run (default 900)
#   IMPORT_TIMEOUT      seconds allowed for one `locus import osm` (default 3600)
#
# Per extract X: (a) `locus import osm DATA/X.osm.pbf --data-dir $WORK/X` under /usr/bin/time -v
# (wall, peak RSS) and `du -sb $WORK/X/routing`; (b) `locus serve --data-dir $WORK/X
# --addr 127.0.0.1:$PORT_LOCUS --services routing --no-demo`, wait for /health/ready = 200;
# (c) for Locus and each peer, alone: bench.py seq (2 passes, the 2nd reported), wrk -t1 -c1,
# wrk -t$WRK_THREADS -c$CONNS --latency (wrk_pairs.lua), server VmHWM, stop.
# Output in OUT: summary.jsonl (one line per extract and server), X/<server>.{seq.csv,seq.json,
# wrk1.txt,wrkN.txt,log}, meta.json, and results.md (bench/routing/summarize.py).
# A server that fails is reported in OUT/failures.txt and the run goes on; exit status 1 then.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ALL_EXTRACTS=(monaco andorra liechtenstein porto london munchen helsinki)

LOCUS_SKIP=${LOCUS_SKIP:-0}
PEERS=${PEERS:-osrm-ch,osrm-mld,valhalla}
REUSE_TILES=${REUSE_TILES:-0}
REBUILD_PEERS=${REBUILD_PEERS:-0}
OUT=${OUT:-}
EXTRACTS=()
die() { echo "run.sh: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --peers-only) LOCUS_SKIP=1; shift;;
    --no-peers) PEERS=none; shift;;
    --peers) PEERS=${2:?--peers LIST}; shift 2;;
    --out) OUT=${2:?--out DIR}; shift 2;;
    --reuse-tiles) REUSE_TILES=1; shift;;
    --rebuild-peers) REBUILD_PEERS=1; shift;;
    -h|--help) sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
    -*) die "unknown option: $1 (see --help)";;
    *) EXTRACTS+=("$1"); shift;;
  esac
done
[ ${#EXTRACTS[@]} -gt 0 ] || EXTRACTS=("${ALL_EXTRACTS[@]}")
read -r -a EXTRACTS <<<"$(printf '%s\n' "${EXTRACTS[@]}" | awk '!seen[$0]++' | tr '\n' ' ')"  # once each, in order
[ "$PEERS" = none ] && PEERS=""
IFS=, read -r -a PEER_LIST <<<"$PEERS"
for p in "${PEER_LIST[@]}"; do
  case $p in osrm-ch|osrm-mld|valhalla) ;; *) die "unknown peer: $p (osrm-ch, osrm-mld, valhalla)";; esac
done
[ "$LOCUS_SKIP" = 1 ] && [ ${#PEER_LIST[@]} -eq 0 ] && die "nothing to run: --peers-only with no peers"

SHARED=$(cd "${SHARED:-$REPO/../shared}" && pwd) || die "no shared folder (set SHARED)"
SB=$SHARED/bench/routing
DATA=${DATA:-$SHARED/data}
PEERS_SH=$SB/peers.sh
WORK=${WORK:-/tmp/locus-routing-bench}
PEERS_DIR=${PEERS_DIR:-$REPO/../peers}
SEQ_S=${SEQ_S:-10}; TPUT_S=${TPUT_S:-10}; CONNS=${CONNS:-16}; WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-$(nproc)}
PORT_LOCUS=${PORT_LOCUS:-15300}; PORT_CH=${PORT_CH:-15301}; PORT_MLD=${PORT_MLD:-15302}; PORT_VAL=${PORT_VAL:-15303}
READY_TIMEOUT=${READY_TIMEOUT:-300}; SEQ_TIMEOUT=${SEQ_TIMEOUT:-900}; IMPORT_TIMEOUT=${IMPORT_TIMEOUT:-3600}
LOCUS_SERVE_ARGS=${LOCUS_SERVE_ARGS:-}

for x in "${EXTRACTS[@]}"; do
  [ -f "$SB/od/$x.csv" ] || die "no OD pairs for '$x' ($SB/od/$x.csv)"
  [ -f "$DATA/$x.osm.pbf" ] || die "no extract $DATA/$x.osm.pbf"
done
for t in python3 curl wrk; do command -v $t >/dev/null || die "$t is missing${t:+ (apt-get install -y $t)}"; done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install -y time)"

# --- Locus binary -------------------------------------------------------------------------
if [ "$LOCUS_SKIP" != 1 ]; then
  if [ -z "${LOCUS:-}" ]; then
    case ${CARGO_TARGET_DIR:-target} in /*) LOCUS=$CARGO_TARGET_DIR/release/locus;; *) LOCUS=$REPO/${CARGO_TARGET_DIR:-target}/release/locus;; esac
    if [ "${NO_BUILD:-0}" != 1 ]; then
      echo "== cargo build --release -p locus-web"
      (cd "$REPO" && cargo build --release -q -p locus-web)
    fi
  fi
  [ -x "$LOCUS" ] || die "no Locus binary at $LOCUS"
  "$LOCUS" import osm --help >/dev/null 2>&1 || die "$LOCUS has no 'import osm' subcommand (yet?)"
  serve_help=$("$LOCUS" serve --help 2>&1 || true)
  case $serve_help in *--services*) ;; *) die "$LOCUS serve has no --services flag";; esac
fi

# --- Peers: install and build when missing ------------------------------------------------
if [ ${#PEER_LIST[@]} -gt 0 ]; then
  mkdir -p "$PEERS_DIR"; PEERS_DIR=$(cd "$PEERS_DIR" && pwd)
  "$PEERS_SH" install -d "$PEERS_DIR"
  for x in "${EXTRACTS[@]}"; do
    if [ "$REBUILD_PEERS" = 1 ] || [ ! -f "$PEERS_DIR/data/$x/sizes.tsv" ]; then
      "$PEERS_SH" build -d "$PEERS_DIR" -p "$DATA/$x.osm.pbf" -t "$SERVER_THREADS"
    fi
  done
fi

# --- Output folder ------------------------------------------------------------------------
[ -n "$OUT" ] || OUT=$WORK/results-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT" "$WORK"; OUT=$(cd "$OUT" && pwd); WORK=$(cd "$WORK" && pwd)
[ -s "$OUT/summary.jsonl" ] && die "$OUT/summary.jsonl exists; use a fresh --out"
: >"$OUT/failures.txt"; : >"$OUT/summary.jsonl"
RUNNING=$OUT/.running.pids; : >"$RUNNING"
python3 - "$OUT/meta.json" <<PY
import json, os, subprocess, sys, time
def sh(c):
    try: return subprocess.run(c, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception: return ""
json.dump({"date": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "host_nproc": os.cpu_count(),
           "loadavg": open("/proc/loadavg").read().split()[:3],
           "git_head": sh("git -C '$REPO' rev-parse --short HEAD"),
           "git_dirty": bool(sh("git -C '$REPO' status --porcelain --untracked-files=no")),
           "locus": None if "$LOCUS_SKIP" == "1" else "${LOCUS:-}",
           "locus_version": None if "$LOCUS_SKIP" == "1" else sh("'${LOCUS:-true}' --version"),
           "peers_dir": "$PEERS_DIR", "peers": "$PEERS".split(",") if "$PEERS" else [],
           "osrm": sh("'$PEERS_DIR/osrm/osrm/bin/osrm-routed' --version"),
           "wrk": sh("wrk -v 2>&1 | head -n1"),
           "seq_s": $SEQ_S, "tput_s": $TPUT_S, "conns": $CONNS, "wrk_threads": $WRK_THREADS,
           "server_threads": $SERVER_THREADS, "extracts": "${EXTRACTS[*]}".split()},
          open(sys.argv[1], "w"), indent=1)
PY

# Never leave a server behind, whatever way the script ends.
kill_pid() {  # kill_pid PID: TERM, wait up to 10 s, then KILL
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
UNIT_PID=""
cleanup_all() {
  local pid
  if [ -n "$UNIT_PID" ]; then  # a unit still running (we were interrupted): stop its clients first
    pkill -TERM -P "$UNIT_PID" 2>/dev/null || true
    kill -TERM "$UNIT_PID" 2>/dev/null || true
  fi
  while read -r pid; do [ -n "$pid" ] && kill_pid "$pid"; done <"$RUNNING" 2>/dev/null || true
  : >"$RUNNING" 2>/dev/null || true
  [ -z "$UNIT_PID" ] || wait "$UNIT_PID" 2>/dev/null || true
}
trap cleanup_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget() { sed -i "/^$1\$/d" "$RUNNING"; }  # a server stopped normally
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ready() {  # wait_ready URL PID NAME LOG: 200 from URL within READY_TIMEOUT s, PID alive
  local url=$1 pid=$2 name=$3 log=$4 t0=$SECONDS
  while [ $((SECONDS - t0)) -lt "$READY_TIMEOUT" ]; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2; echo "$name exited before it was ready (log: $log)" >&2; return 1; }
    [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" || true)" = 200 ] && return 0
    sleep 0.25
  done
  echo "$name not ready within ${READY_TIMEOUT}s (log: $log)" >&2; return 1
}

# measure SERVER KIND PORT PID X O: the client side, identical for every server
measure() {
  local server=$1 kind=$2 port=$3 pid=$4 x=$5 o=$6 od=$SB/od/$5.csv
  python3 "$SB/bench.py" paths "$kind" "$od" >"$o.paths"
  echo "   bench.py seq (2 passes)"
  timeout "$SEQ_TIMEOUT" python3 "$SB/bench.py" seq "$kind" "127.0.0.1:$port" "$od" "$o.seq.csv" --passes 2 >"$o.seq.json"
  echo "   $(tail -n1 "$o.seq.json")"
  echo "   wrk -t1 -c1 -d${SEQ_S}s"
  timeout $((SEQ_S + 120)) wrk -t1 -c1 -d"${SEQ_S}s" -s "$SB/wrk_pairs.lua" "http://127.0.0.1:$port" -- "$o.paths" >"$o.wrk1.txt"
  echo "   wrk -t$WRK_THREADS -c$CONNS -d${TPUT_S}s --latency"
  timeout $((TPUT_S + 120)) wrk -t"$WRK_THREADS" -c"$CONNS" -d"${TPUT_S}s" --latency -s "$SB/wrk_pairs.lua" \
    "http://127.0.0.1:$port" -- "$o.paths" >"$o.wrk$CONNS.txt"
  kill -0 "$pid" 2>/dev/null || { echo "$server died during the benchmark" >&2; return 1; }
  awk '/VmHWM/{print $2}' "/proc/$pid/status" >"$o.vmhwm"
}

# record X SERVER O EXTRA_JSON: one line into summary.jsonl
record() {
  python3 - "$1" "$2" "$3" "$CONNS" "$4" >>"$OUT/summary.jsonl" <<'PY'
import json, sys
x, server, o, conns, extra = sys.argv[1:6]
last = lambda p: json.loads([l for l in open(p) if l.startswith("{")][-1])
r = {"extract": x, "peer": server, "seq_py": last(o + ".seq.json"), "wrk_c1": last(o + ".wrk1.txt"),
     "wrk_c" + conns: last(o + ".wrk" + conns + ".txt"),
     "server_peak_rss_kib": int(open(o + ".vmhwm").read().split()[0])}
r.update(json.loads(extra))
print(json.dumps(r))
PY
}

time_fields() {  # time_fields FILE -> "wall_s peak_rss_kib" from /usr/bin/time -v output
  awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; w=s}
              /Maximum resident set size/{r=$2} END{print w, r}' "$1"
}

# --- Locus: import, serve, measure (runs in a subshell with its own cleanup) ---------------
bench_locus() {
  # runs in a subshell (run_unit): SRV_PID is global there so the EXIT trap sees it
  local x=$1 o=$OUT/$1/locus d=$WORK/$1
  SRV_PID=""
  trap '[ -z "$SRV_PID" ] || kill_pid "$SRV_PID"' EXIT
  trap 'exit 130' INT; trap 'exit 143' TERM
  port_taken "$PORT_LOCUS" && { echo "port $PORT_LOCUS is already in use" >&2; return 1; }
  if [ "$REUSE_TILES" = 1 ] && [ -d "$d/routing" ] && [ -f "$WORK/$x.import.time" ]; then
    echo "   reusing the tiles in $d/routing"
  else
    rm -rf "$d"; mkdir -p "$d"
    echo "   locus import osm $x.osm.pbf --data-dir $d"
    if ! timeout "$IMPORT_TIMEOUT" /usr/bin/time -v -o "$WORK/$x.import.time" \
        "$LOCUS" import osm "$DATA/$x.osm.pbf" --data-dir "$d" >"$WORK/$x.import.log" 2>&1; then
      tail -n 20 "$WORK/$x.import.log" >&2; echo "import of $x failed" >&2; return 1
    fi
  fi
  cp "$WORK/$x.import.time" "$o.import.time"; cp "$WORK/$x.import.log" "$o.import.log" 2>/dev/null || true
  local wall rss bytes=null
  read -r wall rss < <(time_fields "$o.import.time")
  if [ -d "$d/routing" ]; then bytes=$(du -sb "$d/routing" | cut -f1); else echo "   warning: no $d/routing" >&2; fi
  echo "   import: ${wall}s, peak RSS ${rss} KiB, tiles ${bytes} bytes"

  local t0; t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$LOCUS" serve --data-dir "$d" --addr "127.0.0.1:$PORT_LOCUS" --services routing --no-demo $LOCUS_SERVE_ARGS \
    >"$o.log" 2>&1 &
  SRV_PID=$!; echo "$SRV_PID" >>"$RUNNING"
  local pid=$SRV_PID
  wait_ready "http://127.0.0.1:$PORT_LOCUS/health/ready" "$pid" "locus serve" "$o.log"
  local ready_s rss_ready
  ready_s=$(python3 -c "import time; print(round(time.time() - $t0, 3))")
  rss_ready=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  echo "   locus serve ready after ${ready_s}s (pid $pid, RSS ${rss_ready} KiB)"
  measure locus osrm "$PORT_LOCUS" "$pid" "$x" "$o"
  kill_pid "$pid"; SRV_PID=""; forget "$pid"
  record "$x" locus "$o" "{\"build\": {\"steps\": \"import osm\", \"wall_s\": $wall, \"peak_rss_kib\": $rss, \"bytes\": $bytes},
    \"ready_s\": $ready_s, \"rss_at_ready_kib\": $rss_ready}"
}

# --- A peer: peers.sh start, measure, stop only this server -------------------------------
bench_peer() {
  # runs in a subshell (run_unit): SRV_PID and SRV_PF are global there so the EXIT trap sees them
  local x=$1 peer=$2 o=$OUT/$1/$2 kind port flag pid
  SRV_PID=""
  case $peer in
    osrm-ch) kind=osrm; port=$PORT_CH; flag=--ch;;
    osrm-mld) kind=osrm; port=$PORT_MLD; flag=--mld;;
    valhalla) kind=valhalla; port=$PORT_VAL; flag=--valhalla;;
  esac
  SRV_PF=$PEERS_DIR/run/$peer-$port.pid
  local pf=$SRV_PF
  # (interrupted inside `peers.sh start`: the server may be up with only its pid file known)
  trap '[ -n "$SRV_PID" ] || [ ! -f "$SRV_PF" ] || SRV_PID=$(cat "$SRV_PF"); [ -z "$SRV_PID" ] || kill_pid "$SRV_PID"; rm -f "$SRV_PF"' EXIT
  trap 'exit 130' INT; trap 'exit 143' TERM
  port_taken "$port" && { echo "port $port is already in use" >&2; return 1; }
  # peers.sh waits up to 60 s for the server to answer; it dies if the server exits
  timeout $((READY_TIMEOUT + 30)) "$PEERS_SH" start -d "$PEERS_DIR" -p "$DATA/$x.osm.pbf" "$flag" "$port" \
    -t "$SERVER_THREADS" >"$o.start.log" 2>&1 || { [ -f "$pf" ] && SRV_PID=$(cat "$pf"); cat "$o.start.log" >&2; return 1; }
  SRV_PID=$(cat "$pf"); pid=$SRV_PID; echo "$pid" >>"$RUNNING"
  echo "   $peer ready (pid $pid)"
  cp "$PEERS_DIR/run/$peer-$port.log" "$o.log" 2>/dev/null || true
  measure "$peer" "$kind" "$port" "$pid" "$x" "$o"
  kill_pid "$pid"; SRV_PID=""; rm -f "$pf"; forget "$pid"
  local build
  build=$(python3 - "$PEERS_DIR/data/$x" "$peer" <<'PY'
import csv, json, sys
d, peer = sys.argv[1:3]
steps = {"osrm-ch": ["osrm-ch-extract", "osrm-ch-contract"],
         "osrm-mld": ["osrm-mld-extract", "osrm-mld-partition", "osrm-mld-customize"],
         "valhalla": ["valhalla-build-tiles"]}[peer]
b = {r["step"]: r for r in csv.DictReader(open(f"{d}/build.tsv"), delimiter="\t")}
s = {r["peer"]: r for r in csv.DictReader(open(f"{d}/sizes.tsv"), delimiter="\t")}
print(json.dumps({"build": {"steps": "+".join(k.split("-")[-1] for k in steps),
                            "wall_s": round(sum(float(b[k]["wall_s"]) for k in steps), 3),
                            "peak_rss_kib": max(int(b[k]["peak_rss_kib"]) for k in steps),
                            "bytes": int(s[peer]["bytes"])}}))
PY
)
  record "$x" "$peer" "$o" "$build"
}

run_unit() {  # run_unit LABEL ERRFILE FUNCTION ARGS...: a failure is recorded, the run goes on
  local label=$1 errf=$2; shift 2
  # in the background so that the traps of this shell run at once on INT/TERM (wait is interruptible)
  ( set -e; "$@" ) 2>"$errf" &
  UNIT_PID=$!
  set +e
  wait "$UNIT_PID"
  local rc=$?
  set -e
  UNIT_PID=""
  cat "$errf" >&2; [ -s "$errf" ] || rm -f "$errf"
  if [ $rc -ne 0 ]; then
    echo "!! $label failed (exit $rc)" >&2
    echo "$label: exit $rc: $(tail -n1 "$errf" 2>/dev/null)" >>"$OUT/failures.txt"
    [ $rc -ge 128 ] && exit $rc   # interrupted
  fi
  sleep 1
}

echo "== results in $OUT"
for x in "${EXTRACTS[@]}"; do
  mkdir -p "$OUT/$x"
  if [ "$LOCUS_SKIP" != 1 ]; then echo "== $x: locus"; run_unit "$x locus" "$OUT/$x/locus.err" bench_locus "$x"; fi
  for p in "${PEER_LIST[@]}"; do echo "== $x: $p"; run_unit "$x $p" "$OUT/$x/$p.err" bench_peer "$x" "$p"; done
done
rm -f "$RUNNING"; trap - EXIT

python3 "$HERE/summarize.py" "$OUT" --shared "$SB" --md "$OUT/results.md" || echo "run.sh: summarize.py failed" >&2
echo "== wrote $OUT/summary.jsonl and $OUT/results.md"
if [ -s "$OUT/failures.txt" ]; then echo "== failures:" >&2; cat "$OUT/failures.txt" >&2; exit 1; fi
