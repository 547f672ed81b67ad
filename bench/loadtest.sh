#!/usr/bin/env bash
# One-core load test of the gateway (docs/benchmarks.md, "Load test"); make bench-load runs it.
# usage: loadtest.sh NAME MEMOIZE(0|1) DISTINCT(0|1) [PROFILE_SECONDS]
set -euo pipefail
name=$1 memo=$2 distinct=$3 prof=${4:-0}
B=${BENCH_DIR:-/tmp/bench}; out=$B/$name; mkdir -p $out
memoflag=""; [ "$memo" = 1 ] && memoflag="-memoize-subgraphs"
fwd=""; uniq=""
[ "$distinct" = 1 ] && fwd="-forward-header X-Bench-Request" && uniq="-unique-header X-Bench-Request"
URLS=accounts=http://127.0.0.1:4001/graphql,products=http://127.0.0.1:4002/graphql,inventory=http://127.0.0.1:4003/graphql,reviews=http://127.0.0.1:4004/graphql

taskset -c 1 $B/benchstack -subgraphs-only -subgraph-port 4001 -gomaxprocs 1 $memoflag >$out/subgraphs.out 2>&1 &
SUB=$!
sleep 1
env ${GW_ENV:-} taskset -c 0 $B/benchstack -gateway-only -gomaxprocs 1 -listen 127.0.0.1:4000 -pprof 127.0.0.1:6060 -subgraph-urls $URLS $fwd >$out/gateway.out 2>&1 &
GW=$!
for i in $(seq 50); do grep -q "gateway: http" $out/gateway.out && break; sleep 0.2; done
echo "loadavg before: $(cat /proc/loadavg)" >$out/env
cpu0=$(awk '{print $14+$15}' /proc/$GW/stat)
if [ "$prof" != 0 ]; then
  (sleep 3; curl -s -o $out/gateway.cpu "http://127.0.0.1:6060/debug/pprof/profile?seconds=$prof") &
  PROF=$!
fi
start=$(date +%s.%N)
/usr/bin/time -f "loadgen CPU: user %Us system %Ss, max RSS %MkB" -a -o $out/loadgen.time taskset -c 1 $B/loadgen -url http://127.0.0.1:4000/graphql -c 50 -d 10s -warmup 2s $uniq >$out/loadgen.out 2>&1 || true
end=$(date +%s.%N)
[ "$prof" != 0 ] && wait $PROF
cpu1=$(awk '{print $14+$15}' /proc/$GW/stat)
grep -E 'VmHWM|VmRSS' /proc/$GW/status >$out/gateway.status
reqs=$(sed -nE 's/^requests: +([0-9]+) in .*\(and ([0-9]+) during.*/\1+\2/p' $out/loadgen.out | bc)
echo "gateway CPU per request: $(echo "($cpu1-$cpu0)*10000/$reqs" | bc -l | cut -c1-6) µs ($reqs requests incl. warm-up)" >>$out/gateway.status
echo "loadavg after: $(cat /proc/loadavg)" >>$out/env
echo "gateway CPU: $(echo "($cpu1-$cpu0)/100" | bc -l | cut -c1-6)s over $(echo "$end-$start" | bc -l | cut -c1-6)s wall" >>$out/gateway.status
kill -TERM $GW; wait $GW || true
kill -TERM $SUB; wait $SUB || true
echo "== $name"; cat $out/env $out/loadgen.out $out/loadgen.time $out/gateway.status; tail -5 $out/subgraphs.out; tail -1 $out/gateway.out
