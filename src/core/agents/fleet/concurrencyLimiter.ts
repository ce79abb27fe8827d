import { Emitter, type Event } from '../../util/emitter';
import type { AgentBackend } from '../agentBackend';

/** A slot taken by one run. Releasing it twice is harmless. */
export interface ConcurrencySlot {
  readonly agentId: string;
  release(): void;
}

export interface AgentLoad {
  readonly active: number;
  readonly limit: number;
  /** A run of this agent may start now: its own limit and the overall one both leave room. */
  readonly canStart: boolean;
}

export interface ConcurrencyCounts {
  readonly overall: { readonly active: number; readonly limit: number };
  /** Every known agent, by id. */
  readonly agents: Readonly<Record<string, { readonly active: number; readonly limit: number }>>;
}

/**
 * Counts running agent runs against each agent's limit (`AgentBackend.limits.concurrent`) and an overall
 * limit. An agent it does not know has a limit of 0. The counts are for the UI; `onDidChange` fires on
 * every change.
 */
export class ConcurrencyLimiter {
  private readonly limits = new Map<string, number>();
  private readonly active = new Map<string, number>();
  private total = 0;
  private readonly changed = new Emitter<ConcurrencyCounts>();
  readonly onDidChange: Event<ConcurrencyCounts> = this.changed.event;

  constructor(private overallLimit: number, perAgent: Iterable<readonly [string, number]> = []) {
    for (const [agentId, limit] of perAgent) this.limits.set(agentId, normalizeLimit(limit));
    this.overallLimit = normalizeLimit(overallLimit);
  }

  static fromBackends(backends: Iterable<Pick<AgentBackend, 'id' | 'limits'>>, overallLimit: number): ConcurrencyLimiter {
    return new ConcurrencyLimiter(overallLimit, [...backends].map(backend => [backend.id, backend.limits.concurrent] as const));
  }

  /** Takes a slot for a run of `agentId`, or returns undefined when its limit or the overall one is reached. */
  tryAcquire(agentId: string): ConcurrencySlot | undefined {
    if (!this.load(agentId).canStart) return undefined;
    return this.take(agentId);
  }

  /**
   * Counts a run that is already going (found in the records after a restart) even past the limits, so
   * new runs wait until the count is back under them.
   */
  adopt(agentId: string): ConcurrencySlot {
    return this.take(agentId);
  }

  load(agentId: string): AgentLoad {
    const active = this.active.get(agentId) ?? 0;
    const limit = this.limits.get(agentId) ?? 0;
    return { active, limit, canStart: active < limit && this.total < this.overallLimit };
  }

  counts(): ConcurrencyCounts {
    const agents: Record<string, { active: number; limit: number }> = {};
    for (const agentId of new Set([...this.limits.keys(), ...this.active.keys()])) {
      agents[agentId] = { active: this.active.get(agentId) ?? 0, limit: this.limits.get(agentId) ?? 0 };
    }
    return { overall: { active: this.total, limit: this.overallLimit }, agents };
  }

  setLimit(agentId: string, limit: number): void {
    this.limits.set(agentId, normalizeLimit(limit));
    this.fire();
  }

  setOverallLimit(limit: number): void {
    this.overallLimit = normalizeLimit(limit);
    this.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private take(agentId: string): ConcurrencySlot {
    this.active.set(agentId, (this.active.get(agentId) ?? 0) + 1);
    this.total++;
    this.fire();
    let released = false;
    return {
      agentId,
      release: () => {
        if (released) return;
        released = true;
        const remaining = (this.active.get(agentId) ?? 1) - 1;
        if (remaining > 0) this.active.set(agentId, remaining);
        else this.active.delete(agentId);
        this.total--;
        this.fire();
      },
    };
  }

  private fire(): void {
    this.changed.fire(this.counts());
  }
}

/** Whole, non-negative; `Infinity` means no limit. */
function normalizeLimit(limit: number): number {
  if (limit === Number.POSITIVE_INFINITY) return limit;
  return Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : 0;
}
