#!/usr/bin/env bash
# `npm start`: build ATO, then open VS Code with it on a sample workspace. Desktop VS Code (`code`) when
# it is installed; otherwise the bundled code-server (VS Code in the browser) at a printed localhost URL.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
node esbuild.mjs
sample=${ATO_SAMPLE_WORKSPACE:-$PWD/.cache/sample-workspace}
if [ ! -d "$sample" ]; then
  mkdir -p "$sample"
  printf '# Sample project\n\nA workspace to try ATO on. Run "ATO: Initialize Planning Folder" to start.\n' > "$sample/README.md"
  git -C "$sample" init -q 2>/dev/null || true
fi
if command -v code >/dev/null && [ -z "${ATO_USE_CODE_SERVER:-}" ]; then
  echo "Opening desktop VS Code with ATO from $PWD on $sample"
  exec code --extensionDevelopmentPath="$PWD" "$sample"
fi
bash scripts/setup-e2e.sh
E2E_HOME=${ATO_E2E_HOME:-$PWD/.cache/vscode-e2e}
port=${PORT:-8080}
profile="$PWD/.cache/code-server-profile"
mkdir -p "$profile/user-data/User"
printf 'auth: none\ncert: false\n' > "$profile/config.yaml"
[ -f "$profile/user-data/User/settings.json" ] || printf '{\n  "workbench.startupEditor": "none",\n  "telemetry.telemetryLevel": "off"\n}\n' > "$profile/user-data/User/settings.json"
# The extension is linked into the profile's extensions folder, so code-server runs this checkout's build.
mkdir -p "$profile/extensions"
version=$(node -p "require('./package.json').version")
ln -sfn "$PWD" "$profile/extensions/ato-team.ato-$version"
host=127.0.0.1; url="http://$host:$port/?folder=$sample"
echo "ATO is running in VS Code (code-server) at: $url"
echo "(the extension is this checkout, linked; after a change run \`node esbuild.mjs\` and reload the window. Ctrl+C stops)"
EXTENSIONS_GALLERY='{"serviceUrl":"","itemUrl":"","resourceUrlTemplate":""}' exec "$E2E_HOME/node24/bin/node" \
  "$E2E_HOME/cs/lib/node_modules/code-server/out/node/entry.js" \
  --config "$profile/config.yaml" --user-data-dir "$profile/user-data" --extensions-dir "$profile/extensions" \
  --auth none --bind-addr "$host:$port" --disable-telemetry --disable-update-check "$sample"
