#!/usr/bin/env bash
# Runs the federation-gateway-audit against Tributary (docs/federation-audit.md).
#   run-audit.sh MODE [SUITE...]     MODE: supergraph | compose | both
#     supergraph  the gateway serves the audit's precomposed supergraph of each suite
#     compose     the suite's subgraphs go in gateway.yaml as `graphql` kinds and
#                 Tributary's own composition composes them
#     both        supergraph, then compose, with the same binary
# Builds the gateway from TRIBUTARY_SRC (default: this repository, uncommitted changes
# included) once, runs every suite or the ones named, and writes per mode
#   AUDIT_DIR/results-MODE.txt    the console output, the summary with each failing case's
#                                 query and diff, and the replayed full responses
#   AUDIT_DIR/runs/MODE/logs/     SUITE-gateway.log and SUITE-tests.log (TAP) per suite
#   AUDIT_DIR/runs/MODE/work/     the gateway.yaml and schemas the gateway ran on, per suite
#   AUDIT_DIR/runs/MODE/replay.json
# Each mode's summary has the line `Cases: N passed P failed F (x%)`; the last line of the
# output adds up every mode run: `audit: P passed, F failed`.
# Exit status: 0 when every case passed, 1 when a case failed (or a suite ran none), 2 when
# the audit could not run (usage, set-up, a port in use, build).
set -uo pipefail
# shellcheck source=tools/federation-audit/workdir.sh
. "$(dirname "$0")/workdir.sh"

usage="usage: run-audit.sh supergraph|compose|both [SUITE...]"
MODE=${1:-}
case "$MODE" in
supergraph | compose) MODES=("$MODE") ;;
both) MODES=(supergraph compose) ;;
*) echo "$usage" >&2; exit 2 ;;
esac
shift
SUITES=("$@")

setup_is_done || {
  echo "run-audit.sh: $AUDIT_DIR is not set up (or holds another audit revision): run $KIT_DIR/setup.sh" >&2
  exit 2
}
install_adapter

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$AUDIT_PORT" "$TRIBUTARY_PORT"; do
  if port_in_use "$p"; then
    # the runner would kill whatever listens on the gateway's port: never start over it
    echo "run-audit.sh: port $p is in use; stop what listens there or set AUDIT_PORT / TRIBUTARY_PORT" >&2
    exit 2
  fi
done

export TRIBUTARY_BIN=$ADAPTER/bin/gateway TRIBUTARY_PORT AUDIT_PORT
export GATEWAY_TIMEOUT=${GATEWAY_TIMEOUT:-15000} # the runner's wait for /readyz in ms (its default, 5000, is tight under load)
export NO_COLOR=1

echo "building $TRIBUTARY_SRC -> $TRIBUTARY_BIN"
TRIBUTARY_SRC=$TRIBUTARY_SRC nice sh "$ADAPTER/install.sh" || { echo "run-audit.sh: build failed" >&2; exit 2; }
REV=$(git -C "$TRIBUTARY_SRC" rev-parse --short HEAD 2>/dev/null || echo unknown)
UNCOMMITTED=$(git -C "$TRIBUTARY_SRC" status --porcelain 2>/dev/null | tr '\n' ' ')
SUM=$(sha256sum "$TRIBUTARY_BIN" 2>/dev/null | cut -c1-16)

GQL=http://127.0.0.1:$TRIBUTARY_PORT/graphql
HEALTH=http://127.0.0.1:$TRIBUTARY_PORT/readyz

# drops the usage text that the runner's kill-port-process prints when the port is free
drop_kill_usage() { sed -u '/^xargs - *$/,/^For more details see kill(1)\.$/d'; }

# run_mode MODE: runs the suites in one mode and appends "MODE CASES PASSED FAILED" to $SCORES
run_mode() {
  local mode=$1
  local rundir=$AUDIT_DIR/runs/$mode out=$AUDIT_DIR/results-$mode.txt
  local runscript=$ADAPTER/run.sh
  export TRIBUTARY_MODE=$mode TRIBUTARY_WORK=$rundir/work
  rm -rf "$rundir"
  mkdir -p "$rundir/logs"
  {
    echo "# Tributary federation-gateway-audit run"
    echo "# mode:    $mode"
    echo "# source:  $TRIBUTARY_SRC @ $REV; uncommitted: ${UNCOMMITTED:-none}"
    echo "# binary:  $TRIBUTARY_BIN sha256 $SUM"
    echo "# audit:   $(cat "$FGA/.audit-rev")"
    echo "# node:    $(node --version)"
    echo "# ports:   audit $AUDIT_PORT, gateway $TRIBUTARY_PORT"
    echo "# started: $(date -u +%FT%TZ)"
    echo "# suites:  ${SUITES[*]:-all}"
    echo
  } | tee "$out"

  local start end
  start=$(date +%s)
  (
    cd "$FGA" || exit 2
    if [ ${#SUITES[@]} -eq 0 ]; then
      nice npm start --silent -- test --cwd "$rundir" --run-script "$runscript" \
        --reporter dot --graphql "$GQL" --healthcheck "$HEALTH" --port "$AUDIT_PORT" \
        --write "$rundir/results.txt"
    else
      for suite in "${SUITES[@]}"; do
        nice npm start --silent -- test-suite --test "$suite" --cwd "$rundir" --run-script "$runscript" \
          --reporter dot --graphql "$GQL" --healthcheck "$HEALTH" --port "$AUDIT_PORT"
      done
    fi
  ) 2>&1 | drop_kill_usage | tee -a "$out"
  end=$(date +%s)

  local summary
  summary=$(node "$KIT_DIR/summarize.mjs" "$rundir/logs")
  {
    echo
    echo "# finished: $(date -u +%FT%TZ) ($((end - start)) s)"
    echo
    echo "$summary"
  } | tee -a "$out"

  local cases passed failed suites_failing
  read -r cases passed failed < <(sed -nE 's/^Cases: ([0-9]+) passed ([0-9]+) failed ([0-9]+).*/\1 \2 \3/p' <<<"$summary")
  suites_failing=$(sed -nE 's/^Suites: .* with failures ([0-9]+).*/\1/p' <<<"$summary")
  # a suite that ran no case (its name misspelt, the runner broken) fails the run too
  [ "${suites_failing:-1}" -eq 0 ] || FAILED_SUITES=$((FAILED_SUITES + suites_failing))
  if [ "${failed:-0}" -gt 0 ] && [ "${AUDIT_REPLAY:-1}" != 0 ]; then
    {
      echo
      echo "## Replay of the failing cases (full responses)"
      nice node "$KIT_DIR/replay.mjs" "$FGA" "$rundir" "$mode" 2>&1 >/dev/null | sed 's/^/# /'
      if [ -f "$rundir/replay.json" ]; then
        jq -r -f "$KIT_DIR/replay-report.jq" "$rundir/replay.json"
      else
        echo "(replay failed)"
      fi
    } | tee -a "$out"
  fi
  SCORES+="$mode ${cases:-0} ${passed:-0} ${failed:-0}"$'\n'
}

SCORES="" FAILED_SUITES=0
for mode in "${MODES[@]}"; do
  run_mode "$mode"
done

echo
echo "## Scores"
total_passed=0 total_failed=0 ran=0
while read -r mode cases passed failed; do
  [ -n "$mode" ] || continue
  printf '%-10s Cases: %s passed %s failed %s   (%s)\n' "$mode" "$cases" "$passed" "$failed" "$AUDIT_DIR/results-$mode.txt"
  total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed)) ran=$((ran + cases))
done <<<"$SCORES"
echo "audit: $total_passed passed, $total_failed failed"
[ "$ran" -gt 0 ] && [ "$total_failed" -eq 0 ] && [ "$FAILED_SUITES" -eq 0 ]
