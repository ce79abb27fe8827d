import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventLog } from '../src/core/events/eventLog';
import { createLogger } from '../src/core/logging/logger';
import { Redactor } from '../src/core/logging/redactor';
import { readSettings } from '../src/core/settings/settings';
import { initialAtoState } from '../src/core/state/atoState';
import { buildPanelSnapshot } from '../src/core/state/panelSnapshot';
import { parseToWebviewMessage } from '../src/shared/protocol';
import { fullPanelUpdate } from '../src/core/state/panelUpdates';
import { medianMs, type Measurement } from './measure';

/** Figures for the foundation's hot paths: redaction, logging, events, settings, snapshots, bundles. */
export async function foundationBench(): Promise<Measurement[]> {
  const results: Measurement[] = [];
  const redactor = new Redactor();
  for (const secret of ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'glpat-abcdefghijklmnop1234', 'sk-ant-abcdefghijklmnop1234', 'AIzaSyabcdefghijklmnopqrstuvwxyz012345']) redactor.addSecret(secret);
  const line = `request to https://api.github.com/repos/o/r/pulls failed with 502 ${'x'.repeat(900)} authorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789`;
  const redactMs = await medianMs(() => { for (let i = 0; i < 1000; i++) redactor.redact(line); });
  results.push({ name: 'redact a 1 KB log line (4 known secrets + token patterns)', value: 1000 / redactMs * 1000, unit: 'lines/s' });

  const logger = createLogger({ write: () => undefined }, redactor);
  const logMs = await medianMs(() => { for (let i = 0; i < 1000; i++) logger.info('tick %d decided %s', i, 'wait'); });
  results.push({ name: 'logger.info with formatting + redaction', value: logMs / 1000 * 1000, unit: 'µs/line' });

  const directory = await mkdtemp(join(tmpdir(), 'ato-bench-'));
  try {
    const log = new EventLog({ directory, maxFileBytes: 1024 * 1024, maxFiles: 3, redactor });
    const count = 5000;
    const start = performance.now();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < count; i++) writes.push(log.append({ kind: 'bench.event', index: i, reason: 'measuring the event log' }));
    await Promise.all(writes);
    const seconds = (performance.now() - start) / 1000;
    results.push({ name: `event log append (${count} events, rotating at 1 MiB)`, value: count / seconds, unit: 'events/s' });
    results.push({ name: 'event log live file after rotation', value: (await stat(log.file)).size / 1024, unit: 'KiB' });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }

  const raw: Record<string, unknown> = { planningPath: 'planning', 'github.apiUrl': 'https://github.example.com/api/v3/', 'eventLog.maxFiles': 7 };
  const settingsMs = await medianMs(() => readSettings(key => raw[key]));
  results.push({ name: 'read + validate all settings', value: settingsMs * 1000, unit: 'µs' });

  const state = { ...initialAtoState('bench', true), planning: { kind: 'ready' as const, path: '/w/planning', queue: { pending: 10_000, processed: 12, complete: 3000 } } };
  const snapshotMs = await medianMs(() => buildPanelSnapshot(state, redactor));
  results.push({ name: 'host: build the panel snapshot', value: snapshotMs * 1000, unit: 'µs' });
  const message = JSON.parse(JSON.stringify(fullPanelUpdate(buildPanelSnapshot(state, redactor)))) as unknown;
  const parseMs = await medianMs(() => parseToWebviewMessage(message));
  results.push({ name: 'webview: validate a snapshot message', value: parseMs * 1000, unit: 'µs' });

  for (const bundle of ['dist/extension.js', 'dist/cli.js', 'dist/webview/panel.js']) {
    try {
      results.push({ name: `bundle size ${bundle}`, value: (await stat(bundle)).size / 1024, unit: 'KiB' });
    } catch {
      // not built: `npm run bench` builds first
    }
  }
  return results;
}
