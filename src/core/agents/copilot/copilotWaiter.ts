import { isGitHubError } from '../../forges/github/githubError';
import type { Logger } from '../../logging/logger';
import type { AgentRunHandle, AgentRunStatus } from '../agentBackend';

/** Polling of a remote run: starts at `initialMs`, grows by `factor` while nothing changes, never above `maxMs`. */
export interface WaitIntervals {
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
}

/** Copilot opens its PR within seconds and works for minutes: 20 s, then up to 2 min while nothing changes. */
export const defaultWaitIntervals: WaitIntervals = { initialMs: 20_000, factor: 1.5, maxMs: 120_000 };

export interface WaiterDeps {
  readonly poll: (handle: AgentRunHandle) => Promise<AgentRunStatus>;
  readonly intervals: WaitIntervals;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log: Logger;
  /** A change worth a line in the run's log ("needs you: …", "running again"). */
  readonly report: (handle: AgentRunHandle, text: string) => void;
  /** What a polling error means for the wait; default {@link judgeGitHubError}. Another remote agent passes its own. */
  readonly judgeError?: (error: unknown) => PollErrorVerdict;
}

/** A polling error either ends the run (`end`) or is waited out, at least `retryAfterMs` when the service said so. */
export interface PollErrorVerdict {
  readonly end?: AgentRunStatus;
  readonly retryAfterMs?: number;
}

/** GitHub's: a refused token ends the run as an `auth` failure; a rate limit is waited out as long as GitHub asks. */
export function judgeGitHubError(error: unknown): PollErrorVerdict {
  const message = error instanceof Error ? error.message : String(error);
  if (isGitHubError(error, 'auth')) return { end: { state: 'failed', failure: 'auth', message: `GitHub refused the token while following the run: ${message}`, usage: {} } };
  if (isGitHubError(error, 'rateLimited') && error.retryAfterMs !== undefined) return { retryAfterMs: error.retryAfterMs };
  return {};
}

/**
 * Polls a remote agent's runs until they end. A change of state resets the interval; an error is waited out
 * (as long as the service asks on a rate limit) unless `judgeError` says it ends the run (a refused token).
 */
export class CopilotWaiter {
  private readonly wakers = new Map<string, () => void>();
  private disposed = false;

  constructor(private readonly deps: WaiterDeps) {}

  /** `onStatus` hears each change between running and needs-you (the first status included); it must not throw. */
  async wait(handle: AgentRunHandle, onStatus?: (status: AgentRunStatus) => void): Promise<AgentRunStatus> {
    const { intervals } = this.deps;
    let delay = intervals.initialMs;
    let previous: string | undefined;
    for (;;) {
      if (this.disposed) return new Promise<never>(() => undefined);
      let next = Math.min(intervals.maxMs, delay * intervals.factor);
      try {
        const status = await this.deps.poll(handle);
        if (status.state === 'succeeded' || status.state === 'failed' || status.state === 'lost') return status;
        const described = status.state === 'needsYou' ? `needs you: ${status.reason}` : 'running';
        if (described !== previous) {
          if (previous !== undefined) this.deps.report(handle, described);
          onStatus?.(status);
          previous = described;
          delay = intervals.initialMs;
          next = Math.min(intervals.maxMs, delay * intervals.factor);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const verdict = (this.deps.judgeError ?? judgeGitHubError)(error);
        if (verdict.end !== undefined) return verdict.end;
        if (verdict.retryAfterMs !== undefined) delay = Math.max(delay, verdict.retryAfterMs);
        this.deps.log.warn('polling %s failed, trying again in %d s: %s', handle.runId, Math.round(delay / 1000), message);
      }
      await this.pause(handle.runId, delay);
      delay = next;
    }
  }

  /** Ends the current pause of a run's wait at once (after a cancel). */
  wake(runId: string): void {
    this.wakers.get(runId)?.();
  }

  /** Waits stop polling and never resolve: the runs go on remotely and are recovered by handle. */
  dispose(): void {
    this.disposed = true;
    for (const wake of this.wakers.values()) wake();
  }

  private pause(runId: string, ms: number): Promise<void> {
    return new Promise<void>(resolve => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.wakers.delete(runId);
        resolve();
      };
      this.wakers.set(runId, done);
      if (this.deps.sleep === undefined) timer = setTimeout(done, ms);
      else void this.deps.sleep(ms).then(done, done);
    });
  }
}
