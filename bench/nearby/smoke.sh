#!/usr/bin/env bash
# bench/nearby/smoke.sh LOCUS_BINARY: the README's commands against an embedded `locus serve` in a
# fresh data dir, then 200 nearby-friends WebSocket clients (`locus bench nearby`), then SIGTERM.
set -euo pipefail
LOCUS=$1; D=$(mktemp -d); PORT=18080
"$LOCUS" serve --data-dir "$D" --addr 127.0.0.1:$PORT > "$D/log" 2>&1 & PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 300); do curl -sf localhost:$PORT/health/ready >/dev/null && break; sleep 0.1; done
curl -s -o /dev/null -w "ready %{http_code}\n" localhost:$PORT/health/ready
A=$(curl -s -X POST localhost:$PORT/v1/users -H 'content-type: application/json' -d '{"name":"ana"}')
B=$(curl -s -X POST localhost:$PORT/v1/users -H 'content-type: application/json' -d '{"name":"ben"}')
TA=$(echo "$A" | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])'); TB=$(echo "$B" | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
BID=$(echo "$B" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
R=$(curl -s -X POST localhost:$PORT/v1/friends/requests -H "authorization: Bearer $TA" -H 'content-type: application/json' -d "{\"user_id\": $BID}"); echo "request: $R"
RID=$(echo "$R" | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
echo "accept: $(curl -s -X POST localhost:$PORT/v1/friends/requests/$RID/accept -H "authorization: Bearer $TB")"
echo "friends: $(curl -s localhost:$PORT/v1/friends -H "authorization: Bearer $TA")"
echo "settings: $(curl -s -X PUT localhost:$PORT/v1/nearby/settings -H "authorization: Bearer $TA" -H 'content-type: application/json' -d '{"radius_m": 3000}')"
echo "tile url: $(curl -s 'localhost:'$PORT'/v1/tiles/url?lat=43.7384&lng=7.4246&zoom=14&radius_tiles=0')"
echo "nav: $(curl -s 'localhost:'$PORT'/v1/nav?origin=37.62,-122.48&destination=37.66,-122.40' | head -c 160)"
echo "search: $(curl -s 'localhost:'$PORT'/v1/search/nearby?latitude=37.7749&longitude=-122.4194&radius=1000' | head -c 120)"
# The WebSocket through the real interface: the load generator, 200 clients against this server.
"$LOCUS" bench nearby --server 127.0.0.1:$PORT --server-pid $PID --db-url "sqlite://$D/locus.db?mode=rwc" --connections 200 --friends 10 --interval-s 1 --duration-s 10
kill -TERM $PID; wait $PID; echo "serve exited $?"
