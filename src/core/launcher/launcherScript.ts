/**
 * The `ato` launcher that "ATO: Install 'ato' Command in PATH" writes into a user bin folder: a few lines
 * that run the extension's bundled CLI (dist/cli.js). They name this marker, so ATO rewrites or removes only
 * a file it wrote, never someone else's `ato`.
 */
export const launcherMarker = 'Written by the ATO extension (ato-team.ato)';

export interface LauncherTarget {
  /** The bundled CLI, absolute: `<extension>/dist/cli.js`. */
  readonly cli: string;
  /** The executable VS Code runs its extension host with (process.execPath): node itself, or Electron run as node. */
  readonly vscodeNode: string;
}

/** Single-quotes a path for sh: `'…'`, each `'` inside as `'\''`. */
function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The POSIX launcher. VS Code's own executable runs the CLI first (ELECTRON_RUN_AS_NODE=1 makes Electron a
 * plain node; for a node binary the variable means nothing): it is there whenever VS Code is, and its node is
 * the one ATO is built for. Then `node` from the PATH. When the extension has moved (updated or removed) it
 * says how to point the launcher at the new one, instead of node's "Cannot find module".
 */
export function shLauncher(target: LauncherTarget): string {
  return `#!/bin/sh
# ${launcherMarker}: "ATO: Install 'ato' Command in PATH".
# "ATO: Uninstall 'ato' Command from PATH" removes it. It runs the extension's bundled CLI.
cli=${shQuote(target.cli)}
vscode_node=${shQuote(target.vscodeNode)}
if [ ! -f "$cli" ]; then
  echo "ato: the ATO extension is no longer at $cli (updated or uninstalled). In VS Code, run \\"ATO: Install 'ato' Command in PATH\\" again." >&2
  exit 127
fi
if [ -x "$vscode_node" ]; then
  ELECTRON_RUN_AS_NODE=1 exec "$vscode_node" "$cli" "$@"
fi
if command -v node >/dev/null 2>&1; then
  exec node "$cli" "$@"
fi
echo "ato: neither VS Code's $vscode_node nor node on the PATH is there to run $cli." >&2
exit 127
`;
}

/** A path inside double quotes in a .cmd file: `%` doubled (cmd would expand it), `"` cannot occur in a Windows path. */
function cmdPath(text: string): string {
  return text.replace(/%/g, '%%');
}

/** The Windows launcher (`ato.cmd`), the same order as the POSIX one. CRLF line ends, as cmd.exe expects. */
export function cmdLauncher(target: LauncherTarget): string {
  return [
    '@echo off',
    `rem ${launcherMarker}: "ATO: Install 'ato' Command in PATH".`,
    `rem "ATO: Uninstall 'ato' Command from PATH" removes it. It runs the extension's bundled CLI.`,
    'setlocal',
    `set "ATO_CLI=${cmdPath(target.cli)}"`,
    `set "ATO_VSCODE_NODE=${cmdPath(target.vscodeNode)}"`,
    'if not exist "%ATO_CLI%" goto moved',
    'if not exist "%ATO_VSCODE_NODE%" goto node',
    'set ELECTRON_RUN_AS_NODE=1',
    '"%ATO_VSCODE_NODE%" "%ATO_CLI%" %*',
    'exit /b %ERRORLEVEL%',
    ':node',
    'where node >nul 2>nul || goto nonode',
    'node "%ATO_CLI%" %*',
    'exit /b %ERRORLEVEL%',
    ':moved',
    `echo ato: the ATO extension is no longer at %ATO_CLI% (updated or uninstalled). In VS Code, run "ATO: Install 'ato' Command in PATH" again. 1>&2`,
    'exit /b 127',
    ':nonode',
    'echo ato: neither VS Code\'s %ATO_VSCODE_NODE% nor node on the PATH is there to run %ATO_CLI%. 1>&2',
    'exit /b 127',
    '',
  ].join('\r\n');
}
