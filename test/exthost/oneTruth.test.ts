import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Redactor } from '../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../src/core/state/panelSnapshot';
import { statusBarView } from '../../src/core/views/statusBarModel';
import { activateAto } from './atoUnderTest';
import { waitFor } from './waitFor';

describe('one snapshot, one truth (issue 14)', () => {
  it('right after Initialize Planning Folder, the panel\'s header, its loop line and the status bar all know the folder is there', async () => {
    const { api, root } = await activateAto();
    rmSync(join(root, 'planning'), { recursive: true, force: true });
    await vscode.commands.executeCommand('ato.refresh');
    await waitFor('the store to see no planning folder', () => api.state().planning.kind === 'missing', 20_000);
    await waitFor('the loop line to say there is none', () => /no planning folder/i.test(buildPanelSnapshot(api.state(), new Redactor()).loop.offReason ?? ''), 20_000);

    // Every state the store holds while the command runs, sampled every few ms: none may say the folder is ready
    // while the loop line still says there is none (before, it did until the loop's rebuild ended).
    const contradictions: string[] = [];
    const progress = { done: false };
    const command = Promise.resolve(vscode.commands.executeCommand('ato.initPlanningFolder')).finally(() => { progress.done = true; });
    while (!progress.done) {
      const seen = api.state();
      const reason = buildPanelSnapshot(seen, new Redactor()).loop.offReason ?? '';
      if (seen.planning.kind === 'ready' && /no planning folder/i.test(reason)) contradictions.push(reason);
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    await command;
    assert.deepEqual(contradictions.slice(0, 1), [], `${String(contradictions.length)} samples said ready and "no planning folder" at once`);
    // No wait: what the command leaves is what the panel shows next.
    const state = api.state();
    const snapshot = buildPanelSnapshot(state, new Redactor());
    assert.equal(snapshot.planning.kind, 'ready');
    assert.doesNotMatch(snapshot.loop.offReason ?? '', /no planning folder/i, 'the loop line still said there is no planning folder');
    assert.doesNotMatch(statusBarView(state).text, /no planning folder/i);
  });
});
