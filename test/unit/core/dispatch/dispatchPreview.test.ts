import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AgentBackend, AgentHealth } from '../../../../src/core/agents/agentBackend';
import { AgentRegistry } from '../../../../src/core/agents/fleet/agentRegistry';
import { computeSuccessRates } from '../../../../src/core/agents/fleet/successRates';
import { dispatchPreviewJsonSchema, dispatchPreviewOf, dispatchPreviewSchema, renderDispatchPreview } from '../../../../src/core/dispatch/dispatchPreview';
import type { TaskType } from '../../../../src/core/tasks/taskTypes';

function agent(id: string, kind: AgentBackend['kind'], types: readonly TaskType[]): AgentBackend {
  return { id, kind, taskTypes: new Set(types), limits: { concurrent: 2 }, needsWorktree: true } as unknown as AgentBackend;
}

const registry = new AgentRegistry([agent('cheap', 'custom', ['feature']), agent('claude-code', 'claude-code', ['feature', 'review']), agent('reviewer', 'custom', ['review']), agent('sick', 'custom', ['feature'])]);
const health = new Map<string, AgentHealth>([['cheap', { ok: true, detail: '' }], ['claude-code', { ok: true, detail: '' }], ['reviewer', { ok: true, detail: '' }], ['sick', { ok: false, detail: 'the CLI is missing' }]]);
const load = (agentId: string) => (agentId === 'claude-code' ? { active: 1, limit: 2, canStart: true } : { active: 0, limit: 2, canStart: true });

describe('the dispatch preview (ato dispatch <id> --dry-run --json)', () => {
  const file = join(process.cwd(), 'schemas', 'dispatch-preview.schema.json');

  it('schemas/dispatch-preview.schema.json is the JSON Schema generated from the zod schema (ATO_UPDATE_SCHEMAS=1 rewrites it)', async () => {
    const expected = dispatchPreviewJsonSchema();
    if (process.env['ATO_UPDATE_SCHEMAS'] === '1') {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(expected, null, 2)}\n`);
    }
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')) as unknown, expected);
  });

  it('ranks every agent, eligible first by score, with the factors and every reason, and marks the chosen one', () => {
    const decision = registry.select({ type: 'feature', priority: 'medium', agent: 'auto' }, { health, load, successRates: computeSuccessRates([]) });
    assert.equal(decision.status, 'selected');
    const preview = dispatchPreviewOf('add-login', { status: 'start', agentId: 'cheap' }, decision);
    assert.ok(dispatchPreviewSchema.safeParse(preview).success);
    assert.equal(preview.verdict, 'start');
    assert.equal(preview.agentId, 'cheap');
    assert.equal(preview.explicit, false);
    assert.match(preview.reason, /cheap scored highest \(0\.500\)/);
    assert.deepEqual(preview.candidates.map(c => [c.agentId, c.eligible, c.chosen]), [['cheap', true, true], ['claude-code', true, false], ['reviewer', false, false], ['sick', false, false]]);
    const [cheap, claude, reviewer, sick] = preview.candidates;
    assert.deepEqual(cheap?.factors, { weight: 1, successRate: 0.5, load: 0, priorityBonus: 0, costRank: 0 });
    assert.equal(claude?.score, 0.25, 'half loaded: 1 × 0.5 × (1 − 0.5)');
    assert.deepEqual(reviewer?.reasons, ['does not take feature tasks']);
    assert.equal(reviewer.score, null);
    assert.deepEqual(sick?.reasons, ['unhealthy: the CLI is missing']);
    const text = renderDispatchPreview(preview);
    assert.match(text, /^add-login would go to cheap: cheap scored highest/);
    assert.match(text, /→ cheap \(custom\): score 0\.500\n {4}score 0\.500 = weight 1 × success 0\.50/);
    assert.match(text, /✗ sick \(custom\): not eligible\n {4}unhealthy: the CLI is missing/);
  });

  it('a refusal keeps its reason and the ranking that led to it, with nothing chosen', () => {
    const busy = (agentId: string) => ({ active: 2, limit: 2, canStart: agentId === 'nobody' });
    const decision = registry.select({ type: 'feature', priority: 'high', agent: 'claude-code' }, { health, load: busy, successRates: computeSuccessRates([]) });
    const preview = dispatchPreviewOf('add-login', { status: 'busy', reason: decision.reason }, decision);
    assert.equal(preview.verdict, 'busy');
    assert.equal(preview.agentId, 'claude-code');
    assert.equal(preview.explicit, null);
    assert.equal(preview.reason, 'the task names claude-code: at its limit (2/2 running)');
    assert.deepEqual(preview.candidates.map(c => [c.agentId, c.eligible, c.chosen]), [['claude-code', false, false]]);
    assert.match(renderDispatchPreview(preview), /would not start \(busy\)/);
    const early = dispatchPreviewOf('nope', { status: 'notFound', reason: 'No task "nope" in the queue.' }, undefined);
    assert.deepEqual(early, { taskId: 'nope', verdict: 'notFound', agentId: null, explicit: null, reason: 'No task "nope" in the queue.', candidates: [] });
  });
});
