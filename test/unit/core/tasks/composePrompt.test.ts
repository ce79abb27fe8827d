import assert from 'node:assert/strict';
import { composePrompt, type PromptSource } from '../../../../src/core/tasks/composePrompt';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';

function aTask(overrides: Partial<PromptSource> = {}): PromptSource {
  return { title: 'Add a login form', prompt: 'What the agent must do.', targetFiles: [], successCriteria: [], context: '', body: '', ...overrides };
}

describe('composePrompt', () => {
  it('puts the title, the prompt verbatim, targets, criteria and context in that order', () => {
    const prompt = composePrompt(aTask({
      prompt: 'Build the form.\n\n  - keep   this indentation\n\n```ts\nconst x = 1;\n```',
      targetFiles: ['src/login.ts', 'src/login.test.ts'],
      successCriteria: ['The form validates e-mail addresses', '[x] Already done item'],
      context: 'We use React.\nNo new dependencies.',
    }));
    assert.equal(prompt, [
      '# Add a login form',
      '',
      'Build the form.',
      '',
      '  - keep   this indentation',
      '',
      '```ts',
      'const x = 1;',
      '```',
      '',
      'Target files:',
      '- src/login.ts',
      '- src/login.test.ts',
      '',
      'Success criteria:',
      '- [ ] The form validates e-mail addresses',
      '- [x] Already done item',
      '',
      'Context:',
      'We use React.',
      'No new dependencies.',
      '',
    ].join('\n'));
  });

  it('leaves out sections without content', () => {
    assert.equal(composePrompt(aTask()), '# Add a login form\n\nWhat the agent must do.\n');
    assert.equal(composePrompt(aTask({ targetFiles: ['', '  '], successCriteria: [' '], context: ' \n ' })), '# Add a login form\n\nWhat the agent must do.\n');
    assert.equal(composePrompt(aTask({ prompt: '', context: 'Only context.' })), '# Add a login form\n\nContext:\nOnly context.\n');
  });

  it('adds no instructions of its own (pass-through policy)', () => {
    const prompt = composePrompt(aTask({ targetFiles: ['a.ts'], successCriteria: ['works'], context: 'ctx' }));
    const ownWords = prompt.split('\n').filter(line => !/^(# Add a login form|What the agent must do\.|Target files:|- a\.ts|Success criteria:|- \[ \] works|Context:|ctx|)$/.test(line));
    assert.deepEqual(ownWords, []);
  });

  it('does not repeat the title when a plain Markdown task’s prompt starts with it', () => {
    assert.equal(composePrompt(aTask({ prompt: '# Add a login form\n\nMake it accessible.' })), '# Add a login form\n\nMake it accessible.\n');
    assert.equal(composePrompt(aTask({ prompt: 'Add a login form\nMake it accessible.' })), '# Add a login form\n\nMake it accessible.\n');
  });

  it('normalises bullets and CRLF, and keeps the title on one line', () => {
    const prompt = composePrompt(aTask({ title: 'Fix\n  the   bug', prompt: 'Line one\r\nLine two\r\n', targetFiles: ['- src/a.ts', '* src/b.ts'], successCriteria: ['- [ ] passes'] }));
    assert.equal(prompt, '# Fix the bug\n\nLine one\nLine two\n\nTarget files:\n- src/a.ts\n- src/b.ts\n\nSuccess criteria:\n- [ ] passes\n');
  });

  it('falls back to the body when a task has no sections at all', () => {
    assert.equal(composePrompt(aTask({ prompt: '', body: '# Add a login form\n\nFree text only.\n' })), '# Add a login form\n\nFree text only.\n');
    assert.equal(composePrompt(aTask({ prompt: '', body: '' })), '# Add a login form\n');
  });

  it('never sends a human-only section: ## Notes, **Notes:** and ATO’s own ## Result stay out of what the agent reads', () => {
    const files = [
      ['structured.task.md', '---\ntype: fix\n---\n# Fix the login\n\n**Prompt:**\nMake it work.\n\n## Notes\nHUMAN-ONLY call Bob first\n\n**Context:**\nWe use React.\n**Notes:** HUMAN-ONLY inline\n\n<!-- ato:result run=r1 -->\n## Result\n\nHUMAN-ONLY last run said hi\n'],
      ['plain.md', '# Fix the login\n\nMake it work.\n\n## Notes\nHUMAN-ONLY call Bob first\n'],
      ['heading-only.task.md', '---\npriority: high\n---\n## Fix the login\n\nMake it work.\n\n### Notes\nHUMAN-ONLY deeper\n'],
    ] as const;
    for (const [fileName, text] of files) {
      const { task, diagnostics } = parseTaskFile(text, fileName);
      assert.ok(task !== undefined, JSON.stringify(diagnostics));
      const prompt = composePrompt(task);
      assert.doesNotMatch(prompt, /HUMAN-ONLY|Notes|Result/, fileName);
      assert.match(prompt, /^# Fix the login\n\n(?:## Fix the login\n\n)?Make it work\./, fileName);
    }
  });

  it('leaves human-only sections out of the body fallback too', () => {
    assert.equal(composePrompt(aTask({ prompt: '', body: '# Add a login form\n\nFree text.\n\n## Notes\nnot for the agent\n' })), '# Add a login form\n\nFree text.\n');
  });
});
