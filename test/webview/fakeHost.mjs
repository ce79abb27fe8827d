// A fake VS Code host for the control panel's real bundle (dist/webview), served on 127.0.0.1 with a CSP
// like the extension's (nothing by default, scripts by nonce, styles and fonts from the server only). The
// page stubs `acquireVsCodeApi`: it records every posted message in `window.__posted` and keeps the
// getState/setState value in `window.__state`. `window.__deliver(data)` dispatches a host message
// synchronously and returns the main-thread time the panel's handler took.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';
import { tsImport } from 'tsx/esm/api';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = path.join(repoRoot, 'dist', 'webview');
const types = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

function page(origin, nonce, initialState) {
  const csp = ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${origin}`, `font-src ${origin}`, `img-src ${origin}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${origin}/codicon.css" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${origin}/panel.css">
<title>fake host</title></head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading…</p></main>
<script nonce="${nonce}">
  window.__posted = [];
  window.__state = ${JSON.stringify(initialState ?? null)};
  let acquired = 0;
  window.acquireVsCodeApi = () => {
    if (++acquired > 1) throw new Error('acquireVsCodeApi called twice');
    return {
      postMessage: message => { window.__posted.push(JSON.parse(JSON.stringify(message))); },
      getState: () => window.__state,
      setState: state => { window.__state = JSON.parse(JSON.stringify(state)); },
    };
  };
  window.__deliver = data => {
    const start = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data }));
    return performance.now() - start;
  };
</script>
<script nonce="${nonce}" src="${origin}/panel.js"></script>
</body></html>`;
}

/** Serves the bundle and the page; `pageUrl(state)` gives a page whose getState returns `state`. */
export async function startFakeHost() {
  if (!fs.existsSync(path.join(bundle, 'panel.js'))) throw new Error('build the bundle first: node esbuild.mjs');
  const states = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/panel.html') {
      const origin = `http://127.0.0.1:${server.address().port}`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page(origin, randomBytes(18).toString('base64'), states.get(url.searchParams.get('state'))));
      return;
    }
    const file = path.join(bundle, path.normalize(url.pathname).replace(/^[/\\]+/, ''));
    if (!file.startsWith(bundle + path.sep) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    pageUrl(state) {
      const key = String(states.size);
      states.set(key, state);
      return `${origin}/panel.html?state=${key}`;
    },
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * The fake host and a headless Chromium for one suite: started before its tests, closed after them. Returns
 * `open(state?)`, the suite's `openPanel`.
 */
export function useFakeHostAndBrowser() {
  let host, browser;
  before(async () => {
    host = await startFakeHost();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await host?.close();
  });
  return { open: (...state) => openPanel(browser, host, ...state) };
}

/** Opens the panel page and waits for its ready handshake. */
export async function openPanel(browser, host, state) {
  const tab = await browser.newPage({ viewport: { width: 400, height: 900 } });
  const errors = [];
  tab.on('pageerror', error => errors.push(String(error)));
  await tab.goto(host.pageUrl(state));
  await tab.waitForFunction(() => window.__posted.length > 0);
  return { tab, errors };
}

/**
 * Delivers a snapshot as the full update a host sends after `ready` (the real encoder, which only splits it
 * into parts, so a malformed snapshot still reaches the panel's parser) and returns
 * [handler ms, ms until the next frame after delivery started].
 */
export async function deliver(tab, snapshot) {
  // Imported here, not at the top: a top-level await would keep the bench (loaded through require) from importing this file.
  const { fullPanelUpdate } = await tsImport('../../src/core/state/panelUpdates.ts', import.meta.url);
  return deliverMessage(tab, fullPanelUpdate(snapshot));
}

/** Delivers any host message (e.g. a partial update); returns the same timings as `deliver`. */
export function deliverMessage(tab, message) {
  return tab.evaluate(async data => {
    const start = performance.now();
    const handler = window.__deliver(data);
    await new Promise(resolve => requestAnimationFrame(() => resolve(undefined)));
    return [handler, performance.now() - start];
  }, message);
}
