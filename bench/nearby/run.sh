#!/usr/bin/env bash
# bench/nearby/run.sh - the nearby-friends WebSocket service under load (issue 5).
#
#   bash bench/nearby/run.sh [embedded|redis|two] CONNECTIONS FRIENDS INTERVAL_S DURATION_S
#
# embedded: one `locus serve --services nearby` on SQLite with in-process cache and pub/sub;
# redis:    one server on MariaDB + Redis;  two: two servers sharing MariaDB + Redis, clients
# dealt to both. The load generator (`locus bench nearby`) seeds users and friendships into the
# server's database, connects, and reports delivery latency, deliveries/s, server RSS and CPU.
# Environment: LOCUS (binary; default: cargo build --release), MYSQL (default
# mysql://root@127.0.0.1:3306), REDIS (default redis://127.0.0.1:6379), PORT (default 15400).
set -euo pipefail
MODE=${1:-embedded}; CONNS=${2:-1000}; FRIENDS=${3:-40}; INTERVAL=${4:-30}; DURATION=${5:-60}
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(cd "$HERE/../.." && pwd)
LOCUS=${LOCUS:-}
if [ -z "$LOCUS" ]; then
  (cd "$REPO" && cargo build --release -p locus-web >&2)
  LOCUS="${CARGO_TARGET_DIR:-$REPO/target}/release/locus"
fi
MYSQL=${MYSQL:-mysql://root@127.0.0.1:3306}; REDIS=${REDIS:-redis://127.0.0.1:6379}; PORT=${PORT:-15400}
ulimit -n "$(ulimit -Hn)"  # one file descriptor per connection, in the server and the generator
WORK=$(mktemp -d /tmp/locus-nearby-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
case "$MODE" in
  embedded) DB="sqlite://$WORK/locus.db?mode=rwc"; SERVE_ARGS=(--data-dir "$WORK"); N=1;;
  redis|two)
    NAME=locus_bench_$RANDOM$RANDOM
    mariadb -h127.0.0.1 -uroot -e "CREATE DATABASE $NAME" 2>/dev/null || mysql -h127.0.0.1 -uroot -e "CREATE DATABASE $NAME"
    DB="$MYSQL/$NAME"; SERVE_ARGS=(--data-dir "$WORK" --mysql-url "$DB" --redis-url "$REDIS" --redis-namespace "$NAME:")
    N=$([ "$MODE" = two ] && echo 2 || echo 1);;
  *) echo "mode: embedded, redis or two" >&2; exit 2;;
esac
SERVERS=(); PIDLIST=()
for i in $(seq 1 "$N"); do
  P=$((PORT + i - 1))
  "$LOCUS" serve --services nearby --no-demo --addr "127.0.0.1:$P" "${SERVE_ARGS[@]}" >"$WORK/server$i.log" 2>&1 &
  PIDS+=($!); PIDLIST+=($!); SERVERS+=("127.0.0.1:$P")
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$P/health/live" >/dev/null && break; sleep 0.1; done
done
echo "== $MODE: $CONNS connections, $FRIENDS friends each, an update every $INTERVAL s, $DURATION s measured; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$LOCUS" bench nearby --server "$(IFS=,; echo "${SERVERS[*]}")" --server-pid "$(IFS=,; echo "${PIDLIST[*]}")" \
  --db-url "$DB" --connections "$CONNS" --friends "$FRIENDS" --interval-s "$INTERVAL" --duration-s "$DURATION"
