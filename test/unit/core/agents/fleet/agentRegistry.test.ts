import assert from 'node:assert/strict';
import type { AgentBackend, AgentHealth } from '../../../../../src/core/agents/agentBackend';
import { AgentRegistry, type AgentPreferences, type SelectionDecision, type SelectionInputs } from '../../../../../src/core/agents/fleet/agentRegistry';
import { ConcurrencyLimiter } from '../../../../../src/core/agents/fleet/concurrencyLimiter';
import { computeSuccessRates, type SuccessRates } from '../../../../../src/core/agents/fleet/successRates';
import { taskTypes, type TaskPriority, type TaskType } from '../../../../../src/core/tasks/taskTypes';
import { aRunRecord } from '../../../../support/runRecords';

function aBackend(id: string, kind: AgentBackend['kind'], types: readonly TaskType[] = taskTypes, concurrent = 2): AgentBackend {
  const unused = () => Promise.reject(new Error('not used by selection'));
  return { id, kind, taskTypes: new Set(types), limits: { concurrent }, needsWorktree: kind === 'claude-code' || kind === 'custom', health: unused, dispatch: unused, poll: unused, wait: unused, cancel: unused };
}

const ok: AgentHealth = { ok: true, detail: 'ready' };

interface Setup {
  readonly backends: readonly AgentBackend[];
  readonly preferences?: Readonly<Record<string, AgentPreferences>>;
  readonly unhealthy?: readonly string[];
  readonly unchecked?: readonly string[];
  /** Running runs per agent. */
  readonly busy?: Readonly<Record<string, number>>;
  readonly overall?: number;
  readonly rates?: Readonly<Record<string, number>>;
  readonly exclude?: readonly string[];
  /** Agents out of headroom, with the reasons the fleet gives. */
  readonly closed?: Readonly<Record<string, readonly string[]>>;
}

function decide(setup: Setup, task: { agent?: string; type?: TaskType; priority?: TaskPriority } = {}): SelectionDecision {
  const registry = new AgentRegistry(setup.backends, new Map(Object.entries(setup.preferences ?? {})));
  const limiter = ConcurrencyLimiter.fromBackends(setup.backends, setup.overall ?? 10);
  for (const [agentId, count] of Object.entries(setup.busy ?? {})) for (let i = 0; i < count; i++) limiter.adopt(agentId);
  const health = new Map<string, AgentHealth>();
  for (const backend of setup.backends) {
    if (setup.unchecked?.includes(backend.id) === true) continue;
    health.set(backend.id, setup.unhealthy?.includes(backend.id) === true ? { ok: false, detail: '`claude` not found on PATH' } : ok);
  }
  const successRates: SuccessRates = {
    rate: agentId => setup.rates?.[agentId] ?? 0.5,
    stats: agentId => ({ succeeded: 0, failed: 0, rate: setup.rates?.[agentId] ?? 0.5 }),
  };
  const closed = setup.closed;
  const inputs: SelectionInputs = {
    health, load: id => limiter.load(id), successRates, exclude: new Set(setup.exclude ?? []),
    ...(closed === undefined ? {} : { headroom: (id: string) => ({ open: closed[id] === undefined, reasons: closed[id] ?? [] }) }),
  };
  return registry.select({ agent: task.agent ?? 'auto', type: task.type ?? 'feature', priority: task.priority ?? 'medium' }, inputs);
}

function selected(decision: SelectionDecision): string | undefined {
  return decision.status === 'selected' ? decision.agentId : undefined;
}

const claudeCode = aBackend('claude-code', 'claude-code');
const custom = aBackend('codex', 'custom');
const copilot = aBackend('copilot', 'copilot');
const jules = aBackend('jules', 'jules');
const claudeApi = aBackend('claude', 'claude', ['analyze', 'summarize', 'code_review', 'review', 'gap_analysis']);

describe('AgentRegistry.select', () => {
  describe('an explicit agent', () => {
    it('wins over better-scoring agents', () => {
      const decision = decide({ backends: [claudeCode, jules], rates: { 'claude-code': 0.9, jules: 0.1 } }, { agent: 'jules' });
      assert.equal(decision.status, 'selected');
      assert.ok(decision.explicit);
      assert.equal(decision.agentId, 'jules');
    });

    it('matches ids case-insensitively', () => {
      assert.equal(selected(decide({ backends: [claudeCode] }, { agent: 'Claude-Code' })), 'claude-code');
    });

    const table: [string, Setup, { agent: string; type?: TaskType }, string, RegExp][] = [
      ['unknown', { backends: [claudeCode] }, { agent: 'aider' }, 'none:unknownAgent', /not configured \(agents: claude-code\)/],
      ['unable to take the type', { backends: [claudeApi] }, { agent: 'claude', type: 'feature' }, 'none:cannotTake', /does not take feature/],
      ['already failed this task', { backends: [claudeCode], exclude: ['claude-code'] }, { agent: 'claude-code' }, 'none:excluded', /already failed/],
      ['unhealthy', { backends: [claudeCode], unhealthy: ['claude-code'] }, { agent: 'claude-code' }, 'wait', /unhealthy: `claude` not found/],
      ['at its limit', { backends: [claudeCode], busy: { 'claude-code': 2 } }, { agent: 'claude-code' }, 'wait', /at its limit \(2\/2 running\)/],
      ['blocked by the overall limit', { backends: [claudeCode, jules], busy: { jules: 1 }, overall: 1 }, { agent: 'claude-code' }, 'wait', /overall run limit/],
    ];
    for (const [what, setup, task, expected, reason] of table) {
      it(`${what} → ${expected}`, () => {
        const decision = decide(setup, task);
        assert.equal(decision.status === 'none' ? `none:${decision.code}` : decision.status, expected);
        assert.match(decision.reason, reason);
        if (decision.status === 'wait') assert.equal(decision.agentId, task.agent);
      });
    }
  });

  describe('agent: auto', () => {
    const table: [string, Setup, { type?: TaskType; priority?: TaskPriority }, string | undefined][] = [
      ['the higher success rate wins', { backends: [claudeCode, jules], rates: { 'claude-code': 0.6, jules: 0.8 } }, {}, 'jules'],
      ['load counts: a busy agent loses to an idle one', { backends: [claudeCode, jules], rates: { 'claude-code': 0.8, jules: 0.6 }, busy: { 'claude-code': 1 } }, {}, 'jules'],
      ['only agents that take the type are eligible', { backends: [claudeApi, jules], rates: { claude: 0.99 } }, { type: 'feature' }, 'jules'],
      ['read-only work can go to the API agent', { backends: [claudeApi, jules], rates: { claude: 0.9 } }, { type: 'analyze' }, 'claude'],
      ['ties go to the cheapest: custom before claude-code', { backends: [claudeCode, custom], rates: {} }, {}, 'codex'],
      ['ties go to the cheapest: claude-code before copilot before jules', { backends: [jules, copilot, claudeCode] }, {}, 'claude-code'],
      ['a configured cost rank changes the tie-break', { backends: [claudeCode, jules], preferences: { jules: { costRank: -1 } } }, {}, 'jules'],
      ['weight multiplies the score', { backends: [claudeCode, jules], rates: { 'claude-code': 0.8, jules: 0.5 }, preferences: { jules: { weight: 2 } } }, {}, 'jules'],
      ['weight 0 keeps an agent out of auto selection', { backends: [claudeCode, jules], rates: { jules: 0.99 }, preferences: { jules: { weight: 0 } } }, {}, 'claude-code'],
      ['unhealthy agents are skipped', { backends: [claudeCode, jules], rates: { jules: 0.99 }, unhealthy: ['jules'] }, {}, 'claude-code'],
      ['agents whose health is not checked yet are skipped', { backends: [claudeCode, jules], rates: { jules: 0.99 }, unchecked: ['jules'] }, {}, 'claude-code'],
      ['agents at their limit are skipped', { backends: [claudeCode, jules], rates: { jules: 0.99 }, busy: { jules: 2 } }, {}, 'claude-code'],
      ['agents that failed this task are skipped', { backends: [claudeCode, jules], rates: { jules: 0.99 }, exclude: ['jules'] }, {}, 'claude-code'],
      ['medium priority spreads load: the idle agent wins', { backends: [claudeCode, jules], rates: { 'claude-code': 0.9, jules: 0.5 }, busy: { 'claude-code': 1 } }, { priority: 'medium' }, 'jules'],
      ['emergency values reliability: the reliable, half-busy agent wins', { backends: [claudeCode, jules], rates: { 'claude-code': 0.9, jules: 0.5 }, busy: { 'claude-code': 1 } }, { priority: 'emergency' }, 'claude-code'],
      ['a configured priority bonus applies to its priority only', { backends: [claudeCode, jules], rates: { jules: 0.7 }, preferences: { 'claude-code': { priorityBonus: { critical: 0.5 } } } }, { priority: 'critical' }, 'claude-code'],
      ['… and not to others', { backends: [claudeCode, jules], rates: { jules: 0.7 }, preferences: { 'claude-code': { priorityBonus: { critical: 0.5 } } } }, { priority: 'high' }, 'jules'],
    ];
    for (const [what, setup, task, expected] of table) {
      it(what, () => {
        const decision = decide(setup, task);
        assert.equal(selected(decision), expected, decision.reason);
        assert.ok(decision.status === 'selected' && !decision.explicit);
      });
    }

    const blocked: [string, Setup, string, RegExp][] = [
      ['no agent takes the type', { backends: [claudeApi] }, 'none:noCapableAgent', /no agent takes feature tasks/],
      ['every capable agent already failed it', { backends: [claudeCode, jules, claudeApi], exclude: ['claude-code', 'jules'] }, 'none:excluded', /already failed/],
      ['every capable agent is busy or unhealthy', { backends: [claudeCode, jules], busy: { 'claude-code': 2 }, unhealthy: ['jules'] }, 'wait', /claude-code, jules/],
      ['the overall limit is reached', { backends: [claudeCode, jules], busy: { jules: 1 }, overall: 1 }, 'wait', /no agent can start now/],
    ];
    for (const [what, setup, expected, reason] of blocked) {
      it(`${what} → ${expected}`, () => {
        const decision = decide(setup);
        assert.equal(decision.status === 'none' ? `none:${decision.code}` : decision.status, expected);
        assert.match(decision.reason, reason);
      });
    }

    it('reports every agent considered, with its reasons and score factors (for the preview)', () => {
      const decision = decide({ backends: [claudeCode, jules, claudeApi], rates: { 'claude-code': 0.75 }, busy: { 'claude-code': 1 }, unhealthy: ['jules'] }, { priority: 'high' });
      assert.equal(selected(decision), 'claude-code');
      const byId = new Map(decision.candidates.map(candidate => [candidate.agentId, candidate]));
      const chosen = byId.get('claude-code');
      assert.ok(chosen?.eligible);
      assert.deepEqual({ ...chosen.factors, priorityBonus: chosen.factors?.priorityBonus.toFixed(6) }, { weight: 1, successRate: 0.75, load: 0.5, priorityBonus: '0.075000', costRank: 1 });
      assert.ok(Math.abs((chosen.score ?? 0) - (0.75 * 0.5 + 0.075)) < 1e-12);
      assert.match(chosen.reasons.join(), /weight 1 × success 0\.75 × \(1 − load 0\.50\) \+ priority bonus 0\.075/);
      assert.deepEqual(byId.get('jules')?.reasons, ['unhealthy: `claude` not found on PATH']);
      assert.equal(byId.get('jules')?.score, undefined);
      assert.deepEqual(byId.get('claude')?.reasons, ['does not take feature tasks']);
      assert.match(decision.reason, /claude-code scored highest \(0\.450\)/);
    });

    it('explains a tie broken by cost', () => {
      const decision = decide({ backends: [claudeCode, custom] });
      assert.match(decision.reason, /codex scored highest .*tied with claude-code and cheaper/);
    });

    it('uses success rates computed from run records', () => {
      const records = [
        aRunRecord({ runId: 'a', agentId: 'jules', state: 'failed' }),
        aRunRecord({ runId: 'b', agentId: 'jules', state: 'failed' }),
        aRunRecord({ runId: 'c', agentId: 'claude-code', state: 'succeeded' }),
      ];
      const registry = new AgentRegistry([jules, claudeCode]);
      const limiter = ConcurrencyLimiter.fromBackends([jules, claudeCode], 10);
      const decision = registry.select({ agent: 'auto', type: 'feature', priority: 'low' }, { health: new Map([['jules', ok], ['claude-code', ok]]), load: id => limiter.load(id), successRates: computeSuccessRates(records) });
      assert.equal(selected(decision), 'claude-code');
    });
  });

  describe('headroom (caps, budgets, vendor windows)', () => {
    it('an auto task skips an agent out of headroom and says why in its candidate report', () => {
      const decision = decide({ backends: [claudeCode, custom], rates: { 'claude-code': 0.9, codex: 0.2 }, closed: { 'claude-code': ['anthropic window closed until 14:32 UTC (429 retry-after)'] } });
      assert.equal(selected(decision), 'codex');
      const report = decision.candidates.find(candidate => candidate.agentId === 'claude-code');
      assert.deepEqual([report?.eligible, report?.reasons], [false, ['anthropic window closed until 14:32 UTC (429 retry-after)']]);
      assert.equal(selected(decide({ backends: [claudeCode, custom], rates: { 'claude-code': 0.9, codex: 0.2 } })), 'claude-code', 'with headroom it would have won');
    });

    it('every capable agent out of headroom: wait, not none (the window or day turns)', () => {
      const decision = decide({ backends: [claudeCode, custom], closed: { 'claude-code': ['daily cap 15/15'], codex: ['codex daily budget reached ($1.00/$1.00)'] } });
      assert.equal(decision.status, 'wait');
      assert.match(decision.reason, /busy, unhealthy or out of headroom/);
    });

    it('a task naming an agent out of headroom waits for it, with the reason', () => {
      const decision = decide({ backends: [claudeCode, custom], closed: { 'claude-code': ['daily cap 15/15'] } }, { agent: 'claude-code' });
      assert.equal(decision.status, 'wait');
      assert.match(decision.reason, /the task names claude-code: daily cap 15\/15/);
    });
  });

  it('refuses two agents with one id', () => {
    assert.throws(() => new AgentRegistry([claudeCode, aBackend('claude-code', 'custom')]), /share the id "claude-code"/);
  });

  it('looks agents up by id and knows their cost rank', () => {
    const registry = new AgentRegistry([claudeCode, jules], new Map([['jules', { costRank: 0.5 }]]));
    assert.equal(registry.get('jules'), jules);
    assert.equal(registry.get('nope'), undefined);
    assert.deepEqual(registry.all().map(backend => backend.id), ['claude-code', 'jules']);
    assert.equal(registry.costRank('claude-code'), 1);
    assert.equal(registry.costRank('jules'), 0.5);
  });
});
