import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

/** A fresh nonce per render, from the OS's CSPRNG (never Math.random). */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The control panel's HTML: a strict CSP (nothing by default; our script only by nonce; styles and fonts
 * only from the extension's bundle), no inline script, and the codicon stylesheet under the id that
 * @vscode-elements/elements looks for.
 */
export function controlPanelHtml(webview: vscode.Webview, bundleRoot: vscode.Uri, nonce: string, joinPath: (base: vscode.Uri, ...parts: string[]) => vscode.Uri): string {
  const asset = (name: string): string => webview.asWebviewUri(joinPath(bundleRoot, name)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('panel.css')}">
<title>ATO Control Panel</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${asset('panel.js')}"></script>
</body>
</html>`;
}
