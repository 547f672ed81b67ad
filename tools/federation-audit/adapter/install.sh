#!/bin/sh
# Builds the Tributary gateway for the audit into ./bin/gateway (next to run.sh), from
# TRIBUTARY_SRC or else the source tree that tools/federation-audit/setup.sh recorded in
# ./source. run-audit.sh calls it before every run; so does the audit's own `make install`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="${TRIBUTARY_SRC:-$(cat "$here/source")}"
cd "$src"
go build -o "${TRIBUTARY_BIN:-$here/bin/gateway}" ./cmd/gateway
