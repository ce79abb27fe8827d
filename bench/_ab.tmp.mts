// A/B: base bundle (/tmp/fr/base/dist) vs this worktree's dist, alternating, same browser.
import { Redactor } from '/work/wt/firstrender/src/core/logging/redactor';
import { buildPanelSnapshot } from '/work/wt/firstrender/src/core/state/panelSnapshot';
import { PanelUpdateEncoder } from '/work/wt/firstrender/src/core/state/panelUpdates';
import { aBusyState } from '/work/wt/firstrender/test/support/panelState';
import * as mine from '/work/wt/firstrender/test/webview/fakeHost.mjs';
import * as base from '/tmp/fr/base/test/webview/fakeHost.mjs';
const { state } = aBusyState(10000, 1000);
const msg = JSON.parse(JSON.stringify(new PanelUpdateEncoder().next(buildPanelSnapshot(state, new Redactor()))));
const hosts = { base: await base.startFakeHost(), mine: await mine.startFakeHost() };
const browser = await mine.launchBrowser();
const res: Record<string, number[][]> = { base: [], mine: [] };
const N = Number(process.env.N ?? 7);
for (let i = 0; i < N; i++) for (const k of ['base', 'mine'] as const) {
  const { tab } = await mine.openPanel(browser, hosts[k]);
  res[k].push(await mine.deliverMessage(tab, msg));
  await tab.close();
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(0);
for (const k of ['base', 'mine']) console.log(k, 'handler', med(res[k].map(r => r[0])), 'frame', med(res[k].map(r => r[1])), JSON.stringify(res[k].map(r => Math.round(r[1]))));
await browser.close(); await hosts.base.close(); await hosts.mine.close();
