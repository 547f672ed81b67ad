#!/usr/bin/env bash
# Side-by-side load test of Tributary and Cosmo Router on one core
# (docs/benchmarks.md, "Side by side with Cosmo Router"). Both gateways serve
# the four example federation subgraphs (answering from memory, on core 1)
# and the same five-level query; the load generator runs on core 1 too.
#
#   COSMO_ROUTER=/path/to/router WGC=/path/to/wgc bash bench/compare.sh
#
# COSMO_ROUTER is a Cosmo Router binary built from its public source (the
# docs say how); WGC is the `wgc` CLI (npm package wgc), used to compose the
# router's execution config from the subgraphs' SDL. Nothing of Cosmo's is
# kept in this repository.
#
# Settings (environment): RUNS (3) runs of each gateway per traffic kind,
# alternating; DURATION (10s) measured per run after a 2 s warm-up;
# FAULT_REQUESTS (2000) for the fault run; INSTR_REQUESTS (500) for the
# instruction count under valgrind (0 skips it); BENCH_DIR (/tmp/compare);
# PARTS (load,faults,instr) the parts to run.
# Prints one table; every run's raw output stays under BENCH_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${COSMO_ROUTER:?set COSMO_ROUTER to a Cosmo Router binary (see docs/benchmarks.md)}"
: "${WGC:?set WGC to the wgc CLI (npm install wgc), used to compose the Cosmo config}"
RUNS=${RUNS:-3} DURATION=${DURATION:-10s} FAULT_REQUESTS=${FAULT_REQUESTS:-2000} INSTR_REQUESTS=${INSTR_REQUESTS:-500}
B=${BENCH_DIR:-/tmp/compare}
FAULTS="503=0.05,cut=0.03,delay=30ms"
QUERY='query Perf { topProducts(first: 5) { upc name price inStock shippingEstimate reviews { body author { id username name reviews { body product { upc name price } } } } } }'
NAMES=(accounts products inventory reviews)
GW=127.0.0.1:4000
rm -rf "$B" && mkdir -p "$B"
go build -o "$B/benchstack" ./cmd/benchstack
go build -o "$B/loadgen" ./cmd/loadgen

url_of() { echo "http://127.0.0.1:$((4001 + $1))/graphql"; }
URLS=$(for i in 0 1 2 3; do printf '%s=%s,' "${NAMES[$i]}" "$(url_of $i)"; done); URLS=${URLS%,}

# Cosmo's execution config, composed from the SDL the subgraphs serve.
compose_cosmo() {
	local dir=$B/cosmo
	mkdir -p "$dir"
	"$B/benchstack" -subgraphs-only -subgraph-port 4001 >"$dir/subgraphs.out" 2>&1 &
	local sub=$!
	sleep 1
	echo "version: 1" >"$dir/graph.yaml"
	echo "subgraphs:" >>"$dir/graph.yaml"
	for i in 0 1 2 3; do
		curl -sf -H 'Content-Type: application/json' -d '{"query":"{ _service { sdl } }"}' "$(url_of $i)" |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["_service"]["sdl"])' >"$dir/${NAMES[$i]}.graphql"
		printf '  - name: %s\n    routing_url: %s\n    schema:\n      file: ./%s.graphql\n' "${NAMES[$i]}" "$(url_of $i)" "${NAMES[$i]}" >>"$dir/graph.yaml"
	done
	kill "$sub"; wait "$sub" || true
	(cd "$dir" && "$WGC" router compose -i graph.yaml -o execution.json >compose.out 2>&1) ||
		{ cat "$dir/compose.out"; exit 1; }
}

# cosmo_yaml DISTINCT: the router's config; with DISTINCT it forwards the
# benchmark's unique header to every subgraph, as Tributary does.
cosmo_yaml() {
	cat <<EOF
version: "1"
listen_addr: "$GW"
log_level: error
json_log: true
dev_mode: false
graphql_metrics: {enabled: false}
telemetry:
  tracing: {enabled: false}
  metrics: {otlp: {enabled: false}, prometheus: {enabled: false}}
execution_config:
  file: {path: "$B/cosmo/execution.json"}
EOF
	if [ "$1" = 1 ]; then
		printf 'headers:\n  all:\n    request:\n      - op: propagate\n        named: X-Bench-Request\n'
	fi
}

# start_gateway NAME DISTINCT [WRAPPER...]: starts a gateway on core 0 with
# GOMAXPROCS=1 and waits until it answers the query; sets GWPID.
start_gateway() {
	local name=$1 distinct=$2 out=$B/$RUN_ID.$1
	shift 2
	if [ "$name" = tributary ]; then
		local fwd=""
		[ "$distinct" = 1 ] && fwd="-forward-header X-Bench-Request"
		taskset -c 0 "$@" "${BENCHSTACK:-$B/benchstack}" -gateway-only -gomaxprocs 1 -listen $GW -subgraph-urls "$URLS" $fwd >"$out.gateway" 2>&1 &
	else
		cosmo_yaml "$distinct" >"$out.config.yaml"
		CONFIG_PATH=$out.config.yaml GOMAXPROCS=1 taskset -c 0 "$@" "$COSMO_ROUTER" >"$out.gateway" 2>&1 &
	fi
	GWPID=$!
	for _ in $(seq 3000); do
		curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}' "http://$GW/graphql" && return 0
		kill -0 "$GWPID" 2>/dev/null || break
		sleep 0.1
	done
	echo "$name did not start; see $out.gateway" >&2
	exit 1
}

stop_gateway() { kill -INT "$GWPID" 2>/dev/null || true; wait "$GWPID" 2>/dev/null || true; }

cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

# measure NAME DISTINCT LOADGEN_ARGS...: one run; appends a JSON line to
# $B/results.jsonl.
measure() {
	local name=$1 distinct=$2
	shift 2
	local uniq=()
	[ "$distinct" = 1 ] && uniq=(-unique-header X-Bench-Request)
	start_gateway "$name" "$distinct"
	local t0 && t0=$(cpu_ticks "$GWPID")
	taskset -c 1 "$B/loadgen" -url "http://$GW/graphql" -query "$QUERY" -variables '' -json "${uniq[@]}" "$@" >"$B/$RUN_ID.$name.json" || true
	local t1 && t1=$(cpu_ticks "$GWPID")
	local hwm && hwm=$(awk '/VmHWM/ {print $2}' "/proc/$GWPID/status")
	stop_gateway
	python3 - "$B/$RUN_ID.$name.json" "$name" "$RUN_ID" "$hwm" "$((t1 - t0))" >>"$B/results.jsonl" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r.update(gateway=sys.argv[2], run=sys.argv[3], rssKB=int(sys.argv[4]), cpuTicks=int(sys.argv[5]))
print(json.dumps(r))
PY
}

# subgraphs [FAULTS]: (re)starts the subgraphs on core 1.
SUBPID=""
subgraphs() {
	[ -n "$SUBPID" ] && { kill "$SUBPID"; wait "$SUBPID" || true; }
	local faults=()
	[ -n "${1:-}" ] && faults=(-faults "$1")
	taskset -c 1 "$B/benchstack" -subgraphs-only -subgraph-port 4001 -gomaxprocs 1 -memoize-subgraphs "${faults[@]}" >"$B/subgraphs.$RUN_ID.out" 2>&1 &
	SUBPID=$!
	sleep 1
}
trap '[ -n "$SUBPID" ] && kill $SUBPID 2>/dev/null; [ -n "${GWPID:-}" ] && kill $GWPID 2>/dev/null; true' EXIT

compose_cosmo
part() { case ",${PARTS:-load,faults,instr}," in *",$1,"*) return 0 ;; esac; return 1; }
part load && for kind in identical distinct; do
	distinct=0
	[ "$kind" = distinct ] && distinct=1
	RUN_ID=$kind subgraphs
	for run in $(seq "$RUNS"); do
		for gw in tributary cosmo; do
			RUN_ID=$kind-$run measure $gw $distinct -c 50 -d "$DURATION" -warmup 2s
		done
	done
done

# Faults: distinct traffic, so that no two requests share a failed fetch.
part faults && RUN_ID=faults subgraphs "$FAULTS"
part faults && for gw in tributary cosmo; do
	RUN_ID=faults measure $gw 1 -c 50 -d 5m -warmup 0s -max-requests "$FAULT_REQUESTS"
	RUN_ID=faults subgraphs "$FAULTS" # the same fault sequence for both
done

# Instructions per request: two serial runs of N and 2N requests under
# cachegrind; the difference cancels start-up and shutdown. valgrind 3.19
# cannot run RDTSCP, which Go's runtime.cputicks uses, so both gateways run
# as built by VALGRIND_GOROOT, a copy of GOROOT whose cputicks takes its
# RDTSC path (docs/benchmarks.md says how to make it), and Cosmo as
# COSMO_ROUTER_VG, built with it.
if part instr && [ "$INSTR_REQUESTS" -gt 0 ] && [ -n "${VALGRIND_GOROOT:-}" ] && command -v valgrind >/dev/null; then
	: "${COSMO_ROUTER_VG:?set COSMO_ROUTER_VG to a Cosmo Router built with VALGRIND_GOROOT}"
	GOROOT=$VALGRIND_GOROOT "$VALGRIND_GOROOT/bin/go" build -o "$B/benchstack-vg" ./cmd/benchstack
	RUN_ID=instr subgraphs
	for gw in tributary cosmo; do
		for n in "$INSTR_REQUESTS" $((2 * INSTR_REQUESTS)); do
			RUN_ID=instr-$n BENCHSTACK=$B/benchstack-vg COSMO_ROUTER=$COSMO_ROUTER_VG GODEBUG=asyncpreemptoff=1 \
				start_gateway $gw 1 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null
			taskset -c 1 "$B/loadgen" -url "http://$GW/graphql" -query "$QUERY" -variables '' -unique-header X-Bench-Request \
				-c 1 -d 10m -warmup 0s -max-requests "$n" >"$B/instr.$gw.$n.out" || true
			stop_gateway
			total=$(sed -nE 's/.*I +refs: +([0-9,]+).*/\1/p' "$B/instr-$n.$gw.gateway" | tr -d ,)
			echo "{\"gateway\":\"$gw\",\"run\":\"instr\",\"requests\":$n,\"instructions\":${total:-0}}" >>"$B/results.jsonl"
		done
	done
else
	echo "instructions per request: skipped (set VALGRIND_GOROOT and COSMO_ROUTER_VG, see docs/benchmarks.md)" >&2
fi

python3 - "$B/results.jsonl" "$RUNS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def pick(run, gw): return [r for r in rows if r["run"].startswith(run) and r["gateway"] == gw]
def med(xs): return statistics.median(xs) if xs else float("nan")
out = {}
for gw in ("tributary", "cosmo"):
    o = out[gw] = {}
    for kind in ("identical", "distinct"):
        rs = pick(kind + "-", gw)
        o[kind + " req/s"] = med([r["requestsPerSecond"] for r in rs])
        o[kind + " p99 ms"] = med([r["p99Ns"] / 1e6 for r in rs])
        o[kind + " CPU µs/req"] = med([r["cpuTicks"] * 1e4 / (r["requests"] + r["warmupRequests"]) for r in rs])
        o[kind + " failed"] = sum(r["transportErrors"] + r["non200"] + r["graphqlErrors"] for r in rs)
    o["peak RSS MB"] = max([r["rssKB"] for r in pick("identical-", gw) + pick("distinct-", gw)], default=0) / 1024
    f = pick("faults", gw)
    if f:
        f = f[0]; bad = f["transportErrors"] + f["non200"] + f["graphqlErrors"]
        o["complete under faults %"] = 100 * (f["requests"] - bad) / f["requests"]
    ins = sorted(pick("instr", gw), key=lambda r: r["requests"])
    if len(ins) == 2:
        o["instructions/req"] = (ins[1]["instructions"] - ins[0]["instructions"]) / (ins[1]["requests"] - ins[0]["requests"])
print("| figure | Tributary | Cosmo Router | Tributary / Cosmo |")
print("| --- | --- | --- | --- |")
for key in out["tributary"]:
    t, c = out["tributary"][key], out["cosmo"].get(key, float("nan"))
    ratio = t / c if c else float("nan")
    print(f"| {key} | {t:,.1f} | {c:,.1f} | {ratio:.2f} |")
print(f"\n{sys.argv[2]} runs each, medians; raw results in {sys.argv[1]}")
PY
