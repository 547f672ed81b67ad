#!/usr/bin/env bash
# One-core load test of the gateway over one REST (openapi) subgraph
# (docs/benchmarks.md, "REST (OpenAPI) subgraph"): every GraphQL request is
# answered by one GET to the example shipping service, which answers from memory.
# usage: loadtest-rest.sh NAME DISTINCT(0|1) [PROFILE_SECONDS]
# Binaries: $BENCH_DIR/benchstack and $BENCH_DIR/loadgen (default /tmp/bench).
set -euo pipefail
name=$1 distinct=$2 prof=${3:-0}
B=${BENCH_DIR:-/tmp/bench}; out=$B/$name; mkdir -p "$out"
QUERY='{ getShipment(upc: "3") { carrier etaDays serviceLevel } }'
fwd=""; uniq=""
[ "$distinct" = 1 ] && fwd="-forward-header X-Bench-Request" && uniq="-unique-header X-Bench-Request"

taskset -c 1 "$B/benchstack" -rest -subgraphs-only -subgraph-port 4005 -gomaxprocs 1 >"$out/rest.out" 2>&1 &
SUB=$!
trap 'kill -TERM $SUB 2>/dev/null || true; [ -n "${GW:-}" ] && kill -TERM $GW 2>/dev/null || true' EXIT
for i in $(seq 50); do grep -q "subgraph-urls" "$out/rest.out" && break; sleep 0.1; done
env ${GW_ENV:-} taskset -c 0 "$B/benchstack" -rest -gateway-only -gomaxprocs 1 -listen 127.0.0.1:4000 \
  -pprof 127.0.0.1:6060 -subgraph-urls shipping=http://127.0.0.1:4005/v1 $fwd >"$out/gateway.out" 2>&1 &
GW=$!
for i in $(seq 50); do grep -q "gateway: http" "$out/gateway.out" && break; sleep 0.2; done
echo "loadavg before: $(cat /proc/loadavg)" >"$out/env"
cpu0=$(awk '{print $14+$15}' /proc/$GW/stat)
if [ "$prof" != 0 ]; then
  (sleep 3; curl -s -o "$out/gateway.cpu" "http://127.0.0.1:6060/debug/pprof/profile?seconds=$prof") &
  PROF=$!
fi
start=$(date +%s.%N)
/usr/bin/time -f "loadgen CPU: user %Us system %Ss, max RSS %MkB" -o "$out/loadgen.time" \
  taskset -c 1 "$B/loadgen" -url http://127.0.0.1:4000/graphql -query "$QUERY" -c 50 -d 10s -warmup 2s $uniq >"$out/loadgen.out" 2>&1 || true
end=$(date +%s.%N)
[ "$prof" != 0 ] && wait $PROF
cpu1=$(awk '{print $14+$15}' /proc/$GW/stat)
grep -E 'VmHWM|VmRSS' /proc/$GW/status >"$out/gateway.status"
reqs=$(sed -nE 's/^requests: +([0-9]+) in .*\(and ([0-9]+) during.*/\1+\2/p' "$out/loadgen.out" | bc)
echo "gateway CPU per request: $(echo "($cpu1-$cpu0)*10000/$reqs" | bc -l | cut -c1-6) µs ($reqs requests incl. warm-up)" >>"$out/gateway.status"
echo "gateway CPU: $(echo "($cpu1-$cpu0)/100" | bc -l | cut -c1-6)s over $(echo "$end-$start" | bc -l | cut -c1-6)s wall" >>"$out/gateway.status"
echo "loadavg after: $(cat /proc/loadavg)" >>"$out/env"
kill -TERM $GW; wait $GW || true
kill -TERM $SUB; wait $SUB || true
trap - EXIT
echo "== $name"; cat "$out/env" "$out/loadgen.out" "$out/loadgen.time" "$out/gateway.status"; tail -2 "$out/rest.out"; tail -1 "$out/gateway.out"
