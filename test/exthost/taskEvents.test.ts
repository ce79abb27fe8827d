import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EventLog } from '../../src/core/events/eventLog';
import { Redactor } from '../../src/core/logging/redactor';
import { activateAto } from './atoUnderTest';
import { waitFor } from './waitFor';

const secret = 'glpat-taskEventsCanary0123456789';

/**
 * Issue 14 / PRODUCT §8: a task's events, from the real extension host: "Show Task Events" opens a
 * read-only `ato-events:` document of that task's events (and its runs'), one line each, redacted, and it
 * follows the log as events are recorded (here by another writer, as the CLI or a second window would).
 */
describe('Show Task Events, in the real extension host', () => {
  let log: EventLog;

  before(async () => {
    const { root } = await activateAto();
    // An event log of its own: the events are appended as another process would, unredacted.
    log = new EventLog({ directory: join(root, '.ato'), maxFileBytes: 10_000_000, maxFiles: 5, redactor: new Redactor() });
    await log.append({ kind: 'task.created', id: 'exthost-events', via: 'newTask' });
    await log.append({ kind: 'queue.moved', taskId: 'exthost-events', from: 'pending', to: 'processed', runId: 'run-ev-1' });
    await log.append({ kind: 'queue.moved', taskId: 'exthost-other', from: 'pending', to: 'processed', runId: 'run-ev-2' });
  });

  after(async () => {
    await vscode.commands.executeCommand('ato.clearKey', 'gitlab.token');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the task\'s events as a log view (a content provider\'s document: read-only in the editor), one line per event, and follows new ones, redacted', async function () {
    this.timeout(60_000);
    const opened = await vscode.commands.executeCommand<string | undefined>('ato.showTaskEvents', { ref: 'exthost-events' });
    assert.equal(opened, 'ato-events:/exthost-events.events.log');
    const document = (): vscode.TextDocument | undefined => vscode.workspace.textDocuments.find(candidate => candidate.uri.toString() === opened);
    await waitFor('the view to open', () => vscode.window.activeTextEditor?.document.uri.toString() === opened, 10_000);
    const lines = (): string[] => document()?.getText().split('\n') ?? [];
    assert.match(lines()[0] ?? '', /^# Events of task exthost-events: 2 events, oldest first/);
    assert.match(lines()[2] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}task\.created {2}- {2}id=exthost-events via=newTask$/);
    assert.match(lines()[3] ?? '', /queue\.moved {2}run-ev-1 {2}pending → processed$/);
    assert.ok(!document()?.getText().includes('exthost-other'), 'another task\'s event is not shown');
    assert.equal(document()?.languageId, 'log');

    await vscode.commands.executeCommand('ato.setGitLabToken', secret);
    await log.append({ kind: 'fleet.windowClosed', runId: 'run-ev-1', why: `the key ${secret} hit a 429` });
    await log.append({ kind: 'queue.moved', taskId: 'exthost-other', from: 'processed', to: 'complete', runId: 'run-ev-2' });
    await waitFor('the view to show the new event', () => document()?.getText().includes('fleet.windowClosed') ?? false, 20_000);
    assert.match(lines()[0] ?? '', /3 events/);
    assert.ok(!document()?.getText().includes(secret), 'the secret is redacted');
    assert.ok(!document()?.getText().includes('processed → complete'));

  });
});
