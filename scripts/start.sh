#!/usr/bin/env bash
# `npm start`: build ATO, then open VS Code with it on a sample workspace (scripts/sample-workspace.sh).
# Desktop VS Code (`code`) when it is installed; otherwise the bundled code-server (VS Code in the
# browser) at a printed localhost URL. ATO_SAMPLE_WORKSPACE, ATO_CODE_SERVER_PROFILE and PORT move things.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
node esbuild.mjs
sample=${ATO_SAMPLE_WORKSPACE:-$PWD/.cache/sample-workspace}
bash scripts/sample-workspace.sh "$sample"
# The sample is ours, so it opens trusted: in Restricted Mode ATO would only show state. Desktop VS Code
# applies --disable-workspace-trust to the window this command opens (this session), not to the folders
# you trust or not yourself; code-server applies it to its server, which serves npm start's own profile.
if command -v code >/dev/null && [ -z "${ATO_USE_CODE_SERVER:-}" ]; then
  echo "Opening desktop VS Code with ATO from $PWD on $sample"
  exec code --disable-workspace-trust --extensionDevelopmentPath="$PWD" "$sample"
fi
bash scripts/setup-e2e.sh
E2E_HOME=${ATO_E2E_HOME:-$PWD/.cache/vscode-e2e}
port=${PORT:-8080}
profile=${ATO_CODE_SERVER_PROFILE:-$PWD/.cache/code-server-profile}
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
  --auth none --bind-addr "$host:$port" --disable-telemetry --disable-update-check --disable-workspace-trust "$sample"
