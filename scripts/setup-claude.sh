#!/usr/bin/env bash
# Installs the REAL Claude Code CLI from the npm registry, for the integration tests of the local agents:
#   @anthropic-ai/claude-code@VERSION (a small wrapper) and its platform package
#   @anthropic-ai/claude-code-linux-x64@VERSION (the native binary, ~380 MB unpacked).
# Into ${ATO_CLAUDE_HOME:-.cache/claude-code} (ignored by git). Idempotent: a `.complete-VERSION` marker is
# written last, so a half-done install is wiped and redone. Prints the path of the `claude` executable
# on its last line (tests find it the same way: ATO_CLAUDE_BIN, else the default path under the cache).
set -euo pipefail
cd "$(dirname "$0")/.."
CLAUDE_VERSION=2.1.330
CLAUDE_HOME=${ATO_CLAUDE_HOME:-$PWD/.cache/claude-code}
mkdir -p "$CLAUDE_HOME"
CLAUDE_HOME=$(cd "$CLAUDE_HOME" && pwd)

# The platform package, picked the way the wrapper's install.cjs does (musl from node's process report).
PLATFORM=$(node -e '
  const musl = process.platform === "linux" && process.report.getReport().header.glibcVersionRuntime === undefined;
  process.stdout.write(`${process.platform}-${process.arch}${musl ? "-musl" : ""}`);')
case "$PLATFORM" in
  linux-x64|linux-arm64|linux-x64-musl|linux-arm64-musl|darwin-x64|darwin-arm64) ;;
  *) echo "setup-claude: no Claude Code package for $PLATFORM" >&2; exit 1 ;;
esac
# npm puts the platform package beside the wrapper, or (with a conflicting copy) inside the wrapper's
# own node_modules: the same two places the wrapper looks.
find_bin() {
  local base="$CLAUDE_HOME/node_modules/@anthropic-ai"
  for candidate in "$base/claude-code-$PLATFORM/claude" "$base/claude-code/node_modules/@anthropic-ai/claude-code-$PLATFORM/claude"; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

if [ ! -f "$CLAUDE_HOME/.complete-$CLAUDE_VERSION" ]; then
  start=$SECONDS
  rm -rf "$CLAUDE_HOME/node_modules" "$CLAUDE_HOME/package.json" "$CLAUDE_HOME/package-lock.json" "$CLAUDE_HOME"/.complete-*
  # --ignore-scripts: the wrapper's postinstall only links the native binary into its own bin/, which we
  # do not use; the tests run the platform binary directly (see BIN above).
  npm install --prefix "$CLAUDE_HOME" --no-audit --no-fund --no-save --ignore-scripts --loglevel=error \
    "@anthropic-ai/claude-code@$CLAUDE_VERSION" "@anthropic-ai/claude-code-$PLATFORM@$CLAUDE_VERSION"
  BIN=$(find_bin) || { echo "setup-claude: the native binary of @anthropic-ai/claude-code-$PLATFORM is missing after npm install" >&2; exit 1; }
  "$BIN" --version >/dev/null
  touch "$CLAUDE_HOME/.complete-$CLAUDE_VERSION"
  echo "[setup-claude] npm install @anthropic-ai/claude-code@$CLAUDE_VERSION: $((SECONDS - start)) s, $(du -sh "$CLAUDE_HOME" | cut -f1)" >&2
fi
BIN=$(find_bin) || { echo "setup-claude: install marked complete but the binary is missing; delete $CLAUDE_HOME and rerun" >&2; exit 1; }
echo "[setup-claude] ready: $("$BIN" --version) in $CLAUDE_HOME" >&2
echo "$BIN"
