// The maintenance track in the control panel (issue 11): red PRs under care as cards — state badge, attempt,
// reason, last fix, failing checks, the log excerpt (collapsed, expandable, bounded, text only) and the "Fix now"
// / "Send to…" buttons, which post validated messages — against the real bundle in headless Chromium. Saves the
// Red PRs section at 300 and 500 px in a light and a dark theme to test-results/webview/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { tsImport } from 'tsx/esm/api';
import { deliver, useFakeHostAndBrowser } from './fakeHost.mjs';

const { buildPanelSnapshot } = await tsImport('../../src/core/state/panelSnapshot.ts', import.meta.url);
const { Redactor } = await tsImport('../../src/core/logging/redactor.ts', import.meta.url);
const { anAtoState } = await tsImport('../support/stateBuilders.ts', import.meta.url);
const { aLoopState, aRedPullRequest } = await tsImport('../support/loopStates.ts', import.meta.url);
const { parseToHostMessage } = await tsImport('../../src/shared/protocol.ts', import.meta.url);

const screenshots = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results', 'webview');
fs.mkdirSync(screenshots, { recursive: true });
const wire = value => JSON.parse(JSON.stringify(value));
const evil = '<img src=x onerror="window.__pwned=1">';
const longLine = `src/auth/loginForm.test.ts:42:7 AssertionError: expected ${'"a-very-long-token-without-any-space-'.repeat(6)}" to equal "ok"`;
const excerpt = [
  '##[group]Run npm test',
  '> ato@0.0.0 test',
  '  1) login form rejects an empty password',
  longLine,
  `error TS2322: Type 'string' is not assignable to type 'number'. ${evil}`,
  '</pre><script>window.__pwned=2</script>',
  ...Array.from({ length: 30 }, (_, index) => `    at Context.<anonymous> (test/login.test.ts:${String(index + 10)}:5)`),
].join('\n');
const now = Date.now();
const minutesAgo = minutes => new Date(now - minutes * 60_000).toISOString();

function careSnapshot(overrides = {}) {
  const loop = aLoopState({
    redPullRequests: [
      aRedPullRequest(21, {
        title: 'Add a login form',
        care: { state: 'fixing', attempts: 2, maxAttempts: 3, reason: 'fix attempt 2 of 3 asked at abcdef1; waiting for a push', author: 'copilot', lastFix: { attempt: 2, headSha: 'abcdef1234567890', agent: 'copilot', at: minutesAgo(5) }, logExcerpt: excerpt },
      }),
      aRedPullRequest(22, {
        title: `Rewrite the session store ${evil}`,
        failingChecks: [{ name: evil, url: 'https://github.com/octo/repo/actions/runs/2201' }],
        care: { state: 'needsYou', attempts: 3, maxAttempts: 3, reason: `CI is still red on 1234567 after 3 fix attempts (the budget is 3) ${evil}`, author: 'local', lastFix: { attempt: 3, headSha: '1234567890abcdef', agent: 'claude-code', at: minutesAgo(180) } },
      }),
      aRedPullRequest(23, { title: 'A PR the track does not act on' }),
    ],
  });
  return wire(buildPanelSnapshot(anAtoState({ loop, ...overrides }), new Redactor()));
}

const posted = tab => tab.evaluate(() => window.__posted.slice(1));

/** VS Code's Dark Modern and Light Modern colours the panel uses, set through the CSSOM (the page's CSP allows no inline style). */
const themes = {
  dark: { background: '#181818', '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-textLink-foreground': '#4daafc', '--vscode-editorError-foreground': '#f85149', '--vscode-editorWarning-foreground': '#cca700', '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8', '--vscode-inputValidation-errorBackground': '#5a1d1d', '--vscode-inputValidation-warningBackground': '#352a05', '--vscode-textBlockQuote-background': '#2b2b2b', '--vscode-textCodeBlock-background': '#1f1f1f', '--vscode-panel-border': '#2b2b2b', '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc', '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace', '--vscode-editor-font-size': '12px' },
  light: { background: '#f8f8f8', '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#3b3b3b', '--vscode-textLink-foreground': '#005fb8', '--vscode-editorError-foreground': '#e51400', '--vscode-editorWarning-foreground': '#bf8803', '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b', '--vscode-inputValidation-errorBackground': '#f2dede', '--vscode-inputValidation-warningBackground': '#f6f5d2', '--vscode-textBlockQuote-background': '#f2f2f2', '--vscode-textCodeBlock-background': '#e8e8e8', '--vscode-panel-border': '#e5e5e5', '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace', '--vscode-editor-font-size': '12px' },
};

function applyTheme(tab, name) {
  return tab.evaluate(values => {
    for (const [key, value] of Object.entries(values)) {
      if (key === 'background') document.body.style.setProperty('background', value);
      else document.documentElement.style.setProperty(key, value);
    }
  }, themes[name]);
}

describe('maintenance track in the control panel', () => {
  const panelPage = useFakeHostAndBrowser();

  test('a PR under care is a card: badge, attempt, reason, last fix, checks; a PR without care stays a row', async () => {
    const { tab, errors } = await panelPage.open();
    await deliver(tab, careSnapshot());
    const section = tab.locator('[data-section="redPrs"]');
    const card = section.locator('.care-card[data-pr="21"]');
    await card.waitFor();
    assert.equal(await section.locator('.care-card').count(), 2);
    assert.equal(await section.locator('.count').textContent(), '3');
    assert.equal(await card.getAttribute('data-state'), 'fixing');
    assert.equal(await card.locator('[data-care-part="badge"]').textContent(), 'fixing');
    assert.match(await card.locator('[data-care-part="badge"]').getAttribute('class'), /tone-warning/);
    assert.equal(await card.locator('.care-summary').textContent(), 'attempt 2 of 3 · 2 failing checks');
    assert.equal(await card.locator('.care-reason').textContent(), 'fix attempt 2 of 3 asked at abcdef1; waiting for a push');
    assert.equal(await card.locator('.care-last').textContent(), 'Last fix: copilot · 5m ago · abcdef1');
    assert.deepEqual(await card.locator('.care-check').allTextContents(), ['test (ubuntu)', 'lint']);
    assert.equal(await card.locator('a.care-check').count(), 1, 'only the check with a link is a link');
    const stuck = section.locator('.care-card[data-pr="22"]');
    assert.equal(await stuck.locator('[data-care-part="badge"]').textContent(), 'needs you');
    assert.equal(await stuck.locator('.care-summary').textContent(), 'attempt 3 of 3 · 1 failing check');
    assert.equal(await stuck.locator('.care-last').textContent(), 'Last fix: claude-code · 3h ago · 1234567');
    assert.equal(await stuck.locator('.care-log').count(), 0, 'no excerpt, no disclosure');
    assert.equal(await tab.locator('[data-list="redPrs"] .vrow[data-pr="23"]').count(), 1, 'no care: a list row as before');
    assert.equal(await tab.locator('[data-list="redPrs"] .vrow[data-pr="21"]').count(), 0, 'a card is not a row as well');
    assert.ok(await section.locator('.empty').isHidden());
    assert.ok(await section.evaluate(node => node.querySelector('.care-cards').compareDocumentPosition(node.querySelector('[data-list="redPrs"]')) === Node.DOCUMENT_POSITION_FOLLOWING), 'the cards come first');
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('the log excerpt is collapsed, opens on a click, is bounded and monospace, stays open across updates', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, careSnapshot());
    const log = tab.locator('.care-card[data-pr="21"] .care-log');
    assert.equal(await log.evaluate(node => node.open), false);
    assert.equal(await log.locator('summary').textContent(), 'Log excerpt · 36 lines');
    assert.ok(await log.locator('.care-excerpt').isHidden());
    await log.locator('summary').click();
    const pre = log.locator('.care-excerpt');
    await pre.waitFor();
    assert.equal(await pre.textContent(), excerpt);
    const box = await pre.evaluate(node => ({ height: node.clientHeight, scroll: node.scrollHeight, font: getComputedStyle(node).fontFamily }));
    assert.match(box.font, /monospace/);
    assert.ok(box.height < 260 && box.scroll > box.height, `bounded, scrolls inside: ${JSON.stringify(box)}`);
    await deliver(tab, careSnapshot());
    assert.equal(await tab.locator('.care-card[data-pr="21"] .care-log').evaluate(node => node.open), true, 'a tick does not close what you opened');
    await tab.keyboard.press('Tab');
    await tab.close();
  });

  test('hostile titles, reasons, check names and log lines stay text', async () => {
    const { tab, errors } = await panelPage.open();
    await deliver(tab, careSnapshot());
    await tab.locator('.care-card[data-pr="21"] .care-log summary').click();
    assert.equal(await tab.locator('.care-card[data-pr="22"] .care-title').textContent(), `#22 Rewrite the session store ${evil}`);
    assert.match(await tab.locator('.care-card[data-pr="22"] .care-reason').textContent(), /onerror/);
    assert.equal(await tab.locator('.care-card[data-pr="22"] .care-check').textContent(), evil);
    assert.equal(await tab.locator('#app img, #app script').count(), 0, 'no element was made from GitHub or CI text');
    await tab.waitForTimeout(100);
    assert.equal(await tab.evaluate(() => window.__pwned), undefined);
    assert.deepEqual(errors, []);
    await tab.close();
  });

  test('Fix now and Send to… post validated messages; the title and a check open on GitHub; Restricted Mode disables both', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, careSnapshot());
    const card = tab.locator('.care-card[data-pr="21"]');
    await card.locator('vscode-button[data-row-action="loop.fixPullRequest"]').click();
    await card.locator('vscode-button[data-row-action="loop.sendPullRequestTo"]').click();
    await card.locator('a.care-title').click();
    await card.locator('a.care-check').click();
    const messages = await posted(tab);
    assert.deepEqual(messages, [
      { type: 'loop.fixPullRequest', pullNumber: 21 },
      { type: 'loop.sendPullRequestTo', pullNumber: 21 },
      { type: 'openExternal', url: 'https://github.com/octo/repo/pull/21' },
      { type: 'openExternal', url: 'https://github.com/octo/repo/actions/runs/2101' },
    ]);
    for (const message of messages) assert.ok(parseToHostMessage(message).ok, JSON.stringify(message));
    assert.equal(parseToHostMessage({ type: 'loop.fixPullRequest', pullNumber: 0 }).ok, false, 'the host refuses a PR number that is none');
    assert.equal(parseToHostMessage({ type: 'loop.sendPullRequestTo', pullNumber: '21' }).ok, false);
    await deliver(tab, careSnapshot({ trusted: false }));
    const fix = tab.locator('.care-card[data-pr="21"] vscode-button[data-row-action="loop.fixPullRequest"]');
    assert.match(await fix.getAttribute('title'), /Restricted Mode/);
    await fix.dispatchEvent('click');
    await tab.locator('.care-card[data-pr="21"] vscode-button[data-row-action="loop.sendPullRequestTo"]').dispatchEvent('click');
    assert.equal((await posted(tab)).length, 4, 'disabled buttons post nothing');
    await tab.close();
  });

  test('the filter finds a card by its state or reason', async () => {
    const { tab } = await panelPage.open();
    await deliver(tab, careSnapshot());
    await tab.locator('[data-control="filter"]').evaluate(node => { node.value = 'needs you'; node.dispatchEvent(new Event('input')); });
    await tab.waitForFunction(() => document.querySelectorAll('.care-card').length === 1);
    assert.equal(await tab.locator('.care-card').getAttribute('data-pr'), '22');
    await tab.locator('[data-control="filter"]').evaluate(node => { node.value = 'no such pr'; node.dispatchEvent(new Event('input')); });
    await tab.waitForFunction(() => document.querySelectorAll('.care-card').length === 0);
    assert.equal(await tab.locator('[data-section="redPrs"] .empty').textContent(), 'Nothing matches the filter.');
    await tab.close();
  });

  for (const width of [300, 500]) {
    test(`at ${String(width)} px nothing overflows (light and dark screenshots)`, async () => {
      const { tab } = await panelPage.open();
      await tab.setViewportSize({ width, height: 1100 });
      await deliver(tab, careSnapshot());
      await tab.locator('.care-card[data-pr="21"] .care-log summary').click();
      const fits = await tab.locator('.care-cards').evaluate(root => [...root.querySelectorAll('.care-card, .care-card *')].map(part => {
        const box = part.getBoundingClientRect();
        return { part: `${part.tagName}.${part.className}`, inside: box.width === 0 || (box.left >= -0.5 && box.right <= document.documentElement.clientWidth + 0.5), overflow: part.tagName === 'PRE' ? 0 : part.scrollWidth - part.clientWidth };
      }));
      for (const fit of fits) assert.ok(fit.inside && fit.overflow <= 1, JSON.stringify(fit));
      assert.ok(await tab.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'no horizontal scroll');
      const pre = await tab.locator('.care-excerpt').evaluate(node => node.scrollWidth - node.clientWidth);
      assert.ok(pre <= 1, 'the long log line wraps inside the excerpt');
      for (const theme of ['light', 'dark']) {
        await applyTheme(tab, theme);
        await tab.mouse.move(0, 0);
        await tab.waitForTimeout(300);
        await tab.locator('[data-section="redPrs"]').screenshot({ path: path.join(screenshots, `care-cards-${String(width)}-${theme}.png`) });
      }
      await tab.close();
    });
  }
});
