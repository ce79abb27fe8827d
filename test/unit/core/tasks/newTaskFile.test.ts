import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redactor } from '../../../../src/core/logging/redactor';
import { initializePlanningFolder } from '../../../../src/core/planning/planningFolder';
import { planningPartPath } from '../../../../src/core/planning/planningLayout';
import { PlanningWriter } from '../../../../src/core/planning/planningWriter';
import { createTaskFile } from '../../../../src/core/tasks/newTaskFile';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';
import { useTempDir } from '../../../support/tempDir';

describe('createTaskFile (ato new)', () => {
  const temp = useTempDir();
  const now = new Date('2026-12-07T10:00:00Z');
  const writer = new PlanningWriter(new Redactor());
  const planning = async (): Promise<string> => {
    const root = join(temp(), 'planning');
    await initializePlanningFolder(root);
    return root;
  };

  it('writes pending/<id>.task.md that parses as a valid task with the flags given (aliases accepted)', async () => {
    const root = await planning();
    const outcome = await createTaskFile(writer, root, { title: 'Add a  login form', type: 'bug_fix', priority: 'HIGH', agent: 'claude-code', prompt: 'Build it.' }, now);
    assert.equal(outcome.kind, 'created');
    assert.equal(outcome.file, join(planningPartPath(root, 'pending'), 'add-a-login-form.task.md'));
    const text = await readFile(outcome.file, 'utf8');
    const parsed = parseTaskFile(text, outcome.file);
    assert.deepEqual(parsed.diagnostics.filter(d => d.severity === 'error'), []);
    assert.ok(parsed.task);
    assert.equal(parsed.task.id, 'add-a-login-form');
    assert.equal(parsed.task.title, 'Add a login form');
    assert.equal(parsed.task.type, 'fix');
    assert.equal(parsed.task.priority, 'high');
    assert.equal(parsed.task.agent, 'claude-code');
    assert.match(text, /^created: 2026-12-07T10:00:00Z$/m);
  });

  it('takes a custom agent id and an explicit id', async () => {
    const root = await planning();
    const outcome = await createTaskFile(writer, root, { title: 'Tidy up', agent: 'my-agent', id: 'tidy.v2' }, now);
    assert.equal(outcome.kind === 'created' ? outcome.id : outcome.reason, 'tidy.v2');
    const parsed = parseTaskFile(await readFile(join(planningPartPath(root, 'pending'), 'tidy.v2.task.md'), 'utf8'), 'tidy.v2.task.md');
    assert.ok(parsed.task);
    assert.equal(parsed.task.agent, 'my-agent');
    assert.equal(parsed.task.type, 'feature');
    assert.equal(parsed.task.priority, 'medium');
  });

  it('refuses to overwrite: a task of that id in pending/, processed/ or complete/ is left as it was', async () => {
    const root = await planning();
    const done = join(planningPartPath(root, 'complete'), 'add-search.md');
    await writeFile(done, '# Add search\n', 'utf8');
    const outcome = await createTaskFile(writer, root, { title: 'Add search' }, now);
    assert.equal(outcome.kind, 'refused');
    assert.match(outcome.reason, /add-search\.md exists.*not overwritten/);
    assert.equal(await readFile(done, 'utf8'), '# Add search\n');
    assert.deepEqual((await readdir(planningPartPath(root, 'pending'))).filter(n => n !== '.gitkeep'), []);
    const first = await createTaskFile(writer, root, { title: 'Add export' }, now);
    assert.equal(first.kind, 'created');
    const again = await createTaskFile(writer, root, { title: 'Add export', priority: 'low' }, now);
    assert.equal(again.kind, 'refused');
    assert.match(await readFile(join(planningPartPath(root, 'pending'), 'add-export.task.md'), 'utf8'), /^priority: medium$/m);
  });

  it('refuses unknown values with the nearest valid one, a bad id, an empty title, and a missing planning folder', async () => {
    const root = await planning();
    const reasons = [];
    for (const request of [{ title: 'x', type: 'featur' }, { title: 'x', priority: 'urgentt' }, { title: 'x', agent: 'has space' }, { title: 'x', id: 'a..b' }, { title: '   ' }]) {
      const outcome = await createTaskFile(writer, root, request, now);
      assert.equal(outcome.kind, 'refused', JSON.stringify(request));
      reasons.push(outcome.reason);
    }
    assert.match(reasons[0] ?? '', /Unknown type "featur": did you mean "feature"\?/);
    assert.match(reasons[1] ?? '', /Unknown priority "urgentt"/);
    assert.match(reasons[2] ?? '', /Invalid agent "has space"/);
    assert.match(reasons[3] ?? '', /"a\.\.b" cannot be a task id/);
    assert.match(reasons[4] ?? '', /needs a title/);
    assert.deepEqual((await readdir(planningPartPath(root, 'pending'))).filter(n => n !== '.gitkeep'), []);
    const missing = await createTaskFile(writer, join(temp(), 'nowhere'), { title: 'x' }, now);
    assert.match(missing.kind === 'refused' ? missing.reason : '', /ato init/);
  });
});
