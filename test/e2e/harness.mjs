// Starts a real VS Code (code-server: VS Code's server + web workbench, from npm) on 127.0.0.1 with a
// fresh profile, and Debian's Chromium through playwright-core. Everything the run writes stays in one
// temporary folder; the server's whole process group is ended on stop.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const e2eHome = path.resolve(repoRoot, process.env.ATO_E2E_HOME ?? '.cache/vscode-e2e');
export const node24 = process.env.NODE24 ?? path.join(e2eHome, 'node24/bin/node');
export const codeServer = process.env.CODE_SERVER ?? path.join(e2eHome, 'cs/lib/node_modules/code-server/out/node/entry.js');
export const artifactsDir = path.join(repoRoot, 'test-results', 'e2e');

const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.openRepositoryInParentFolders': 'never',
};

const freePort = () => new Promise((resolve, reject) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  }).on('error', reject);
});

/**
 * @param {object} options
 * @param {string[]} [options.vsix] extensions to install first
 * @param {Record<string,string>} [options.files] workspace files (relative path → content)
 * @param {object} [options.userSettings] merged over the defaults (User/settings.json)
 * @param {object} [options.machineSettings] Machine/settings.json: machine-scoped settings apply only here in a remote window
 * @param {boolean} [options.trusted] false opens the folder in Restricted Mode
 * @param {boolean} [options.git] make the workspace a git repository with one commit
 * @param {string[]} [options.args] extra code-server arguments
 */
export async function startCodeServer(options = {}) {
  if (!fs.existsSync(codeServer)) throw new Error(`code-server is not installed at ${codeServer}: run scripts/setup-e2e.sh`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ato-e2e-'));
  const userData = path.join(tmp, 'user-data');
  const extensions = path.join(tmp, 'extensions');
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(path.join(userData, 'Machine'), { recursive: true });
  fs.mkdirSync(workspace);
  for (const [name, content] of Object.entries(options.files ?? { 'README.md': '# test workspace\n' })) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), content);
  }
  if (options.git) {
    const git = (...args) => execFileSync('git', ['-c', 'user.name=ATO Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: workspace, stdio: 'ignore' });
    git('init', '--quiet', '--initial-branch=main');
    git('add', '--all');
    git('commit', '--quiet', '-m', 'initial');
  }
  const trusted = options.trusted ?? true;
  const userSettings = { ...baseSettings, 'security.workspace.trust.enabled': !trusted, ...options.userSettings };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  fs.writeFileSync(path.join(userData, 'Machine', 'settings.json'), JSON.stringify(options.machineSettings ?? {}, null, 2));
  const config = path.join(tmp, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
  const port = await freePort();
  const logFile = path.join(tmp, 'code-server.log');
  const dir = name => { const p = path.join(tmp, name); fs.mkdirSync(p); return p; };
  // The run must not see the developer's keys: it sets its own.
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter(([key]) => !/^(ATO_(?!E2E_HOME)|GITHUB_TOKEN|GH_TOKEN|GITLAB_TOKEN|JULES_API_KEY|ANTHROPIC_API_KEY)/.test(key)));
  const env = {
    ...inherited,
    // No extension gallery: nothing is looked up on the network.
    EXTENSIONS_GALLERY: '{"serviceUrl":"","itemUrl":"","resourceUrlTemplate":""}',
    TMPDIR: dir('t'), XDG_CONFIG_HOME: dir('xdg-config'), XDG_DATA_HOME: dir('xdg-data'), XDG_CACHE_HOME: dir('xdg-cache'),
  };
  for (const vsix of options.vsix ?? []) execFileSync(node24, [codeServer, ...common, '--install-extension', vsix], { env, stdio: 'ignore' });
  const trustArgs = trusted ? ['--disable-workspace-trust'] : [];
  const proc = spawn(node24, [codeServer, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', ...trustArgs, ...(options.args ?? []), workspace],
  { env, detached: true, stdio: ['ignore', fs.openSync(logFile, 'w'), fs.openSync(logFile, 'a')] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (proc.exitCode !== null || i > 600) throw new Error(`code-server did not start, see ${logFile}`);
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    base, port, tmp, workspace, userData, logFile, env,
    url: (extra = '') => `${base}/?folder=${encodeURIComponent(workspace)}${extra}`,
    async stop() {
      const alive = () => { try { process.kill(-proc.pid, 0); return true; } catch { return false; } };
      try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ }
      for (let i = 0; alive() && i < 100; i++) await new Promise(r => setTimeout(r, 100));
      if (alive()) try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
      if (!process.env.KEEP_E2E_TMP) fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** Debian's Chromium, headless, with every background network feature off (the machine is offline). */
export async function launchChromium(userDataDir, { colorScheme = 'dark' } = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    colorScheme,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs a command from the command palette by its full title ("ATO: Doctor"). */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  // On a loaded machine the palette can open before the extension's commands are registered, or F1 can
  // land while the workbench does not have focus yet: close it and ask again, up to three times.
  // The palette can also close under the fill when an editor or a notification opened by the previous command
  // takes focus.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 10_000 });
      await row.waitFor({ timeout: 15_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
      await page.locator('.part.editor').click({ position: { x: 200, y: 200 } }).catch(() => undefined);
    }
  }
  await page.keyboard.press('Enter');
}

/** Picks a theme by its label in "Preferences: Color Theme", which saves it as the workbench.colorTheme setting. */
export async function setColorTheme(page, label) {
  const box = page.locator('.quick-input-widget');
  // Keys pressed while the webview has focus may not reach the workbench: focus the editor area first.
  await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
  await page.keyboard.press('F1');
  await box.locator('input').fill('>Preferences: Color Theme');
  // Not Enter: "Preferences: Browse Color Themes in Marketplace" is listed first.
  await box.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).first().click();
  const input = box.locator('input[placeholder*="Color Theme"]');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(label);
  await box.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await box.waitFor({ state: 'hidden' });
}

/** Drags the sash on the sidebar's right edge until the sidebar is `width` px wide. */
export async function setSidebarWidth(page, width) {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  const edge = box.x + box.width;
  await page.mouse.move(edge, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + 300, { steps: 8 });
  await page.mouse.up();
  const after = await sidebar.boundingBox();
  if (Math.abs(after.width - width) > 12) throw new Error(`the sidebar is ${after.width}px wide, wanted ${width}`);
}

/** The control panel's document: VS Code's webview iframe, then the panel's own frame inside it. */
export const controlPanel = page => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

/** Every file under `dir` (recursively) whose content contains `needle`, as relative paths. */
export function filesContaining(dir, needle, skip = () => false) {
  const hits = [];
  const walk = current => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (skip(path.relative(dir, full))) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && fs.readFileSync(full).includes(needle)) hits.push(path.relative(dir, full));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return hits;
}
