import assert from 'node:assert/strict';
import { ClaudeCodeBackend } from '../../../../src/core/agents/claudeCode/claudeCodeBackend';
import { setFrontmatterScalar } from '../../../../src/core/tasks/frontmatterEdit';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';

const file = (frontmatter: string): string => `---\nid: t\n${frontmatter}\n---\n# Title\n\nDo the thing.\n`;

describe('budget_usd: the task\'s spend cap', () => {
  it('reads a number of dollars (a leading $ too) and 0; refuses text, a negative and more than 10,000 with a clear error', () => {
    for (const [written, usd] of [['2.5', 2.5], ['$3', 3], ['0', 0], ['10000', 10_000]] as const) {
      const result = parseTaskFile(file(`budget_usd: ${written}`), 't.task.md');
      assert.equal(result.task?.budgetUsd, usd, written);
    }
    for (const [written, code] of [['lots', 'invalid-budget'], ['-1', 'invalid-budget'], ['10000.5', 'budget-too-high']] as const) {
      const result = parseTaskFile(file(`budget_usd: ${written}`), 't.task.md');
      assert.equal(result.task, undefined, written);
      assert.deepEqual(result.diagnostics.filter(d => d.severity === 'error').map(d => d.code), [code], written);
    }
    const none = parseTaskFile(file('agent: auto'), 't.task.md');
    assert.ok(none.task !== undefined);
    assert.equal(none.task.budgetUsd, undefined);
  });

  it('setFrontmatterScalar replaces the key in place, adds it before the closing fence, or adds a frontmatter; the rest is kept byte for byte', () => {
    assert.equal(setFrontmatterScalar(file('budget_usd: 0.01\nagent: x'), 'budget_usd', '5'), file('budget_usd: 5\nagent: x'));
    assert.equal(setFrontmatterScalar(file('agent: x'), 'budget_usd', '5'), file('agent: x\nbudget_usd: 5'));
    assert.equal(setFrontmatterScalar('# Plain\n\nBody\n', 'budget_usd', '5'), '---\nbudget_usd: 5\n---\n# Plain\n\nBody\n');
    assert.equal(setFrontmatterScalar('---\r\nid: t\r\n---\r\n# T\r\n', 'budget_usd', '5'), '---\r\nid: t\r\nbudget_usd: 5\r\n---\r\n# T\r\n');
    const edited = setFrontmatterScalar(file('budget_usd: 1'), 'budget_usd', '7.5');
    assert.equal(setFrontmatterScalar(edited, 'budget_usd', '7.5'), edited, 'idempotent');
    assert.throws(() => setFrontmatterScalar('---\nid: t\n# no end\n', 'budget_usd', '5'), /no closing/);
    assert.throws(() => setFrontmatterScalar(file(''), 'budget_usd', '5\nagent: evil'), /not a plain frontmatter scalar/);
  });

  it('Claude Code gets the lower of its own cap and the task\'s as --max-budget-usd', () => {
    const capped = new ClaudeCodeBackend({ maxBudgetUsd: 3 });
    const flag = (args: readonly string[]): string | undefined => args[args.indexOf('--max-budget-usd') + 1];
    assert.equal(flag(capped.argsFor('feature', { budgetUsd: 1.25 })), '1.25');
    assert.equal(flag(capped.argsFor('feature', { budgetUsd: 9 })), '3');
    assert.equal(flag(new ClaudeCodeBackend({}).argsFor('feature', { budgetUsd: 2 })), '2');
    assert.ok(!new ClaudeCodeBackend({}).argsFor('feature', {}).includes('--max-budget-usd'));
  });
});
