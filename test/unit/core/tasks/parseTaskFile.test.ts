import assert from 'node:assert/strict';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';
import { renderTaskFile } from '../../../../src/core/tasks/taskFileWriter';
import type { DiagnosticSeverity, Task, TaskParseResult } from '../../../../src/core/tasks/task';
import { headingStyleExample, plainExample, productExample, seedExample } from './taskFixtures';

function codes(result: TaskParseResult): string[] {
  return result.diagnostics.map(diagnostic => diagnostic.code);
}

function describeResult(result: TaskParseResult): string {
  return JSON.stringify(result.diagnostics.map(d => `${d.severity} ${d.code} @${d.range.start.line}:${d.range.start.character}: ${d.message}`), null, 1);
}

function withFrontmatter(frontmatter: string, body = '# Title\n\nDo the thing.\n'): string {
  return `---\n${frontmatter}\n---\n${body}`;
}

describe('parseTaskFile', () => {
  describe('the examples', () => {
    it('parses the PRODUCT §3.1 task file into every field', () => {
      const result = parseTaskFile(productExample, 'planning/issue_queue/pending/add-login-form.task.md');
      assert.deepEqual(result.diagnostics, []);
      const expected: Task = {
        id: 'add-login-form',
        title: 'Add a login form',
        type: 'feature',
        priority: 'medium',
        agent: 'auto',
        created: '2026-11-21T10:00:00Z',
        dependsOn: ['other-task-id'],
        cwd: 'packages/web',
        timeoutMs: 30 * 60_000,
        targetFiles: ['src/login.ts'],
        prompt: 'What the agent must do.',
        successCriteria: ['The form validates e-mail addresses'],
        context: 'Background.',
        body: productExample.slice(productExample.indexOf('# Add a login form')),
      };
      assert.deepEqual(result.task, expected);
    });

    it('parses the seed format (.task.md with a blank line after the frontmatter) once its targets are relative', () => {
      const relative = seedExample.replace('- /path/to/file1.py', '- path/to/file1.py').replace('- /path/to/file2.js', '- path/to/file2.js');
      const result = parseTaskFile(relative, 'tasks/review_auth.task.md');
      assert.deepEqual(result.diagnostics, []);
      assert.equal(result.task?.id, 'task_001');
      assert.equal(result.task.title, 'Review the authentication module');
      assert.equal(result.task.type, 'code_review');
      assert.equal(result.task.priority, 'high');
      assert.equal(result.task.created, '2025-08-03T10:30:00Z');
      assert.deepEqual(result.task.targetFiles, ['path/to/file1.py', 'path/to/file2.js']);
      assert.equal(result.task.prompt, 'Detailed description of what you want Claude to do.');
      assert.deepEqual(result.task.successCriteria, ['Specific outcome 1', 'Specific outcome 2']);
      assert.equal(result.task.context, 'Additional background information.');
      assert.equal(result.task.agent, 'auto');
      assert.deepEqual(result.task.dependsOn, []);
      assert.equal(result.task.cwd, undefined);
      assert.equal(result.task.timeoutMs, undefined);
    });

    it('refuses the seed format’s absolute targets, each at its line, saying how to write them', () => {
      const result = parseTaskFile(seedExample, 'tasks/review_auth.task.md');
      assert.equal(result.task, undefined);
      assert.deepEqual(result.diagnostics.map(d => [d.code, d.severity, d.range.start.line]), [['invalid-target', 'error', 10], ['invalid-target', 'error', 11]]);
      assert.match(result.diagnostics[0]?.message ?? '', /"\/path\/to\/file1\.py" is an absolute path: write it relative to the workspace root/);
    });

    it('reports the seed template itself (`type: fix|code_review|…`) as an unknown type at its line', () => {
      const template = seedExample.replace('type: code_review', 'type: fix|code_review|analyze|summarize');
      const result = parseTaskFile(template, 'task.task.md');
      assert.equal(result.task, undefined);
      assert.deepEqual(codes(result), ['unknown-type', 'invalid-target', 'invalid-target']);
      assert.equal(result.diagnostics[0]?.range.start.line, 2);
    });

    it('reads ## headings, any case, checkbox and plain criteria, and leaves fenced blocks alone', () => {
      const result = parseTaskFile(headingStyleExample, 'cookie.task.md');
      assert.deepEqual(result.diagnostics, [], describeResult(result));
      assert.equal(result.task?.type, 'fix');
      assert.equal(result.task.priority, 'high');
      assert.equal(result.task.title, 'Repair the session cookie');
      assert.deepEqual(result.task.dependsOn, ['setup-ci', 'add-login-form']);
      assert.deepEqual(result.task.targetFiles, ['src/session.ts', 'src/login.ts']);
      assert.match(result.task.prompt, /^The session cookie lacks `SameSite`\.\n\n```md\n\*\*Context:\*\*\nnot a section: inside a fence\n# not the title\n```$/);
      assert.deepEqual(result.task.successCriteria, ['Cookie has SameSite=Lax', 'Tests cover it', 'a plain item continued on the next line']);
      assert.equal(result.task.context, 'RFC 6265bis.');
    });

    it('reads back what the task-file writer ("New Task", "Delegate to AI") writes', () => {
      const draft = {
        title: 'Add a login form', prompt: 'Build the form.\n\nValidate input.', type: 'fix', priority: 'high', agent: 'claude-code',
        targetFiles: ['src/login.ts', 'src/login form.css'], successCriteria: ['Validates e-mail', 'Has tests'], context: 'See #12.',
        created: new Date('2026-11-21T10:00:00.000Z'),
      } as const;
      const result = parseTaskFile(renderTaskFile('add-a-login-form', draft), 'add-a-login-form.task.md');
      assert.deepEqual(result.diagnostics, []);
      const { title, prompt, type, priority, agent, targetFiles, successCriteria, context } = draft;
      assert.deepEqual(result.task && { ...result.task, body: undefined }, {
        id: 'add-a-login-form', title, prompt, type, priority, agent, targetFiles, successCriteria, context, created: '2026-11-21T10:00:00Z',
        dependsOn: [], cwd: undefined, timeoutMs: undefined, body: undefined,
      });
    });

    it('parses a plain Markdown file: title from the first line, the whole text as the prompt', () => {
      const result = parseTaskFile(plainExample, '001-flaky-login.md');
      assert.deepEqual(result.diagnostics, []);
      assert.equal(result.task?.id, '001-flaky-login');
      assert.equal(result.task.title, 'Fix the flaky login test');
      assert.equal(result.task.type, 'feature');
      assert.equal(result.task.priority, 'medium');
      assert.equal(result.task.agent, 'auto');
      assert.equal(result.task.prompt, plainExample.trim());
      assert.equal(result.task.body, plainExample);
    });
  });

  describe('pathological input', () => {
    // Each of these took minutes with backtracking regular expressions; linear code takes milliseconds.
    const long = 200_000;
    const cases: Record<string, string> = {
      'a bold marker followed by spaces': `# T\n**${' '.repeat(long)}x\n`,
      'a heading of spaces': `---\n---\n## ${' '.repeat(long)}x:x\n`,
      'a title with spaces inside and a closing sequence': `---\n---\n# ${' '.repeat(long)}x${' '.repeat(long)}#x\n`,
      'a plain title of spaces and hashes': `${' '.repeat(long)}x${' '.repeat(long)}#x\n`,
      'a list item of spaces ending in a line separator': `# T\n**Target Files:**\n-${' '.repeat(long)}x${' '.repeat(long)}\u2028\n**Prompt:** p\n`,
      'a target with many separators': `# T\n**Target Files:**\n- a${' -'.repeat(long)}\n**Prompt:** p\n`,
      'a target with many backticks': `# T\n**Target Files:**\n- ${'`'.repeat(long)}\n**Prompt:** p\n`,
      'an id of dashes': `---\nid: a${'-'.repeat(long)}!\n---\n# T\nx\n`,
      'many repeated sections': `# T\n${'**Prompt:**\nx\n'.repeat(long / 10)}`,
    };
    for (const [name, text] of Object.entries(cases)) {
      it(`stays fast on ${name}`, () => {
        const started = performance.now();
        parseTaskFile(text, 'x.md');
        assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
      });
    }
  });

  it('takes the slug of a file name that is not slug-like as the id, with a hint', () => {
    const result = parseTaskFile(plainExample, 'Fix the login!.md');
    assert.equal(result.task?.id, 'fix-the-login');
    const hint = result.diagnostics.find(d => d.code === 'id-from-file-name');
    assert.equal(hint?.severity, 'hint');
    assert.equal(hint.range.start.line, 0);
    assert.match(hint.message, /fix-the-login/);
  });

  describe('valid files', () => {
    interface ValidCase {
      readonly name: string;
      readonly text: string;
      readonly fileName?: string;
      readonly expect: Partial<Task>;
      /** Diagnostics that come with the task (codes, in order); none when omitted. */
      readonly diagnostics?: readonly (readonly [code: string, severity: DiagnosticSeverity, line: number])[];
    }
    const prefixCases = ([
      ['gap-analysis-2026.md', 'gap_analysis'], ['system-update.md', 'capability_update'], ['capability-x.md', 'capability_update'],
      ['capabilities-x.md', 'capability_update'], ['review-2026-11-21.md', 'review'], ['maintenance-deps.md', 'maintenance'],
      ['add-thing.md', 'feature'], ['gapless.md', 'feature'], ['Review-Upper.md', 'review'],
    ] as const).map(([fileName, type]): ValidCase => ({ name: `type ${type} from the file name ${fileName}`, text: 'Do it\n', fileName, expect: { type } }));
    const aliasCases = ([
      ['type', 'bug_fix', 'fix'], ['type', 'bugfix', 'fix'], ['type', 'bug', 'fix'], ['type', 'Bug-Fix', 'fix'],
      ['type', 'ci-fix', 'ci_fix'], ['type', 'cifix', 'ci_fix'], ['type', 'review_code', 'code_review'], ['type', 'code-review', 'code_review'],
      ['type', 'CodeReview', 'code_review'], ['type', 'docs', 'documentation'], ['type', 'doc', 'documentation'], ['type', 'gap', 'gap_analysis'],
      ['type', 'gap-analysis', 'gap_analysis'], ['type', 'capability', 'capability_update'], ['type', 'capabilities', 'capability_update'],
      ['type', 'analysis', 'analyze'], ['type', 'summary', 'summarize'], ['type', 'chore', 'maintenance'],
      ['priority', 'urgent', 'critical'], ['priority', 'normal', 'medium'], ['priority', 'p0', 'critical'], ['priority', 'P1', 'high'],
      ['priority', 'p2', 'medium'], ['priority', 'p3', 'low'], ['agent', 'claude_code', 'claude-code'],
    ] as const).map(([key, written, canonical]): ValidCase => ({
      name: `${key}: ${written} → ${canonical}, with a hint naming it`,
      text: withFrontmatter(`${key}: ${written}`),
      expect: { [key]: canonical },
      diagnostics: [[`${key}-alias`, 'hint', 1]],
    }));
    const timeoutCases = ([
      ['30m', 30 * 60_000], ['1h30m', 90 * 60_000], ['1h 30m', 90 * 60_000], ['90s', 90_000], ['2h', 2 * 3_600_000],
      ['45', 45 * 60_000], ['1.5h', 90 * 60_000], ['2 hours', 2 * 3_600_000], ['24h', 24 * 3_600_000], ['"10M"', 10 * 60_000],
    ] as const).map(([written, ms]): ValidCase => ({ name: `timeout: ${written}`, text: withFrontmatter(`timeout: ${written}`), expect: { timeoutMs: ms } }));
    const cases: readonly ValidCase[] = [
      ...prefixCases,
      ...aliasCases,
      ...timeoutCases,
      { name: 'keys and canonical values in any case, silently', text: withFrontmatter('ID: abc\nType: Feature\nPRIORITY: HIGH\nAgent: Copilot'), expect: { id: 'abc', type: 'feature', priority: 'high', agent: 'copilot' } },
      { name: 'every type and priority by its canonical name', text: withFrontmatter('type: capability_update\npriority: emergency'), expect: { type: 'capability_update', priority: 'emergency' } },
      { name: 'the type from the file name when the frontmatter has none', text: withFrontmatter('priority: low'), fileName: 'gap-2026.task.md', expect: { type: 'gap_analysis', priority: 'low' } },
      { name: 'id defaults to the file name without .task.md', text: plainExample, fileName: '/abs/planning/issue_queue/pending/fix-it.task.md', expect: { id: 'fix-it' } },
      { name: 'id defaults to the file name without .md (any case), from a Windows path', text: plainExample, fileName: 'C:\\w\\planning\\Fix_It.2.MD', expect: { id: 'Fix_It.2' } },
      { name: 'an id in the frontmatter wins over the file name', text: withFrontmatter('id: 007'), fileName: 'Not A Slug.md', expect: { id: '007' } },
      { name: 'depends_on as a flow list', text: withFrontmatter('depends_on: [a, b.c, d_e]'), expect: { dependsOn: ['a', 'b.c', 'd_e'] } },
      { name: 'depends_on as a block list', text: withFrontmatter('depends_on:\n  - a\n  - b'), expect: { dependsOn: ['a', 'b'] } },
      { name: 'depends_on as a single id', text: withFrontmatter('depends_on: other-task'), expect: { dependsOn: ['other-task'] } },
      { name: 'depends_on as a comma-separated string', text: withFrontmatter('depends_on: a, b'), expect: { dependsOn: ['a', 'b'] } },
      { name: 'an empty depends_on', text: withFrontmatter('depends_on: []'), expect: { dependsOn: [] } },
      { name: 'a custom agent id', text: withFrontmatter('agent: my-codex_2'), expect: { agent: 'my-codex_2' } },
      { name: 'agent defaults to auto', text: withFrontmatter('type: fix'), expect: { agent: 'auto' } },
      { name: 'created as a date', text: withFrontmatter('created: 2026-02-28'), expect: { created: '2026-02-28' } },
      { name: 'created with an offset and fractions', text: withFrontmatter('created: 2024-02-29T23:59:59.123+05:30'), expect: { created: '2024-02-29T23:59:59.123+05:30' } },
      { name: 'a relative cwd', text: withFrontmatter('cwd: ./packages/web'), expect: { cwd: './packages/web' } },
      { name: 'an empty frontmatter', text: '---\n---\n# T\nbody\n', expect: { title: 'T', prompt: '# T\nbody' } },
      { name: 'a frontmatter of comments only', text: '---\n# just a comment\n---\n# T\nbody\n', expect: { title: 'T' } },
      { name: 'null-ish optional values count as unset', text: withFrontmatter('cwd: ~\ntimeout: null\ncreated:'), expect: { cwd: undefined, timeoutMs: undefined, created: undefined } },
      { name: 'YAML anchors and aliases', text: withFrontmatter('id: &me abc\nagent: &a jules\ndepends_on: [*me, b]\ntype: fix'), expect: { dependsOn: ['abc', 'b'], agent: 'jules' } },
      { name: 'blank lines before the frontmatter', text: '\n\n---\ntype: fix\n---\n# T\nx\n', expect: { type: 'fix', title: 'T' } },
      { name: 'a closing "..." fence', text: '---\ntype: fix\n...\n# T\nx\n', expect: { type: 'fix' } },
      { name: 'CRLF line endings', text: withFrontmatter('type: fix\r\npriority: high').replace(/\n/g, '\r\n'), expect: { type: 'fix', priority: 'high', title: 'Title', prompt: '# Title\r\n\r\nDo the thing.' } },
      { name: 'a byte-order mark', text: `\uFEFF${withFrontmatter('type: fix')}`, expect: { type: 'fix' } },
      { name: 'an inline prompt after the label, bold label with the colon outside', text: withFrontmatter('type: fix', '# T\n**Prompt**: fix the bug\nin two lines\n'), expect: { prompt: 'fix the bug\nin two lines' } },
      { name: 'the prompt is the body when there is no Prompt section', text: withFrontmatter('type: fix', '# T\n\nJust do it.\n'), expect: { prompt: '# T\n\nJust do it.' } },
      { name: 'a setext title', text: withFrontmatter('type: fix', 'The title\n=========\n\n**Prompt:**\nx\n'), expect: { title: 'The title', prompt: 'x' } },
      { name: 'a closing ATX sequence is not part of the title', text: withFrontmatter('type: fix', '# Fix issue #42 ##\nx\n'), expect: { title: 'Fix issue #42' } },
      { name: 'plain Markdown: leading #s stripped, title line kept in the prompt', text: '### Update the docs\n', fileName: 'docs.md', expect: { title: 'Update the docs', prompt: '### Update the docs' } },
      { name: 'plain Markdown starting with a section: the first line of its content is the title', text: '**Prompt:**\nRename foo to bar\n', fileName: 'rename.md', expect: { title: 'Rename foo to bar', prompt: 'Rename foo to bar' } },
      { name: 'a thematic break in plain Markdown is not frontmatter when text precedes it', text: 'Title\n---\nmore\n', fileName: 'x.md', expect: { title: 'Title' } },
      { name: 'target file items: backticks, links, quotes, descriptions, numbered and checkbox items', text: withFrontmatter('type: fix', '# T\n**Target Files:**\n- `a b.ts`\n* [x](docs/x.md)\n+ "q r.ts"\n1. src/one.ts — the entry\n- [ ] src/two.ts\nnot an item\n\n**Prompt:** p\n'), expect: { targetFiles: ['a b.ts', 'docs/x.md', 'q r.ts', 'src/one.ts', 'src/two.ts'], prompt: 'p' } },
      { name: 'a repeated section is joined, with a warning', text: withFrontmatter('type: fix', '# T\n**Prompt:**\none\n**Prompt:**\ntwo\n'), expect: { prompt: 'one\ntwo' }, diagnostics: [['repeated-section', 'warning', 6]] },
      { name: 'an unknown key is a warning and the task stays valid', text: withFrontmatter('type: fix\nowner: me'), expect: { type: 'fix' }, diagnostics: [['unknown-key', 'warning', 2]] },
      { name: 'a key alias is a hint', text: withFrontmatter('dependencies: [a]'), expect: { dependsOn: ['a'] }, diagnostics: [['key-alias', 'hint', 1]] },
      { name: 'an unparseable created is a warning and is ignored', text: withFrontmatter('created: yesterday'), expect: { created: undefined }, diagnostics: [['invalid-created', 'warning', 1]] },
      { name: 'created on a day that does not exist is a warning', text: withFrontmatter('created: 2026-02-29'), expect: { created: undefined }, diagnostics: [['invalid-created', 'warning', 1]] },
      { name: 'created in month 13 is a warning', text: withFrontmatter('created: 2026-13-01T00:00:00Z'), expect: { created: undefined }, diagnostics: [['invalid-created', 'warning', 1]] },
      { name: 'a dependency listed twice is a warning', text: withFrontmatter('depends_on: [a, a]'), expect: { dependsOn: ['a'] }, diagnostics: [['duplicate-dependency', 'warning', 1]] },
      { name: 'an empty type is a warning; the default applies', text: withFrontmatter('type:'), fileName: 'review-x.md', expect: { type: 'review' }, diagnostics: [['empty-value', 'warning', 1]] },
      { name: 'an id of 128 characters', text: withFrontmatter(`id: ${'a'.repeat(128)}`), expect: { id: 'a'.repeat(128) } },
      { name: 'an id with "lock" not after a dot, and dots between letters', text: withFrontmatter('id: un.lock-x.v2'), expect: { id: 'un.lock-x.v2' } },
      { name: 'a cwd that goes up and stays inside', text: withFrontmatter('cwd: packages/web/../api'), expect: { cwd: 'packages/web/../api' } },
      { name: 'a target that goes up and stays inside, and one named "..x"', text: withFrontmatter('type: fix', '# T\n**Target Files:**\n- src/a/../b.ts\n- ..x/y\n**Prompt:** p\n'), expect: { targetFiles: ['src/a/../b.ts', '..x/y'] } },
      { name: 'the only heading is ## Heading: it is the title, with a hint', text: withFrontmatter('type: fix', '## Fix the login\n\nThe login fails.\n'), expect: { title: 'Fix the login', prompt: '## Fix the login\n\nThe login fails.' }, diagnostics: [['title-from-heading', 'hint', 3]] },
      { name: 'the first of several ## headings is the title, and it is not repeated in a section', text: withFrontmatter('type: fix', '## Fix the login\n**Prompt:**\nDo it.\n## Steps\n1. a\n'), expect: { title: 'Fix the login', prompt: 'Do it.\n## Steps\n1. a' }, diagnostics: [['title-from-heading', 'hint', 3]] },
      { name: 'a # Title later in the file wins over an earlier ## heading, without a hint', text: withFrontmatter('type: fix', '## Intro\n# Real title\n**Prompt:** p\n'), expect: { title: 'Real title' } },
      { name: '## Notes is left out of the prompt (no Prompt section)', text: withFrontmatter('type: fix', '# T\n\nDo the thing.\n\n## Notes\nAsk Bob before merging; token is in 1Password.\n'), expect: { prompt: '# T\n\nDo the thing.' } },
      { name: '## Notes is left out of the Prompt and Context sections, and ends at the next ## heading', text: withFrontmatter('type: fix', '# T\n**Prompt:**\nStep one.\n## Notes\nhuman only\n### detail\nstill human\n## Step two\nmore prompt\n**Context:**\nctx\n**Notes:** inline human\nand more\n'), expect: { prompt: 'Step one.\n## Step two\nmore prompt', context: 'ctx' } },
      { name: 'Notes, Internal notes and ATO’s ## Result are human-only, in any case', text: withFrontmatter('type: fix', '# T\n**Prompt:** p\n## internal NOTES:\nsecret\n## Result\n<!-- ato:result run=r1 -->\nsummary of the last run\n'), expect: { prompt: 'p' } },
      { name: 'a Notes section before any other keeps plain Markdown’s prompt clean', text: '# Fix it\n\n## Notes\nfor me\n\n# Details\nReal work.\n', fileName: 'fix-it.md', expect: { title: 'Fix it', prompt: '# Fix it\n\n# Details\nReal work.' } },
      { name: 'a ## Notes inside a fenced block is content', text: withFrontmatter('type: fix', '# T\n**Prompt:**\n```md\n## Notes\nkept\n```\n'), expect: { prompt: '```md\n## Notes\nkept\n```' } },
      { name: 'an agent one edit from a built-in is accepted with a hint', text: withFrontmatter('agent: copliot'), expect: { agent: 'copliot' }, diagnostics: [['unknown-agent', 'hint', 1]] },
    ];
    for (const testCase of cases) {
      it(testCase.name, () => {
        const result = parseTaskFile(testCase.text, testCase.fileName ?? 'task.task.md');
        assert.ok(result.task !== undefined, describeResult(result));
        assert.deepEqual(result.diagnostics.map(d => [d.code, d.severity, d.range.start.line]), testCase.diagnostics ?? [], describeResult(result));
        for (const [key, value] of Object.entries(testCase.expect)) assert.deepEqual(result.task[key as keyof Task], value, key);
      });
    }

    it('names the canonical value in each alias hint', () => {
      const result = parseTaskFile(withFrontmatter('type: chore\npriority: urgent'), 'x.md');
      assert.match(result.diagnostics[0]?.message ?? '', /"maintenance"/);
      assert.match(result.diagnostics[1]?.message ?? '', /"critical"/);
    });
  });

  describe('invalid files', () => {
    interface InvalidCase {
      readonly name: string;
      readonly text: string;
      readonly fileName?: string;
      readonly code: string;
      readonly severity?: DiagnosticSeverity;
      readonly line: number;
      /** Zero-based character range of the diagnostic on its line, when the case pins it. */
      readonly characters?: readonly [number, number];
      readonly message?: RegExp;
    }
    const cases: readonly InvalidCase[] = [
      { name: 'bad YAML: an unclosed flow list', text: withFrontmatter('type: fix\ndepends_on: [a, b\npriority: high'), code: 'yaml-syntax', line: 3 },
      { name: 'bad YAML: a nested compact mapping', text: withFrontmatter('type: fix\ncwd: a: b'), code: 'yaml-syntax', line: 2, characters: [5, 6] },
      { name: 'bad YAML: an unterminated quote', text: withFrontmatter('id: "abc'), code: 'yaml-syntax', line: 1 },
      { name: 'bad YAML: a tab in the indentation', text: withFrontmatter('depends_on:\n\t- a'), code: 'yaml-syntax', line: 2 },
      { name: 'frontmatter without its closing ---', text: '---\ntype: fix\n# Title\nbody\n', code: 'frontmatter-unterminated', line: 0, characters: [0, 3] },
      { name: 'a frontmatter over 64 KiB', text: withFrontmatter(`depends_on:\n${'  - a\n'.repeat(12_000)}type: fix`), code: 'frontmatter-too-large', line: 0, characters: [0, 3] },
      { name: 'frontmatter that is a list', text: withFrontmatter('- a\n- b'), code: 'frontmatter-not-mapping', line: 1 },
      { name: 'frontmatter that is a single word', text: withFrontmatter('feature'), code: 'frontmatter-not-mapping', line: 1 },
      { name: 'a duplicate key', text: withFrontmatter('type: fix\npriority: low\ntype: feature'), code: 'duplicate-key', line: 3, characters: [0, 4] },
      { name: 'a duplicate key differing in case', text: withFrontmatter('type: fix\nTYPE: fix'), code: 'duplicate-key', line: 2 },
      { name: 'a duplicate key through an alias', text: withFrontmatter('depends_on: [a]\ndependencies: [b]'), code: 'duplicate-key', line: 2 },
      { name: 'a key that is not text', text: withFrontmatter('? [a, b]\n: 1'), code: 'invalid-key', line: 1 },
      { name: 'an id that is not slug-like', text: withFrontmatter('id: add login form'), code: 'invalid-id', line: 1, characters: [4, 18], message: /add-login-form/ },
      { name: 'an id starting with a dash', text: withFrontmatter('id: "-x"'), code: 'invalid-id', line: 1 },
      { name: 'an unknown type names the nearest', text: withFrontmatter('type: feture'), code: 'unknown-type', line: 1, characters: [6, 12], message: /did you mean "feature"/ },
      { name: 'an unknown type near an alias names its canonical value', text: withFrontmatter('priority: low\ntype: bugfx'), code: 'unknown-type', line: 2, message: /"fix"/ },
      { name: 'an unknown type far from everything still names one', text: withFrontmatter('type: zzzzzzzz'), code: 'unknown-type', line: 1, message: /did you mean "[a-z_]+"\? Valid types: feature, fix/ },
      { name: 'an alias to a value that is not a type: the range is the alias', text: withFrontmatter('cwd: &dir web\ntype: *dir'), code: 'unknown-type', line: 2, characters: [6, 10] },
      { name: 'a type that is a list', text: withFrontmatter('type: [fix, feature]'), code: 'invalid-value', line: 1 },
      { name: 'an unknown priority names the nearest', text: withFrontmatter('priority: hihg'), code: 'unknown-priority', line: 1, characters: [10, 14], message: /did you mean "high"/ },
      { name: 'a quoted unknown priority: the range covers the quotes', text: withFrontmatter('priority: "meduim"'), code: 'unknown-priority', line: 1, characters: [10, 18], message: /"medium"/ },
      { name: 'an agent that is not an id', text: withFrontmatter('agent: claude code!'), code: 'invalid-agent', line: 1 },
      { name: 'a depends_on item that is not an id', text: withFrontmatter('depends_on:\n  - ok\n  - not ok!'), code: 'invalid-depends-on', line: 3 },
      { name: 'a depends_on mapping', text: withFrontmatter('depends_on: {a: b}'), code: 'invalid-depends-on', line: 1 },
      { name: 'a depends_on item that is a list', text: withFrontmatter('depends_on: [[a]]'), code: 'invalid-depends-on', line: 1 },
      { name: 'an absolute cwd', text: withFrontmatter('cwd: /etc'), code: 'invalid-cwd', line: 1, characters: [5, 9] },
      { name: 'a Windows absolute cwd', text: withFrontmatter("cwd: 'C:\\work'"), code: 'invalid-cwd', line: 1 },
      { name: 'a home-relative cwd', text: withFrontmatter('cwd: ~/src'), code: 'invalid-cwd', line: 1 },
      { name: 'a cwd list', text: withFrontmatter('cwd: [a, b]'), code: 'invalid-value', line: 1 },
      { name: 'an unparseable timeout', text: withFrontmatter('timeout: soon'), code: 'invalid-timeout', line: 1, characters: [9, 13] },
      { name: 'a timeout with an unknown unit', text: withFrontmatter('timeout: 3 fortnights'), code: 'invalid-timeout', line: 1 },
      { name: 'a timeout with a dangling number', text: withFrontmatter('timeout: 1h30'), code: 'invalid-timeout', line: 1 },
      { name: 'a zero timeout', text: withFrontmatter('timeout: 0'), code: 'invalid-timeout', line: 1 },
      { name: 'a timeout over 24h', text: withFrontmatter('timeout: 25h'), code: 'timeout-too-long', line: 1 },
      { name: 'a bare-number timeout over 24h of minutes', text: withFrontmatter('timeout: 1441'), code: 'timeout-too-long', line: 1 },
      { name: 'no title after the frontmatter', text: withFrontmatter('type: fix', '\nJust text, no heading.\n'), code: 'missing-title', line: 4 },
      { name: 'a section label is not a title', text: withFrontmatter('type: fix', '## Prompt\ntext\n'), code: 'missing-title', line: 3 },
      { name: 'a heading inside ## Notes is not a title', text: withFrontmatter('type: fix', '**Prompt:** do it\n## Notes\n### Ideas\n'), code: 'missing-title', line: 3 },
      { name: 'a cwd that climbs out of the workspace', text: withFrontmatter('cwd: ../../..'), code: 'cwd-outside-workspace', line: 1, characters: [5, 13], message: /climbs out with "\.\."/ },
      { name: 'a cwd that climbs out after going in', text: withFrontmatter('cwd: packages/../../x'), code: 'cwd-outside-workspace', line: 1 },
      { name: 'a cwd that climbs out with backslashes', text: withFrontmatter("cwd: '..\\..'"), code: 'cwd-outside-workspace', line: 1 },
      { name: 'an absolute target', text: withFrontmatter('type: fix', '# T\n**Target Files:**\n- /etc/passwd\n**Prompt:** p\n'), code: 'invalid-target', line: 5, characters: [2, 13], message: /is an absolute path/ },
      { name: 'a target that climbs out', text: withFrontmatter('type: fix', '# T\n**Target Files:**\n- src/a.ts\n- `../../../root/.ssh/id_rsa`\n**Prompt:** p\n'), code: 'target-outside-workspace', line: 6, characters: [3, 28] },
      { name: 'a target in the home folder', text: withFrontmatter('type: fix', '# T\n**Target Files:**\n- ~/.ssh/id_rsa\n**Prompt:** p\n'), code: 'invalid-target', line: 5, message: /"~"/ },
      { name: 'a Windows absolute target', text: withFrontmatter('type: fix', '# T\n**Target Files:**\n- C:\\Windows\\win.ini\n**Prompt:** p\n'), code: 'invalid-target', line: 5 },
      { name: 'an id git refuses: .lock at the end', text: withFrontmatter('id: foo.lock'), code: 'invalid-id', line: 1, message: /"foo\.lock".*ends with "\.lock", which git refuses in the branch name "ato\/foo\.lock".*"foo-lock"/ },
      { name: 'an id git refuses: ..', text: withFrontmatter('id: a..b'), code: 'invalid-id', line: 1, message: /contains "\.\."/ },
      { name: 'an id git refuses: a trailing .', text: withFrontmatter('id: ends.'), code: 'invalid-id', line: 1, message: /ends with "\."/ },
      { name: 'an id over 128 characters', text: withFrontmatter(`id: ${'a'.repeat(129)}`), code: 'invalid-id', line: 1, message: /129 characters long; ids may have at most 128/ },
      { name: 'an id from the file name git refuses: .lock', text: plainExample, fileName: 'foo.lock.md', code: 'invalid-id', line: 0, message: /The file name gives the id "foo\.lock".*ends with "\.lock".*"id: foo-lock"/ },
      { name: 'an id from the file name git refuses: ..', text: plainExample, fileName: 'a..b.task.md', code: 'invalid-id', line: 0, message: /"id: a\.b"/ },
      { name: 'an id from the file name git refuses: a trailing .', text: plainExample, fileName: 'x..md', code: 'invalid-id', line: 0, message: /ends with "\."/ },
      { name: 'an id from a file name over 128 characters', text: plainExample, fileName: `${'b'.repeat(129)}.md`, code: 'invalid-id', line: 0, message: /129 characters/ },
      { name: 'a plain file of blank lines has no title', text: '\n  \n\t\n', fileName: 'blank.md', code: 'missing-title', line: 0 },
      { name: 'a plain file of blank lines has no prompt', text: '\n  \n\t\n', fileName: 'blank.md', code: 'empty-prompt', line: 0 },
      { name: 'an empty file', text: '', fileName: 'empty.md', code: 'empty-prompt', line: 0 },
      { name: 'frontmatter with no body', text: '---\ntype: fix\n---\n', code: 'empty-prompt', line: 2 },
      { name: 'an empty Prompt section', text: withFrontmatter('type: fix', '# T\n\n**Prompt:**\n\n**Context:**\nsome\n'), code: 'empty-prompt', line: 5, characters: [0, 11] },
    ];
    for (const testCase of cases) {
      it(`${testCase.name} → ${testCase.code}`, () => {
        const result = parseTaskFile(testCase.text, testCase.fileName ?? 'task.task.md');
        const found = result.diagnostics.find(d => d.code === testCase.code);
        assert.ok(found !== undefined, describeResult(result));
        assert.equal(found.severity, testCase.severity ?? 'error', describeResult(result));
        assert.equal(found.range.start.line, testCase.line, describeResult(result));
        if (testCase.characters !== undefined) {
          assert.deepEqual([found.range.start.character, found.range.end.line, found.range.end.character], [testCase.characters[0], testCase.line, testCase.characters[1]], describeResult(result));
        }
        if (testCase.message !== undefined) assert.match(found.message, testCase.message);
        assert.equal(result.task, undefined);
      });
    }

    it('reports every problem of a file at once, ordered by position', () => {
      const result = parseTaskFile(withFrontmatter('type: feture\npriority: hihg\ntimeout: soon\nowner: x', '\nno title\n'), 'x.md');
      assert.deepEqual(codes(result), ['unknown-type', 'unknown-priority', 'invalid-timeout', 'unknown-key', 'missing-title']);
    });

    it('shows at most 200 problems, errors first, and says how many more there are', () => {
      const hints = Array.from({ length: 300 }, (_, i) => `- [x] item ${i}`).join('\n');
      const text = withFrontmatter(`depends_on: [${Array.from({ length: 400 }, () => 'a').join(', ')}, not ok]`, `# T\n**Success Criteria:**\n${hints}\n`);
      const result = parseTaskFile(text, 'x.md');
      assert.equal(result.diagnostics.length, 200);
      assert.deepEqual(result.diagnostics.filter(d => d.severity === 'error').map(d => d.code), ['invalid-depends-on']);
      assert.equal(result.diagnostics.filter(d => d.code === 'duplicate-dependency').length, 198);
      assert.match(result.diagnostics.find(d => d.code === 'too-many-problems')?.message ?? '', /^201 more problems/);
      assert.equal(result.task, undefined);
    });

    it('never throws on input that is not a string, and says so', () => {
      const result = parseTaskFile(undefined as unknown as string, 'x.md');
      assert.equal(result.task, undefined);
      assert.deepEqual(codes(result), ['internal-error']);
    });
  });
});
