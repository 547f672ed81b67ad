#!/bin/sh
# Starts the Tributary gateway for one audit suite ($1). The audit's runner calls it as
# `sh run.sh SUITE` from fga/gateways/tributary/, where setup.sh copied it.
#
#   TRIBUTARY_MODE   supergraph (default): serve the audit's precomposed supergraph
#                    compose: list the suite's subgraphs as `graphql` kinds and let
#                             Tributary's own composition compose them
#   TRIBUTARY_SDL    compose mode only: "fetch" (default, the gateway queries
#                    _service { sdl } at each URL) or "file" (sdlFile with the SDL
#                    the audit server publishes for the subgraph)
#   TRIBUTARY_BIN    gateway binary (default ./bin/gateway, built by install.sh)
#   TRIBUTARY_WORK   where the per-suite gateway.yaml and schemas go (default ./work/MODE)
#   TRIBUTARY_PORT   gateway port on 127.0.0.1 (default 4455)
#   AUDIT_PORT       the audit server's port (default 4200)
set -eu

suite="$1"
here=$(cd "$(dirname "$0")" && pwd)
mode="${TRIBUTARY_MODE:-supergraph}"
bin="${TRIBUTARY_BIN:-$here/bin/gateway}"
port="${TRIBUTARY_PORT:-4455}"
audit="http://localhost:${AUDIT_PORT:-4200}"
work="${TRIBUTARY_WORK:-$here/work/$mode}/$suite"

rm -rf "$work"
mkdir -p "$work"
cd "$work"

echo "# tributary audit: suite=$suite mode=$mode bin=$bin port=$port"

case "$mode" in
supergraph)
  curl -fsS "$audit/$suite/supergraph" -o supergraph.graphql
  cat >gateway.yaml <<YAML
listen: "127.0.0.1:$port"
supergraph: ./supergraph.graphql
YAML
  ;;
compose)
  curl -fsS -H 'accept: application/json' "$audit/$suite/subgraphs" -o subgraphs.json
  {
    echo "listen: \"127.0.0.1:$port\""
    echo "subgraphs:"
    if [ "${TRIBUTARY_SDL:-fetch}" = file ]; then
      mkdir -p sdl
      # one SDL file per subgraph, as the audit server publishes it
      for name in $(jq -r '.[].name' subgraphs.json); do
        jq -r --arg n "$name" '.[] | select(.name == $n) | .sdl' subgraphs.json >"sdl/$name.graphql"
      done
      jq -r '.[] | "  - name: \(.name)\n    graphql:\n      url: \(.url | @json)\n      sdlFile: \("./sdl/" + .name + ".graphql" | @json)"' subgraphs.json
    else
      jq -r '.[] | "  - name: \(.name)\n    graphql:\n      url: \(.url | @json)"' subgraphs.json
    fi
  } >gateway.yaml
  ;;
*)
  echo "unknown TRIBUTARY_MODE '$mode' (supergraph or compose)" >&2
  exit 2
  ;;
esac

cat gateway.yaml
# replay.mjs keeps what follows this line as the gateway's log
echo "# ---- gateway output ----"
# exec: the runner stops the gateway by killing this process
exec "$bin" serve -config ./gateway.yaml
