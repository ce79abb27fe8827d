import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redactor } from '../../../../src/core/logging/redactor';
import { PlanningWriter } from '../../../../src/core/planning/planningWriter';
import { draftFromDelegation, guessTaskType } from '../../../../src/core/tasks/delegation';
import { renderTaskFile, slugify, writeNewTaskFile, type TaskDraft } from '../../../../src/core/tasks/taskFileWriter';
import { useTempDir } from '../../../support/tempDir';

const draft: TaskDraft = {
  title: 'Add a login form',
  prompt: 'Build the form.\nValidate e-mail addresses.',
  type: 'feature',
  priority: 'high',
  agent: 'auto',
  targetFiles: ['src/login.ts'],
  successCriteria: ['The form validates e-mail addresses'],
  context: 'Users asked for it.',
  created: new Date('2026-11-21T10:00:00.123Z'),
};

describe('task file writer', () => {
  const temp = useTempDir();

  it('slugifies titles into ids', () => {
    assert.equal(slugify('Add a Login Form!'), 'add-a-login-form');
    assert.equal(slugify('Crème brûlée  — v2'), 'creme-brulee-v2');
    assert.equal(slugify('!!!'), 'task');
    assert.ok(slugify('x'.repeat(200)).length <= 60);
  });

  it('renders the PRODUCT §3.1 format, with only the sections that have content', () => {
    const text = renderTaskFile('add-a-login-form', draft);
    assert.equal(text, [
      '---', 'id: add-a-login-form', 'type: feature', 'priority: high', 'agent: auto', 'created: 2026-11-21T10:00:00Z', '---',
      '# Add a login form', '',
      '**Target Files:**', '- src/login.ts', '',
      '**Prompt:**', 'Build the form.\nValidate e-mail addresses.', '',
      '**Success Criteria:**', '- [ ] The form validates e-mail addresses', '',
      '**Context:**', 'Users asked for it.', '',
    ].join('\n'));
    const bare = renderTaskFile('x', { ...draft, targetFiles: [], successCriteria: [], context: ' ' });
    assert.ok(!bare.includes('Target Files') && !bare.includes('Success Criteria') && !bare.includes('Context'));
  });

  it('never overwrites: a taken name gets -2, -3', async () => {
    const folder = join(temp(), 'pending');
    const writer = new PlanningWriter(new Redactor());
    const first = await writeNewTaskFile(writer, folder, draft);
    const second = await writeNewTaskFile(writer, folder, draft);
    const third = await writeNewTaskFile(writer, folder, draft, new Set(['add-a-login-form-3']));
    assert.deepEqual([first.id, second.id, third.id], ['add-a-login-form', 'add-a-login-form-2', 'add-a-login-form-4']);
    assert.match(await readFile(second.file, 'utf8'), /^id: add-a-login-form-2$/m);
  });

  it('writes a delegated selection that quotes a secret redacted: the key ATO knows and any token shape', async () => {
    const redactor = new Redactor();
    const knownKey = 'jules-canary-4f9d2c71e0';
    redactor.addSecret(knownKey);
    const selection = `const jules = "${knownKey}";\nconst gh = "ghp_${'A'.repeat(36)}";`;
    const delegated = draftFromDelegation([{ path: 'src/config.ts', kind: 'file', selection: { startLine: 1, endLine: 2, text: selection } }], `Move ${knownKey} out of the code`, new Date());
    const { id, file } = await writeNewTaskFile(new PlanningWriter(redactor), join(temp(), 'pending'), delegated);
    const written = await readFile(file, 'utf8');
    assert.equal(id, 'move-redacted-out-of-the-code', 'the id and file name are made from the redacted title');
    assert.equal(file, join(temp(), 'pending', `${id}.task.md`));
    assert.match(written, new RegExp(`^id: ${id}$`, 'm'));
    assert.ok(!written.includes(knownKey), written);
    assert.ok(!written.includes('A'.repeat(36)), written);
    assert.match(written, /const jules = "‹redacted›";/);
    assert.match(written, /Move ‹redacted› out of the code/);
  });
});

describe('delegation', () => {
  it('guesses the task type from the instruction', () => {
    assert.equal(guessTaskType('Fix the crash on save'), 'fix');
    assert.equal(guessTaskType('Please review this module'), 'code_review');
    assert.equal(guessTaskType('Explain why this is slow'), 'analyze');
    assert.equal(guessTaskType('Write docs for the API'), 'documentation');
    assert.equal(guessTaskType('Add dark mode'), 'feature');
  });

  it('turns files, folders and a selection into a draft', () => {
    const result = draftFromDelegation(
      [
        { path: 'src/app.ts', kind: 'file', selection: { startLine: 3, endLine: 4, text: 'const a = 1;\nconst b = 2;' } },
        { path: 'src/lib', kind: 'folder' },
      ],
      '  Add overflow checks\nand tests  ',
      new Date(0),
    );
    assert.equal(result.title, 'Add overflow checks');
    assert.equal(result.prompt, 'Add overflow checks\nand tests');
    assert.deepEqual(result.targetFiles, ['src/app.ts', 'src/lib/']);
    assert.equal(result.context, 'Selected lines 3–4 of `src/app.ts`:\n```\nconst a = 1;\nconst b = 2;\n```');
  });

  it('keeps long titles short and fences selections that contain fences', () => {
    const result = draftFromDelegation([{ path: 'a.md', kind: 'file', selection: { startLine: 1, endLine: 1, text: '```js\nx\n```' } }], 'y'.repeat(100), new Date(0));
    assert.ok(result.title.length <= 72 && result.title.endsWith('…'));
    assert.ok(result.context.includes('````\n```js'));
  });
});
