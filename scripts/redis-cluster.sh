#!/usr/bin/env bash
# A three-master Redis Cluster on 127.0.0.1 for the sharded pub/sub tests (no replicas, no
# persistence), with its files in ${TMPDIR:-/tmp}/locus-redis-cluster.
#
#   scripts/redis-cluster.sh start [BASE_PORT]   # ports BASE_PORT..BASE_PORT+2, default 7101
#   scripts/redis-cluster.sh stop [BASE_PORT]
#
# `start` is idempotent: a cluster that is already up and healthy is left alone; one that is
# half up (a node died, an interrupted start) is stopped and created afresh. Needs Redis 7
# (sharded pub/sub): the Debian package redis-server (redis-server and redis-cli).
set -euo pipefail

action=${1:-}
base=${2:-7101}
ports=("$base" "$((base + 1))" "$((base + 2))")
dir="${TMPDIR:-/tmp}/locus-redis-cluster"

cli() { redis-cli -h 127.0.0.1 -p "$@"; }
is_up() { cli "$1" ping 2>/dev/null | grep -q PONG; }
cluster_ok() { cli "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }
all_ok() {
  local p
  for p in "${ports[@]}"; do cluster_ok "$p" || return 1; done
}
# A node of ours: a cluster node that works in our directory (never touch another Redis).
ours() { [ "$(cli "$1" config get dir 2>/dev/null | sed -n 2p)" = "$dir" ]; }

wait_for() { # wait_for <what> <command...>
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "error: $what" >&2; return 1
}

stop() {
  local p
  for p in "${ports[@]}"; do
    if is_up "$p"; then
      if ! ours "$p"; then echo "error: port $p is a Redis that is not ours; leaving it alone" >&2; exit 1; fi
      cli "$p" shutdown nosave >/dev/null 2>&1 || true
      wait_for "redis on port $p did not stop" bash -c "! redis-cli -h 127.0.0.1 -p $p ping"
    fi
    rm -f "$dir/nodes-$p.conf"
  done
}

start() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    echo "error: redis-server and redis-cli are needed (apt-get install redis-server)" >&2; exit 1
  fi
  local version
  version=$(redis-server --version | sed -n 's/.* v=\([0-9]*\)\..*/\1/p')
  if [ "${version:-0}" -lt 7 ]; then
    echo "error: sharded pub/sub needs Redis 7 or later; found $(redis-server --version)" >&2; exit 1
  fi
  if all_ok; then echo "redis cluster is up on ports ${ports[*]}"; return; fi

  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  stop # whatever is half up
  local p
  for p in "${ports[@]}"; do
    redis-server --cluster-enabled yes --port "$p" --bind 127.0.0.1 --cluster-config-file "nodes-$p.conf" \
      --appendonly no --save '' --daemonize yes --dir "$dir" --logfile "redis-$p.log" --pidfile "$dir/redis-$p.pid"
  done
  for p in "${ports[@]}"; do wait_for "redis on port $p did not come up (see $dir/redis-$p.log)" is_up "$p"; done
  local nodes=()
  for p in "${ports[@]}"; do nodes+=("127.0.0.1:$p"); done
  if ! redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1; then
    cat "$dir/create.log" >&2; echo "error: redis-cli --cluster create failed" >&2; exit 1
  fi
  wait_for "the redis cluster on ports ${ports[*]} did not reach cluster_state:ok" all_ok
  echo "redis cluster is up on ports ${ports[*]}"
}

case "$action" in
  start) start ;;
  stop) mkdir -p "$dir"; dir=$(cd "$dir" && pwd -P); stop; echo "redis cluster on ports ${ports[*]} stopped" ;;
  *) echo "usage: $0 start|stop [BASE_PORT]" >&2; exit 2 ;;
esac
