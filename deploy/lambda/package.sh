#!/usr/bin/env bash
# Packages the gateway as an AWS Lambda function for the provided.al2023
# runtime: dist/lambda-<arch>.zip holding
#
#   bootstrap      cmd/lambda, linux/<arch>, static (CGO_ENABLED=0)
#   gateway.yaml   the config, as written
#   artifact/      its start-up artifact: supergraph, config copy, and a copy
#                  of every file and URL the subgraph kinds read
#
# Composing the artifact fetches every remote subgraph's SDL, so the
# subgraphs must be reachable from this machine (the function itself never
# fetches or composes). --with-examples starts the bundled example services
# for the bundled gateway.yaml while composing.
#
#   bash deploy/lambda/package.sh [--with-examples] [CONFIG] [ARCH...]
#   (default CONFIG: $GATEWAY_CONFIG, else gateway.yaml; default ARCH: amd64 arm64)
set -euo pipefail
cd "$(dirname "$0")/../.."
GO=${GO:-go}

examples=false
if [[ ${1:-} == --with-examples ]]; then
	examples=true
	shift
fi
config=${1:-${GATEWAY_CONFIG:-gateway.yaml}}
(($# > 0)) && shift
arches=("$@")
((${#arches[@]} > 0)) || arches=(amd64 arm64)
[[ -f $config ]] || { echo "package.sh: $config: no such file" >&2; exit 2; }

stage=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	rm -rf "$stage"
}
trap cleanup EXIT

"$GO" build -o "$stage/gateway" ./cmd/gateway
if $examples; then
	"$GO" build -o "$stage/example-services" ./cmd/example-services
	"$stage/example-services" 2>/dev/null &
	pids+=($!)
	for port in 4001 4002 4003 4004 4005; do
		for _ in $(seq 100); do
			{ exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null && { exec 3<&-; break; }
			sleep 0.05
		done
	done
fi

mkdir -p "$stage/task" dist
"$stage/gateway" compose -config "$config" -o "$stage/task/artifact"
# The function checks that its gateway.yaml is the artifact's copy.
cp "$config" "$stage/task/gateway.yaml"

for arch in "${arches[@]}"; do
	CGO_ENABLED=0 GOOS=linux GOARCH="$arch" "$GO" build -tags lambda.norpc -trimpath -ldflags '-s -w' \
		-o "$stage/task/bootstrap" ./cmd/lambda
	out="$PWD/dist/lambda-$arch.zip"
	rm -f "$out"
	(cd "$stage/task" && chmod 755 bootstrap && zip -qr -X "$out" bootstrap gateway.yaml artifact)
	echo "wrote dist/lambda-$arch.zip ($(du -k "$out" | cut -f1) KiB; bootstrap $(du -k "$stage/task/bootstrap" | cut -f1) KiB)"
done
